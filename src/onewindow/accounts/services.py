"""Writes for accounts: users, enterprises, API tokens. Each change is audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from onewindow.accounts.models import ApiToken, Enterprise, User
from onewindow.accounts.validators import clean_uscc
from onewindow.audit.services import audit_record


@transaction.atomic
def enterprise_register(*, actor, name: str, uscc: str, legal_representative: str,
                        **fields) -> Enterprise:
    enterprise = Enterprise(name=name, uscc=clean_uscc(uscc),
                            legal_representative=legal_representative, **fields)
    enterprise.full_clean()
    enterprise.save()
    audit_record(actor=actor, action="enterprise_register", obj=enterprise,
                 new={"name": name, "uscc": enterprise.uscc})
    return enterprise


@transaction.atomic
def api_token_create(*, actor, owner: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = "ow_" + secrets.token_urlsafe(32)
    token = ApiToken(name=name, owner=owner, key_hash=ApiToken.hash_key(key), prefix=key[3:11])
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token_create", obj=token, new={"owner": owner.pk})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token_revoke", obj=token)
    return token
