from django.urls import path

from onewindow.cases import urls_bundles
from onewindow.cases.views import agent, applicant, documents, notifications, public, staff

app_name = "cases"
urlpatterns = [
    # The applicant's side (views/applicant.py)
    path("cases/", applicant.my_cases, name="mine"),
    path("cases/apply/<int:item_pk>/", applicant.apply, name="apply"),
    path("cases/<int:pk>/", applicant.detail, name="detail"),
    path("cases/<int:pk>/edit/", applicant.edit, name="edit"),
    path("cases/<int:pk>/materials/<int:requirement_pk>/", applicant.upload, name="upload"),
    path("cases/<int:pk>/submit/", applicant.submit, name="submit"),
    path("cases/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("cases/<int:pk>/tolerance/pledge/", applicant.tolerance_pledge, name="tolerance_pledge"),
    path("cases/<int:pk>/tolerance/<int:requirement_pk>/", applicant.tolerance_upload,
         name="tolerance_upload"),
    path("cases/<int:pk>/commitment/", applicant.commitment_sign, name="commitment"),
    # Anyone with a case number and its query code (views/public.py)
    path("track/", public.track, name="track"),
    # Documents and their public verification (views/documents.py)
    path("cases/<int:pk>/documents/<int:document_pk>/", documents.download, name="document"),
    path("cases/<int:pk>/files/<int:material_pk>/", documents.material, name="material"),
    path("verify/", documents.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", documents.verify, name="verify"),
    # Staff workbenches and actions (views/staff.py)
    path("work/", staff.workbench, name="workbench"),
    path("work/cases/<int:pk>/", staff.detail, name="staff_detail"),
    path("work/cases/<int:pk>/<slug:action>/", staff.act, name="staff_action"),
    # The help agent's workbench (views/agent.py)
    path("agent/", agent.workbench, name="agent_workbench"),
    path("agent/visits/", agent.visit_record, name="agent_visit"),
    # In-app messages (views/notifications.py)
    path("notifications/", notifications.inbox, name="notifications"),
]
# Bundles (一件事): urls_bundles.py, views/bundles.py — names cases:bundle_*
urlpatterns += urls_bundles.urlpatterns
