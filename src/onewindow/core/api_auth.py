"""How the JSON API knows who is calling: an API token or the signed-in browser session.

One place for every app's router (`auth=API_AUTH`), so that no router copies these classes and
none has to import the root `onewindow.api` (which imports every router)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from onewindow.accounts.selectors import user_for_api_key


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer ow_…` for other systems; tokens are made by `onewindow apitoken`."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The signed-in browser session. CSRF is checked only when the session is what
    authenticates (no session: fall through to 401), with a Chinese refusal."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, _("安全校验失败（CSRF），请刷新页面后重试。")) from None


# Token first: a client that sends a token is not asked for a CSRF token.
API_AUTH = [ApiKeyAuth(), CsrfSessionAuth()]
