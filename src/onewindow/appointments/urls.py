from django.urls import path

from onewindow.appointments import views

app_name = "appointments"
urlpatterns = [
    path("items/<int:item_id>/", views.book, name="book"),
    path("mine/", views.mine, name="mine"),
    path("bookings/<int:booking_id>/change/", views.change, name="change"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("checkin/", views.checkin, name="checkin"),
    path("queue/", views.queue, name="queue"),
    path("queue/action/", views.queue_action, name="queue_action"),
]
