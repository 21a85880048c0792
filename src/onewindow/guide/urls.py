from django.urls import path

from onewindow.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.index, name="index"),
    path("go/<uuid:log_id>/<int:item_id>/", views.go, name="go"),
    path("rate/<uuid:log_id>/", views.rate, name="rate"),
    path("review/", views.review, name="review"),
]
