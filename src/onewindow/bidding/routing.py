"""WebSocket routes of the bidding app, mounted by onewindow.asgi."""

from django.urls import path

from onewindow.bidding.consumers import SessionConsumer

websocket_urlpatterns = [
    path("ws/bidding/session/<int:tender_id>/", SessionConsumer.as_asgi()),
]
