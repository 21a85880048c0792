"""The ASGI application: Django's HTTP views and the WebSocket consumers (Channels).

Serve it with daphne (`daphne onewindow.asgi:application`) or uvicorn; `runserver` and
`onewindow demo` serve it too (for those two commands daphne is first in INSTALLED_APPS).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
# Django must be set up before anything imports models: get the HTTP app first.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from onewindow.bidding.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    # Session cookie → scope["user"]; a browser page from another origin cannot open a socket.
    "websocket": AllowedHostsOriginValidator(
        AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    ),
})
