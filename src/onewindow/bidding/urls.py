from django.urls import path

from onewindow.bidding.views import expert, report, session, setup

app_name = "bidding"
urlpatterns: list = [
    # Setting up and running a tender (views/setup.py), results and report (views/report.py),
    # the drawn expert's invitation (views/expert.py).
    path("tenders/", setup.tender_list, name="tender_list"),
    path("tenders/new/", setup.tender_new, name="tender_new"),
    path("tenders/<int:pk>/", setup.tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/do/<slug:action>/", setup.tender_action, name="tender_action"),
    path("tenders/<int:pk>/members/<int:member_pk>/replace/", setup.member_replace,
         name="member_replace"),
    path("tenders/<int:pk>/avoidance/", setup.avoidance_check, name="avoidance_check"),
    path("tenders/<int:pk>/recordings/<int:recording_pk>/receive/", setup.recording_receive,
         name="recording_receive"),
    path("tenders/<int:pk>/rechecks/<int:recheck_pk>/answer/", setup.recheck_answer,
         name="recheck_answer"),
    path("tenders/<int:pk>/results/", report.results, name="results"),
    path("tenders/<int:pk>/report/", report.report_create, name="report_create"),
    path("tenders/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("verify/<str:code>/", report.verify, name="verify"),
    path("expert/", expert.invitations, name="invitations"),
    path("expert/<int:pk>/", expert.invitation, name="invitation"),
    # The live evaluation session (views/session.py; its WebSocket is in routing.py).
    path("session/", session.session_list, name="session_list"),
    path("session/<int:pk>/", session.session_room, name="session_room"),
    path("session/<int:pk>/sign/", session.session_sign, name="session_sign"),
]
