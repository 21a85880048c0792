from django.apps import AppConfig
from django.core.signals import request_started


class WorkdaysConfig(AppConfig):
    name = "onewindow.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from onewindow.workdays import cache

        # Each request looks once at the calendar's token before it uses the calendar.
        request_started.connect(cache.expire, dispatch_uid="workdays-cache-expire")
