"""Applying: drafts, materials, submission (with idempotency), case numbers, query codes."""

from __future__ import annotations

from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role
from onewindow.accounts.selectors import authorisation_covering
from onewindow.audit.services import audit_record
from onewindow.cases import clocks, documents, uploads
from onewindow.cases.enums import CaseState, PauseKind
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.models import Case, CaseNumberSequence, SubmittedMaterial
from onewindow.cases.selectors_bundles import provided_requirement_ids
from onewindow.cases.services.commitment import materials_covered_by_commitment
from onewindow.cases.services.core import lock_case, move_as, require, transition
from onewindow.catalog.enums import FETCHED_SOURCES, LimitUnit, OnlineDepth
from onewindow.catalog.models import MaterialRequirement
from onewindow.core.codes import readable_code
from onewindow.core.db import Prepared, known_empty


def acting_applicant(*, actor, enterprise, item):
    """The person a new case is for, after checking that `actor` may apply for `enterprise`.

    A member applies as themselves. A help agent applies only for an enterprise whose
    authorisation in force covers `item` (None: a bundle, which needs one for all items); the
    case's applicant is then the member who granted it, and the agent is its `filed_by`."""
    if actor.role == Role.HELP_AGENT:
        if enterprise is None:
            raise CaseForbidden(_("帮办代办员须以所代办企业的名义申请。"))
        authorisation = authorisation_covering(agent=actor, enterprise=enterprise, item=item)
        if authorisation is None:
            raise CaseForbidden(
                _("您没有该企业办理此事项的有效代办授权（可能未授权、已过期或已撤销）。"))
        return authorisation.granted_by
    if enterprise is not None and not actor.memberships.filter(enterprise=enterprise).exists():
        raise CaseForbidden(_("您不是该企业的经办人，不能以该企业名义申请。"))
    return actor



