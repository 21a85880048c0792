from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "onewindow.appointments"
    label = "appointments"
    verbose_name = _("预约办")

    def ready(self):
        # Imported here: models are ready only now (the pattern of feedback's own ready()).
        from onewindow.appointments.ratings import KIND, resolve_visit
        from onewindow.feedback import subjects

        subjects.register(KIND, resolve_visit, model="appointments.queueticket")
