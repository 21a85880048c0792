from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from onewindow.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # For the clients that ask for it whatever the page's <link rel="icon"> says.
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
]
