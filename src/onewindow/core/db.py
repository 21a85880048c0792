"""Small helpers for the few hot paths that read with a hand-written statement."""

from __future__ import annotations

from django.db import models


def raw_first(model: type[models.Model], sql: str, params: list) -> models.Model | None:
    """The first `model` instance `sql` returns (typed by Django's converters), or None.

    For reads on every request or every move, where compiling the ORM query cost several
    times running it; columns beyond the model's fields become attributes of the instance."""
    return next(iter(model.objects.raw(sql, params)), None)
