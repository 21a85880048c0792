from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "onewindow.workdays"
    label = "workdays"