@transaction.atomic
def case_create_draft(*, actor, item, enterprise=None, applicant=None, form_data=None,
                      idempotency_key: str = "") -> Case:
    """A draft application of `item` by `actor` (for `enterprise` if given).

    With an idempotency key, a second call with the same key returns the first draft.
    """
    if idempotency_key:
        existing = Case.objects.filter(filed_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not item.is_published:
        raise CaseInputError(_("该事项暂未开放网上申请。"))
    if item.online_depth < OnlineDepth.PRE_REVIEW:
        raise CaseInputError(_("该事项暂不支持网上申请，请按办事指南到窗口办理。"))
    authorised_applicant = acting_applicant(actor=actor, enterprise=enterprise, item=item)
    case = Case(item=item, department=item.department,
                applicant=applicant or authorised_applicant,
                enterprise=enterprise, filed_by=actor, title=item.name,
                form_data=form_data or {}, idempotency_key=idempotency_key,
                legal_limit_days=_working_days(item.legal_limit, item.legal_limit_unit),
                promised_limit_days=_working_days(item.promised_limit, item.promised_limit_unit))
    case, created = save_new_draft(case)
    if created:
        audit_record(actor=actor, action="case_create", obj=case, new={"state": case.state,
                     "item": item.implementation_code})
    return case


def save_new_draft(case: Case) -> tuple[Case, bool]:
    """Check and save a new draft: (it, True); or (its twin, False) when a concurrent call with
    the same idempotency key (a double click, a retry) saved first. The key's uniqueness is
    left to the database: a twin committed after the caller looked for one is returned, not
    refused as a broken constraint."""
    case.full_clean(exclude=["number"], validate_constraints=False)
    case.validate_constraints(exclude=["number", "idempotency_key"])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if not case.idempotency_key:
            raise
        return Case.objects.get(filed_by=case.filed_by, idempotency_key=case.idempotency_key), False
    return case, True


def _working_days(limit, unit) -> int | None:
    """A catalog limit as working days. Natural days become the working days they surely hold
    (5 in 7, rounded down): the clock may end early, never late."""
    if limit is None:
        return None
    if unit == LimitUnit.WORKING_DAY:
        return limit
    if unit == LimitUnit.HOUR:
        return 0 if limit < 24 else limit // 8
    return limit * 5 // 7  # natural days: the working days they usually hold


@transaction.atomic
def case_update_draft(*, actor, case_id: int, form_data: dict) -> Case:
    case = lock_case(case_id)
    if not actor.has_perm("cases.apply", case):
        raise CaseForbidden(_("您无权修改该申请。"))
    _single_item(case)  # a bundle's one form is saved by `bundles.bundle_update_draft`
    if case.state not in (CaseState.DRAFT, CaseState.RETURNED):
        raise CaseInputError(_("申请已提交，不能再修改申请表。"))
    case.form_data = form_data
    case.save(update_fields=["form_data", "updated_at"])
    return case


def _single_item(case) -> None:
    if case.is_bundle_parent:
        raise CaseInputError(_("这是“一件事”的主办件，请在一件事页面提交和上传材料。"))


def missing_materials(case) -> list:
    """Required materials of the item with no current upload and no signed commitment (告知承诺)
    standing in for them; not those the window obtains itself (`FETCHED_SOURCES`: the guide
    tells the applicant not to submit them). On every submit: one statement, compiled once
    (`Prepared`); what a commitment or a sibling part covers is asked only when an upload is
    missing."""
    missing = [m for m in _REQUIRED.all(case.item_id, case.pk) if not m.uploaded]
    if not missing:
        return []
    covered = (materials_covered_by_commitment(case)
               | provided_requirement_ids(case))  # 一件事: what a sibling's result provides
    return [m for m in missing if m.pk not in covered]


def refuse_missing(case, message: str) -> None:
    """Refuse with `message` (naming them: `%(names)s`) while `case` lacks a required
    material: an acceptance, an approval."""
    missing = missing_materials(case)
    if missing:
        raise CaseInputError(message % {"names": material_names(missing)})


def material_names(materials) -> str:
    return "、".join(m.name for m in materials)


_REQUIRED = Prepared(lambda item_id, case_id: MaterialRequirement.objects
                     .filter(item_id=item_id, required=True)
                     .exclude(source__in=FETCHED_SOURCES)
                     .annotate(uploaded=Exists(SubmittedMaterial.objects.filter(
                         case_id=case_id, requirement_id=OuterRef("pk"),
                         superseded_at__isnull=True))))


def give_number(case, on) -> None:
    """A case's number and query code, the first time it is submitted (a case resubmitted after
    correction, or a bundle's parent already numbered, keeps its own)."""
    if case.number is None:
        case.number = _next_number(on.year)
        case.query_code = readable_code(6)


def _next_number(year: int) -> str:
    """The year's next case number: unique, in order of submission, never reused.

    On PostgreSQL it comes from the year's sequence, which no submission waits for (a row
    locked until each submission's commit made every concurrent submission queue behind it,
    docs/performance.md); a submission rolled back leaves a gap. On SQLite, whose writers queue
    for its one write lock anyway, it is the year's `CaseNumberSequence` row, upserted in one
    statement, and gapless."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            last = _from_sequence(cursor, year)
        else:
            cursor.execute(_upsert_sql(), [year])
            (last,) = cursor.fetchone()
    return f"GX{year}{last:06d}"


def _from_sequence(cursor, year: int) -> int:
    name = number_sequence_name(year)
    cursor.execute("SELECT nextval(to_regclass(%s))", [name])  # NULL: no sequence yet
    (last,) = cursor.fetchone()
    if last is None:
        _create_sequence(year)
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        (last,) = cursor.fetchone()
    return last


def number_sequence_name(year: int) -> str:
    return f"{CaseNumberSequence._meta.db_table}_{int(year)}"


def _create_sequence(year: int) -> None:
    """The year's sequence, made by its first submission. It starts after the highest number
    the year already has: in its cases (data loaded without its sequence, a sequence dropped)
    or in the year's `CaseNumberSequence` row (numbers taken before sequences were used, or
    copied from SQLite). Two first submissions at once: the one that loses waits for the
    other's commit and uses its sequence."""
    table, cases = CaseNumberSequence._meta.db_table, Case._meta.db_table
    prefix = f"GX{int(year)}"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT GREATEST((SELECT COALESCE(MAX(last), 0) FROM {table} WHERE year = %s), "
                f"(SELECT COALESCE(MAX(CAST(SUBSTRING(number FROM %s) AS BIGINT)), 0) "
                f"FROM {cases} WHERE number LIKE %s AND LENGTH(number) = %s)) + 1",
                [year, len(prefix) + 1, prefix + "%", len(prefix) + 6])
            (start,) = cursor.fetchone()
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {number_sequence_name(year)} "
                           f"START WITH {int(start)}")
    except IntegrityError:  # made at the same moment by another submission, now committed
        pass


@cache
def _upsert_sql() -> str:
    table = CaseNumberSequence._meta.db_table  # SQLite 3.35+ and PostgreSQL alike
    return (f"INSERT INTO {table} (year, last) VALUES (%s, 1) ON CONFLICT (year) "
            f"DO UPDATE SET last = {table}.last + 1 RETURNING last")


