from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.accounts.models import ApiToken, User

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_api_key(key: str) -> User | None:
    """The active owner of a non-revoked token, or None."""
    token = (
        ApiToken.objects.select_related("owner")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # A write per request would make every read a write: a minute's precision is enough.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.owner
