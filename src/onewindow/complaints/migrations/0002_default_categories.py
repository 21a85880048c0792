"""The default categories and their limits (editable in the admin afterwards).

Emergency 2 hours, ordinary 7 working days, complex 15 working days (Beijing's 12345 rules);
consultations 3 and complaints 13 working days (a municipal bureau's rules). First response:
1 hour for emergencies, 24 hours otherwise (GB/T 33358-2016: ≥95% within 24 h).
"""

from django.db import migrations

CATEGORIES = [
    # code, name, group, kind, response (n, unit), closing (n, unit), description
    ("emergency", "紧急诉求", "紧急", "help", (1, "hours"), (2, "hours"),
     "危及人身财产安全、影响企业正常生产经营的紧急事项"),
    ("ordinary", "一般诉求", "一般", "complaint", (24, "hours"), (7, "working_days"),
     "一般性的投诉、求助和建议"),
    ("complex", "复杂诉求", "一般", "complaint", (24, "hours"), (15, "working_days"),
     "涉及多个部门、需要调查核实的事项"),
    ("consultation", "政策咨询", "咨询", "consultation", (24, "hours"), (3, "working_days"),
     "政策、办事流程和材料的咨询"),
    ("service-complaint", "政务服务投诉", "投诉", "complaint", (24, "hours"),
     (13, "working_days"), "对窗口、工作人员或办件过程的投诉"),
]


def create(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for order, (code, name, group, kind, response, closing, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={
            "name": name, "group": group, "default_kind": kind, "description": description,
            "response_limit": response[0], "response_unit": response[1],
            "closing_limit": closing[0], "closing_unit": closing[1], "order": (order + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
