from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "onewindow.guide"
    label = "guide"
    verbose_name = _("智能导办")

    def ready(self):
        from onewindow.guide import rules  # noqa: F401  (registers the permissions)
