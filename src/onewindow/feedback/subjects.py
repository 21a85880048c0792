"""What can be rated, and by whom: a registry of resolvers, one per kind of subject.

feedback never imports the apps whose things are rated. Each app registers, in its
`AppConfig.ready()`:

    from onewindow.feedback import subjects
    subjects.register("request", resolve_request)

`resolver(user, object_id)` returns a `Subject` when `user` may rate that object now, else None
(which the rate page turns into a 404, the same for missing and forbidden).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subject:
    obj: Any
    department: Any = None  # accounts.Department responsible (the rectification goes there)
    window: Any = None  # accounts.Window, if known
    clerk: Any = None  # the staff User who served, if known
    title: str = ""
    url: str = ""  # the subject's own page, for the rater


Resolver = Callable[[Any, int], Subject | None]
# Filled once at start-up by AppConfig.ready() calls, then only read: not mutable state.
_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver, *, model: str | None = None) -> None:
    """`model`: the label ("app.model") of what `kind` rates, if not already known below."""
    _RESOLVERS[kind] = resolver
    if model:
        KIND_BY_MODEL[model.lower()] = kind


def kinds() -> list[str]:
    return sorted(_RESOLVERS)


def resolve(kind: str, user, object_id: int) -> Subject | None:
    resolver = _RESOLVERS.get(kind)
    if resolver is None or not getattr(user, "is_authenticated", False):
        return None
    return resolver(user, object_id)


def kind_of(obj) -> str:
    """The registered kind for a model instance (the model label when none matches)."""
    label = obj._meta.label_lower
    return KIND_BY_MODEL.get(label, label)


# The models behind the known kinds, for `kind_of` (labels, so no import of the apps).
KIND_BY_MODEL = {"cases.case": "case", "complaints.servicerequest": "request",
                 "appointments.queueticket": "visit", "appointments.booking": "visit"}
