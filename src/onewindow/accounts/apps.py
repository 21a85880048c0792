from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "账号与机构"
    name = "onewindow.accounts"
    label = "accounts"
