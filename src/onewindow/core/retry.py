"""Retrying what leaves the platform (webhooks, email, text messages) after a failure.

A message waiting for another try is a row with a due time (`next_attempt_at`). Several runs of
a job may work at once: each claims a row before sending it (`claim`), which pushes its due time
past `LEASE`, so no other run takes it meanwhile.
"""

import datetime as dt

from django.db.models import QuerySet

# A sender's claim on a row: longer than any sender may take (EMAIL_TIMEOUT and the webhook
# timeout are 10 s).
LEASE = dt.timedelta(minutes=2)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failure, at most a day."""
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), dt.timedelta(days=1))


def claim(waiting: QuerySet, now: dt.datetime) -> dt.datetime | None:
    """Take the one row of `waiting` (filtered to a row still waiting) for this run, if it is
    due and no other run took it first: the claim's end (the row's due time now), else None.
    A sender that outlasts its claim may find the row taken by another run: it writes its
    outcome only while the due time is still the one it set (`next_attempt_at=` the claim)."""
    until = now + LEASE
    return until if waiting.filter(next_attempt_at__lte=now).update(
        next_attempt_at=until) == 1 else None
