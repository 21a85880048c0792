from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "onewindow.decisions"
    label = "decisions"  # not "rules": django-rules already has that label
    verbose_name = _("决策表")
