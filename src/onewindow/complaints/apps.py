from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "onewindow.complaints"
    label = "complaints"
    verbose_name = _("诉求与投诉")

    def ready(self):
        # Imported here: models are ready only now (the pattern of feedback's own ready()).
        from onewindow.complaints.subject import resolve_request
        from onewindow.feedback import subjects

        subjects.register("request", resolve_request, model="complaints.servicerequest")
