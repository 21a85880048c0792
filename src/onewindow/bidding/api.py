"""The bidding JSON API, mounted at /api/bidding/: another face of the same services.

Session endpoints need an API token (`Authorization: Bearer ow_…`) or the browser session
(unsafe methods with the CSRF token); refusals are `{"detail": "<中文>"}` with the service's
4xx status. Public: the stateless ranking (`POST /score`, the CLI's format), the report
verification and the OCDS package of a tender whose report is countersigned.
"""

import json
from decimal import Decimal

from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from onewindow.bidding import ocds, selectors, services
from onewindow.bidding.enums import TenderState
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import Bid, CommitteeMember, Criterion, Report, Tender
from onewindow.bidding.scorefile import ScoreFileError, rank_document
from onewindow.core.api_auth import API_AUTH
from onewindow.core.schemas import ErrorOut

AUTH = API_AUTH
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}
router = Router(tags=["bidding"])


class ScoreIn(Schema):
    bid: int
    criterion: int
    points: Decimal = Field(..., description="分值，最多两位小数")


class ComplianceIn(Schema):
    bid: int
    passed: bool
    reason: str = ""


class MessageIn(Schema):
    text: str


class ChairIn(Schema):
    member: int = Field(..., description="被推选成员的编号")


def _tender(request, tender_id: int) -> Tender:
    """Committee members and the tender's venue operators; the same 404 for everyone else."""
    user = request.auth
    tender = Tender.objects.select_related("main_venue").filter(pk=tender_id).first()
    if tender is None or not (selectors.member_for(user=user, tender=tender) is not None
                              or user.has_perm("bidding.watch_tender", tender)):
        raise HttpError(404, _("招标项目不存在。"))
    return tender


def _run(call):
    try:
        return call()
    except BiddingError as err:
        raise HttpError(err.status, err.message) from None


def _get(model, tender, pk: int, message: str):
    obj = model.objects.filter(pk=pk, tender=tender).first()
    if obj is None:
        raise HttpError(404, message)
    return obj


@router.get("/tenders/{int:tender_id}/progress", auth=AUTH, response={200: dict, **ERRORS},
            summary="评标进度")
def progress(request, tender_id: int):
    """Each member's scored / total cells (never the points while scoring is open)."""
    tender = _tender(request, tender_id)
    return {"state": tender.state, "chair": tender.chair_id,
            "members": list(selectors.progress(tender=tender).values())}


@router.get("/tenders/{int:tender_id}/scores", auth=AUTH, response={200: list[dict], **ERRORS},
            summary="评分汇总")
def scores(request, tender_id: int):
    """The scores the caller may see: their own while open, all after the close."""
    tender = _tender(request, tender_id)
    return [{"member": s.member_id, "bid": s.bid_id, "criterion": s.criterion_id,
             "points": str(s.points)}
            for s in selectors.scores_visible_to(user=request.auth, tender=tender)]


@router.post("/tenders/{int:tender_id}/scores", auth=AUTH, response={200: dict, **ERRORS},
             summary="录入评分")
def score_enter(request, tender_id: int, payload: ScoreIn):
    tender = _tender(request, tender_id)
    bid = _get(Bid, tender, payload.bid, _("投标文件不存在。"))
    criterion = _get(Criterion, tender, payload.criterion, _("评分因素不存在。"))
    score = _run(lambda: services.score_enter(actor=request.auth, bid=bid, criterion=criterion,
                                              points=payload.points))
    return {"id": score.pk, "bid": bid.pk, "criterion": criterion.pk, "points": str(score.points)}


@router.post("/tenders/{int:tender_id}/compliance", auth=AUTH, response={200: dict, **ERRORS},
             summary="符合性审查结论")
