"""The actions staff take on a case: for each, its form, permission and when it applies.

What the page offers is the case's available django-fsm transitions (or, for an action that
records without moving, the states it applies in), filtered by the user's permission. The
service checks all of it again under the row lock: this table only decides what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onewindow.cases import forms_staff as f
from onewindow.cases.enums import CaseState as S
from onewindow.cases.services import commitment, tolerance


@dataclass(frozen=True)
class StaffAction:
    slug: str
    label: str | Promise
    form: type[f.CaseActionForm]
    perm: str
    done: str | Promise  # the message after success
    move: str = ""  # the Case @transition it makes, if any
    states: frozenset = frozenset()  # for an action that does not move: where it applies
    when: Callable | None = None  # a further condition on (user, case)
    confirm: str | Promise = ""  # asked before an action that cannot be undone

    def available(self, user, case, moves: set[str]) -> bool:
        applies = self.move in moves if self.move else (not self.states or case.state in
                                                         self.states)
        return applies and user.has_perm(self.perm, case) and (
            self.when is None or self.when(user, case))


def free_or_mine(user, case) -> bool:
    """Intake actions belong to the clerk who claimed the case (the service insists too)."""
    return case.claimed_by_id in (None, user.pk)


def extendable(user, case) -> bool:
    """Once, and only a legal limit there is."""
    return not case.extension_days and case.legal_limit_days is not None


def tolerable_item(user, case) -> bool:
    """容缺 applies to an item with tolerable materials, at the clerk's own counter."""
    return free_or_mine(user, case) and bool(tolerance.tolerable_requirements(case.item))


def pledge_missing(user, case) -> bool:
    return tolerable_item(user, case) and not case.tolerance_pledges.exists()


def reviewed(user, case) -> bool:
    """A decision follows a recorded opinion (审查意见): until then the page offers the opinion."""
    return case.review_steps.exists()


def verification_open(user, case) -> bool:
    return commitment.open_verification_task(case) is not None


ACTIONS = [
    StaffAction("claim", _("承办"), f.ClaimForm, "cases.intake", _("已承办，开始预审。"),
                move="start_pre_review"),
    StaffAction("accept", _("受理"), f.AcceptForm, "cases.intake", _("已受理，受理通知书已生成。"),
                move="accept", when=free_or_mine),
    StaffAction("tolerance_pledge", _("录入纸质容缺承诺书"), f.TolerancePledgePaperForm,
                "cases.intake", _("容缺承诺已录入。"), states=frozenset({S.PRE_REVIEW}),
                when=pledge_missing),
    StaffAction("accept_with_tolerance", _("容缺受理"), f.AcceptWithToleranceForm,
                "cases.intake", _("已容缺受理，容缺受理告知书已生成。"),
                move="accept_with_tolerance", when=tolerable_item),
    StaffAction("return", _("退回补正（一次性告知）"), f.ReturnForm, "cases.intake",
                _("已退回补正，一次性告知书已生成。"), move="return_for_correction",
                when=free_or_mine),
    StaffAction("offer_help", _("先帮再办：记录告知与帮助"), f.OfferHelpForm, "cases.intake",
                _("已记录先帮再办情况。"), states=frozenset({S.PRE_REVIEW}), when=free_or_mine),
    StaffAction("not_accept", _("不予受理"), f.NotAcceptForm, "cases.intake",
                _("已作出不予受理决定，通知书已生成。"), move="not_accept", when=free_or_mine,
                confirm=_("确定不予受理？此操作不能撤销。")),
    StaffAction("start_review", _("承办审查"), f.StartReviewForm, "cases.review",
                _("已承办，开始审查。"), move="start_review"),
    StaffAction("review_step", _("填写审查意见"), f.ReviewStepForm, "cases.review",
                _("审查意见已记录。"), states=frozenset({S.IN_REVIEW})),
    StaffAction("suspend", _("进入特别程序"), f.SuspendForm, "cases.review",
                _("已进入特别程序，计时暂停。"), move="suspend"),
    StaffAction("resume", _("恢复审查"), f.ResumeForm, "cases.review",
                _("已恢复审查，期限已重新计算。"), move="resume"),
    StaffAction("extend", _("延长期限"), f.ExtendForm, "cases.decide",
                _("期限已延长，延期告知书已生成。"),
                states=frozenset({S.IN_REVIEW, S.SUSPENDED}), when=extendable),
    StaffAction("decide", _("作出决定"), f.DecideForm, "cases.decide",
                _("决定已作出，决定书已生成。"), move="decide", when=reviewed,
                confirm=_("确定作出决定？决定书将送达申请人。")),
    StaffAction("complete", _("办结"), f.CompleteForm, "cases.finish", _("已办结。"),
                move="complete"),
    StaffAction("deliver", _("送达"), f.DeliverForm, "cases.finish", _("已送达。"),
                move="deliver"),
    StaffAction("verify", _("记录告知承诺核查结果"), f.VerificationForm, "cases.review",
                _("核查结果已记录。"), states=frozenset({S.DECIDED, S.COMPLETED, S.DELIVERED}),
                when=verification_open,
                confirm=_("确定记录核查结果？核查不实的，许可决定和证照将被撤销。")),
    StaffAction("note", _("添加意见"), f.NoteForm, "cases.see_internal", _("意见已添加。")),
]
BY_SLUG = {action.slug: action for action in ACTIONS}


def available_actions(user, case) -> list[StaffAction]:
    moves = {t.name for t in case.get_available_state_transitions()}
    return [action for action in ACTIONS if action.available(user, case, moves)]
