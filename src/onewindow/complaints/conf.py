"""The module's settings: Django settings first, else the environment, checked on read."""

from django.conf import settings

from onewindow.config import env_int


def _setting(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is None:
        return env_int(name, default, minimum=minimum)
    return int(value)


def reopen_days() -> int:
    """Working days after the answer in which an unsatisfied requester may reopen; the tick
    closes answered requests after them."""
    return _setting("ONEWINDOW_COMPLAINTS_REOPEN_DAYS", 7, minimum=1)


def max_reopens() -> int:
    return _setting("ONEWINDOW_COMPLAINTS_MAX_REOPENS", 1, minimum=0)


def webhook_max_attempts() -> int:
    return _setting("ONEWINDOW_COMPLAINTS_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)


def webhook_timeout() -> int:
    return _setting("ONEWINDOW_COMPLAINTS_WEBHOOK_TIMEOUT", 10, minimum=1)
