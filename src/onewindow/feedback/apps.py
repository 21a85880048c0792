from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "onewindow.feedback"
    label = "feedback"
    verbose_name = _("好差评")

    def ready(self):
        from onewindow.feedback import subjects
        from onewindow.feedback.case_subject import resolve_case

        subjects.register("case", resolve_case)
