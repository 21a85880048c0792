from django.apps import AppConfig


class AuditConfig(AppConfig):
    verbose_name = "审计日志"
    name = "onewindow.audit"
    label = "audit"
