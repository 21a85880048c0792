"""The feedback settings, read from `settings.CONFIG` (see onewindow.config) at call time."""

from django.conf import settings


def rating_change_days() -> int:
    """Days after the first rating during which the rater may change it (0: never)."""
    return settings.CONFIG.rating_change_days


def rectification_days() -> int:
    """Working days a department has to rectify a bad review (default 15)."""
    return settings.CONFIG.rectification_days


def rating_reminder_days() -> int:
    """Days after an invitation without a rating before the one reminder goes out."""
    return settings.CONFIG.rating_reminder_days
