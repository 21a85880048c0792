from django.apps import AppConfig


class CatalogConfig(AppConfig):
    verbose_name = "事项目录"
    name = "onewindow.catalog"
    label = "catalog"
