"""The clock job, run by `onewindow cases tick` from cron every few minutes. Idempotent.

1. Warnings and escalations: every running clock at or past the yellow share of its limit gets
   one warning (`Escalation.Level.WARNING`, the holder is told); every overdue clock gets one
   escalation (`OVERDUE`, `case.escalated_at` set, supervisors told). Once per case, clock and
   due date — the unique constraint on `Escalation` — so a second run adds nothing, and a new
   due date (after an extension or a special procedure) may be warned of again. Escalations are
   never removed: one raised before a return to the applicant stays on the case.
2. Deemed acceptance (Art. 32(4)): a case whose 5-working-day pre-review ran out counts as
   accepted from receipt (`services.case_deem_accepted`, each case in its own transaction).
   A case deemed accepted is then scanned again: its legal clock started on receipt.
3. Tolerated materials (容缺) past their deadline: the case ends as the applicant's pledge said
   (`services.tolerance.case_tolerance_lapse`: terminated or denied as the item says, or
   revoked if decided already).
4. Commitment checks (告知承诺) past their deadline: raised once to the supervisors
   (`services.commitment.verification_escalate`).
5. Emails and text messages due to be sent: queued ones the delivery worker has not sent yet,
   and those whose retry after a failure is due (`notify.send_due_deliveries`); the rows of
   messages sent more than 90 days ago are deleted (`notify.prune_sent_deliveries`).
Every write goes through `services.core` (row lock, audit event, notifications).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases import clocks, notify, services
from onewindow.cases.enums import DECISION_CLOCK_STATES, PRE_ACCEPTANCE_STATES, CaseState
from onewindow.cases.errors import CaseBusy, IllegalTransition
from onewindow.cases.models import Case, Escalation
from onewindow.cases.selectors import overdue_pre_review_ids
from onewindow.cases.services import commitment, tolerance
from onewindow.cases.services.core import record

logger = logging.getLogger("onewindow.cases.jobs")

RUNNING_STATES = (PRE_ACCEPTANCE_STATES | DECISION_CLOCK_STATES) - {CaseState.SUSPENDED}
LEVEL_OF_COLOUR = {"yellow": Escalation.Level.WARNING, "red": Escalation.Level.OVERDUE}
EVENT_OF_LEVEL = {Escalation.Level.WARNING: "clock_warning",
                  Escalation.Level.OVERDUE: "clock_overdue"}
STAMP_OF_LEVEL = {Escalation.Level.WARNING: "warned_at",
                  Escalation.Level.OVERDUE: "escalated_at"}


@dataclass
class TickSummary:
    on: dt.date
    deemed: list[str] = field(default_factory=list)  # case numbers
    warnings: list[str] = field(default_factory=list)  # "number clock"
    escalations: list[str] = field(default_factory=list)
    skipped: int = 0  # someone acted on the case while the job ran
    failures: list[str] = field(default_factory=list)
    lapsed: list[str] = field(default_factory=list)  # tolerated material late: case ended
    verifications_escalated: list[str] = field(default_factory=list)
    deliveries: notify.DeliverySummary = field(default_factory=notify.DeliverySummary)

    def __str__(self) -> str:
        return (f"clock tick {self.on}: {len(self.deemed)} deemed accepted, "
                f"{len(self.warnings)} warnings, {len(self.escalations)} escalations, "
                f"{self.skipped} skipped, {len(self.failures)} failures, "
                f"{len(self.lapsed)} tolerance lapsed, "
                f"{len(self.verifications_escalated)} verifications escalated, "
                f"{self.deliveries}")


class _NothingToRaise(Exception):
    """Under the lock the escalation turned out to exist already, or the clock moved on."""


def tick() -> TickSummary:
    summary = TickSummary(on=clocks.today())
    scan(running_cases(), summary)
    deemed_ids = deem_overdue(summary)
    if deemed_ids:
        scan(running_cases().filter(pk__in=deemed_ids), summary)
    end_lapsed_tolerance(summary)
    escalate_overdue_verifications(summary)
    summary.deliveries = notify.send_due_deliveries()
    summary.failures += [f"message delivery {what}" for what in summary.deliveries.errors]
    try:
        notify.prune_sent_deliveries()
    except Exception:
        logger.exception("clock job: old message deliveries could not be deleted")
        summary.failures.append("message delivery prune")
    return summary


def running_cases() -> QuerySet[Case]:
    return Case.objects.filter(state__in=RUNNING_STATES).prefetch_related("pauses",
                                                                          "escalations")


def scan(cases: QuerySet[Case], summary: TickSummary) -> None:
    for case in cases.iterator(chunk_size=500):
        try:
            scan_case(case, summary)
        except Exception:
            logger.exception("clock job: case %s could not be scanned", case.pk)
            summary.failures.append(f"{case.number}: scan")


def scan_case(case: Case, summary: TickSummary) -> None:
    raised = {(e.level, e.clock, e.due) for e in case.escalations.all()}
    for clock in clocks.clocks(case, on=summary.on):
        level = LEVEL_OF_COLOUR.get(clock.colour)
        if level is None or (level, clock.name, clock.due) in raised:
            continue
        if escalation_raise(case_id=case.pk, level=level, clock=clock.name, due=clock.due):
            bucket = summary.warnings if level == Escalation.Level.WARNING else \
                summary.escalations
            bucket.append(f"{case.number} {clock.name}")
        else:
            summary.skipped += 1


def escalation_raise(*, case_id: int, level: str, clock: str, due: dt.date) -> bool:
    """Record a warning or an escalation of `clock` (due `due`) on the case, audited, with
    its notifications. False when, under the lock, it exists already or the clock
    is no longer in that colour (the case moved on meanwhile)."""

    def apply(case):
        current = {c.name: c for c in clocks.clocks(case)}
        still = current.get(clock)
        if still is None or still.due != due or LEVEL_OF_COLOUR.get(still.colour) != level \
                or case.escalations.filter(level=level, clock=clock, due=due).exists():
            raise _NothingToRaise
        escalation = Escalation.objects.create(case=case, level=level, clock=clock, due=due)
        # Told with the escalation itself, so that two raised in one run each name their clock.
        notify.case_event(case, EVENT_OF_LEVEL[level], escalation_id=escalation.pk)
        if getattr(case, STAMP_OF_LEVEL[level]) is None:
            setattr(case, STAMP_OF_LEVEL[level], timezone.now())
        return {"level": level, "clock": clock, "due": due, "used": still.used,
                "limit": still.limit}

    try:
        record(case_id=case_id, action=EVENT_OF_LEVEL[level], actor=None, perm=None,
               note=_("时限预警") if level == Escalation.Level.WARNING else _("超期督办"),
               apply=apply)
    except _NothingToRaise:
        return False
    return True


def deem_overdue(summary: TickSummary) -> list[int]:
    """Deem accepted every case whose pre-review ran out; return the ids that were."""
    done = []
    for case_id in overdue_pre_review_ids(on=summary.on):
        try:
            case = services.case_deem_accepted(case_id=case_id)
        except IllegalTransition:
            summary.skipped += 1  # a clerk decided it meanwhile
            continue
        except Exception:
            logger.exception("clock job: case %s could not be deemed accepted", case_id)
            summary.failures.append(f"#{case_id}: deem_accepted")
            continue
        summary.deemed.append(case.number)
        done.append(case_id)
    return done


def end_lapsed_tolerance(summary: TickSummary) -> None:
    """End every case with a tolerated material past its deadline, each in its own
    transaction."""
    for case_id in tolerance.lapsed_tolerance_case_ids(on=summary.on):
        try:
            case = tolerance.case_tolerance_lapse(case_id=case_id)
        except (IllegalTransition, tolerance.NothingLapsed, CaseBusy):
            # withdrawn, or the material arrived, meanwhile; or (CaseBusy) a part of its bundle
            # was being moved: the next tick tries again
            summary.skipped += 1
            continue
        except Exception:
            logger.exception("clock job: case %s tolerance could not be ended", case_id)
            summary.failures.append(f"#{case_id}: tolerance_lapse")
            continue
        summary.lapsed.append(f"{case.number} {case.state}")


def escalate_overdue_verifications(summary: TickSummary) -> None:
    """Raise every commitment check past its deadline to the supervisors, once."""
    for task_id in commitment.overdue_verification_task_ids(on=summary.on):
        try:
            task = commitment.verification_escalate(task_id=task_id)
        except commitment.AlreadyEscalated:
            summary.skipped += 1
            continue
        except Exception:
            logger.exception("clock job: verification task %s could not be escalated", task_id)
            summary.failures.append(f"task #{task_id}: verification_escalate")
            continue
        summary.verifications_escalated.append(f"{task.case.number} {task.due}")
