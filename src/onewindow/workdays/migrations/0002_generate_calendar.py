"""Fill a fresh database with the calendar of every year both packages cover (2004 … the last
year chinesecalendar knows), checked day by day. Later years: `onewindow workdays generate`
after upgrading the packages, or the administrator enters the State Council notice.

Not audited: a migration runs before any user exists; later changes go through the services.
"""

import uuid

from django.db import migrations
from django.utils import timezone


def generate(apps, schema_editor):
    from onewindow.workdays.generation import generate_years, package_covered_years

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    for gy in generate_years(package_covered_years()):
        if CalendarYear.objects.filter(year=gy.year).exists():
            continue
        year = CalendarYear.objects.create(
            year=gy.year, status="official", source="generated", cross_checked=True,
            notice=gy.note,
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=year, date=d.date, kind=d.kind, name=d.name[:100])
            for d in gy.days
        )
    CalendarVersion.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


def remove(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.filter(source="generated").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(generate, remove)]
