from django.urls import path

from onewindow.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.index, name="index"),
    path("versions/<int:pk>/", views.dry_run, name="dry_run"),
]