def compliance(request, tender_id: int, payload: ComplianceIn):
    tender = _tender(request, tender_id)
    bid = _get(Bid, tender, payload.bid, _("投标文件不存在。"))
    bid = _run(lambda: services.compliance_record(actor=request.auth, bid=bid,
                                                  passed=payload.passed, reason=payload.reason))
    return {"bid": bid.pk, "compliance": bid.compliance, "reason": bid.compliance_reason}


@router.post("/tenders/{int:tender_id}/chair", auth=AUTH, response={200: dict, **ERRORS},
             summary="推选评标委员会主任")
def chair(request, tender_id: int, payload: ChairIn):
    tender = _tender(request, tender_id)
    member = CommitteeMember.objects.filter(pk=payload.member, tender=tender).first()
    if member is None:
        raise HttpError(404, _("评标委员会成员不存在。"))
    tender = _run(lambda: services.chair_elect(actor=request.auth, tender=tender, member=member))
    return {"state": tender.state, "chair": tender.chair_id}


@router.post("/tenders/{int:tender_id}/close", auth=AUTH, response={200: dict, **ERRORS},
             summary="结束评标")
def close(request, tender_id: int):
    tender = _tender(request, tender_id)
    tender = _run(lambda: services.scoring_close(actor=request.auth, tender=tender))
    return {"state": tender.state}


@router.post("/tenders/{int:tender_id}/messages", auth=AUTH, response={200: dict, **ERRORS},
             summary="发送评标室消息")
def message(request, tender_id: int, payload: MessageIn):
    tender = _tender(request, tender_id)
    posted = _run(lambda: services.message_post(actor=request.auth, tender=tender,
                                                text=payload.text))
    return {"id": posted.pk, "venue": posted.venue.name, "text": posted.text}


@router.get("/tenders/{int:tender_id}/results", auth=AUTH, response={200: dict, **ERRORS},
            summary="评标结果")
def results(request, tender_id: int):
    """Scores, totals and ranking per lot, once the chair closed scoring."""
    tender = _tender(request, tender_id)
    if tender.state not in (TenderState.SCORED, TenderState.REPORTED):
        raise HttpError(409, _("评标委员会主任结束评分后才能查看评审结果。"))
    return json.loads(json.dumps(selectors.report_payload(tender=tender), default=str))


@router.get("/tenders/{int:tender_id}/ocds", auth=None, response={200: dict, 404: ErrorOut},
            summary="OCDS 数据包")
def ocds_package(request, tender_id: int):
    """The OCDS release package (bids extension) of a tender whose report is countersigned."""
    tender = Tender.objects.select_related("main_venue").filter(
        Q(pk=tender_id) & Q(state=TenderState.REPORTED)).first()
    if tender is None:
        raise HttpError(404, _("该项目的评标结果尚未公开。"))
    return ocds.release_package(tender)


@router.get("/verify/{code}", auth=None, response={200: dict, 404: ErrorOut},
            summary="核验评标报告")
def verify(request, code: str):
    """Check every signature of a report and whether the saved scores still match it."""
    report = Report.objects.filter(code=code).first()
    if report is None:
        raise HttpError(404, _("未找到该评标报告。"))
    result = selectors.report_verify(report=report)
    return {"valid": result["valid"], "payload_ok": result["payload_ok"],
            "countersign_ok": result["countersign_ok"], "digest": result["digest"],
            "signatures": [{k: str(v) if k == "at" else v for k, v in s.items()}
                           for s in result["signatures"]]}


@router.post("/score", auth=None, response={200: dict, 422: ErrorOut}, summary="按评标办法计算得分")
def score(request):
    """The stateless ranking: the body is the `onewindow bidding score` input document
    (docs/bidding-score-format.md); the answer is its output."""
    try:
        result = rank_document(request.body.decode("utf-8", errors="replace"))
    except ScoreFileError as exc:
        return Status(422, {"detail": _("输入格式有误：%(error)s") % {"error": exc}})
    return HttpResponse(json.dumps(result, ensure_ascii=False), content_type="application/json")
