from __future__ import annotations

from django.utils import timezone

from onewindow.accounts.models import ApiToken, User


def user_for_api_key(key: str) -> User | None:
    """The active owner of a non-revoked token, or None."""
    token = (
        ApiToken.objects.select_related("owner")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.owner
