from django.urls import path

from onewindow.complaints import views

app_name = "complaints"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("track/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("dispatch/", views.dispatch_workbench, name="dispatch"),
    path("department/", views.department_workbench, name="department"),
    path("metrics/", views.metrics, name="metrics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