def case_submit(*, actor, case_id: int, note: str = "") -> Case:
    """Submit a draft, or resubmit a case returned for correction (the same case, Art. 32)."""
    return transition(case_id=case_id, action="submit", actor=actor, perm="cases.apply",
                      note=note, apply=_submission)


def submit_locked(case: Case, *, actor, note: str = "", tell: bool = True) -> Case:
    """`case_submit` for a case the caller holds locked (`lock_case`) in its open transaction,
    to go on with it in the same transaction (秒批: `case_submit_and_try_instant`, which tells
    the applicant itself: `tell=False`)."""
    return move_as(actor, "cases.apply", case, action="submit", note=note, apply=_submission,
                   tell=tell)


def _submission(case: Case) -> dict:
    _single_item(case)
    missing = missing_materials(case)
    # 容缺受理: a material the catalog marks tolerable may follow after acceptance, if the
    # window accepts with tolerance at pre-review; never for a blacklisted applicant.
    tolerable = not blacklisted(case)
    refused = [m for m in missing if not (tolerable and m.tolerance_allowed)]
    if refused:
        raise CaseInputError(_("还缺少必要材料：%(names)s。请上传后再提交。")
                             % {"names": material_names(refused)})
    owed = [m for m in missing if m not in refused]
    case.owed_at_submission = owed  # what 秒批 reads in the same transaction (`instant`)
    on = clocks.today()
    if case.number is not None:  # a resubmission after correction: time with the applicant ends
        _close_applicant_pause(case, on)
    else:  # before its first submission nothing pauses a case and no document is issued to
        known_empty(case, "pauses")  # it: its clocks and its documents' numbers need not ask
        documents.none_issued(case)
    give_number(case, on)
    case.submitted_at = timezone.now()
    case.received_on = on
    case.pre_review_due = clocks.pre_review_due(on).date
    details = {"number": case.number, "pre_review_due": case.pre_review_due}
    if owed:
        details["tolerable_missing"] = [m.name for m in owed]
    if case.parent_id is not None:  # a part of a bundle (一件事)
        details["parent"] = case.parent.number
    return details


def blacklisted(case) -> bool:
    """The applying party (`Case.applying_party`) is on the credit blacklist: no tolerance
    (容缺) for it."""
    return case.applying_party.is_blacklisted


def _close_applicant_pause(case, on) -> None:
    open_pause = case.pauses.filter(kind=PauseKind.WITH_APPLICANT, ended_on__isnull=True).first()
    if open_pause is not None:
        open_pause.ended_on = on
        open_pause.save(update_fields=["ended_on"])
        case.corrections.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


def case_withdraw(*, actor, case_id: int, reason: str = "") -> Case:
    def apply(case):
        case.withdrawn_reason = reason
        return {"reason": reason}

    return transition(case_id=case_id, action="withdraw", actor=actor, perm="cases.apply",
                      note=reason, apply=apply)


def material_record(*, actor, case, requirement, stored) -> SubmittedMaterial:
    """Record an uploaded file (already checked and stored by `uploads`) as the current
    version of `requirement`; earlier versions are kept, marked superseded. Call while holding
    the case row lock."""
    now = timezone.now()
    case.materials.filter(requirement=requirement, superseded_at__isnull=True) \
        .update(superseded_at=now)
    material = SubmittedMaterial(case=case, requirement=requirement, uploaded_by=actor,
                                 **stored)
    material.save()
    audit_record(actor=actor, action="case_material_upload", obj=case,
                 new={"material": requirement.name, "sha256": material.sha256,
                      "size": material.size})
    return material


@transaction.atomic
def case_material_upload(*, actor, case_id: int, requirement_id: int,
                         uploaded_file) -> SubmittedMaterial:
    """Check an applicant's file for one material of a draft or returned case and record it
    as that material's current version. A refused file changes nothing."""
    case = lock_case(case_id)
    require(actor, "cases.apply", case, _("您无权为该办件上传材料。"))
    _single_item(case)
    if case.state not in (CaseState.DRAFT, CaseState.RETURNED):
        raise CaseInputError(_("办件 %(number)s 当前状态为“%(state)s”，不能上传材料。") % {
            "number": case.number or _("草稿"), "state": case.get_state_display()})
    requirement = case.item.materials.filter(pk=requirement_id).first()
    if requirement is None:
        raise CaseInputError(_("该材料不属于本事项，请刷新页面后重试。"))
    stored = uploads.check_and_store(requirement=requirement, uploaded_file=uploaded_file)
    stored = uploads.reuse_stored_copy(case=case, stored=stored)
    return material_record(actor=actor, case=case, requirement=requirement, stored=stored)
