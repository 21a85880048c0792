"""The demo zone's bidding data; idempotent, called by `onewindow seed`.

The zone's first 1+N evaluation from the seed news: 春阳路路面提升工程, with the zone's public
resource trading hall as main venue and Yantai's and Laoshan's centres as sub-venues. Nine demo
experts (expert1 … expert9, the demo password), three per city, and one operator per venue
(`venue` for the main venue, `venue_yantai`, `venue_laoshan`). The tender has its criteria and
four bids, and a committee of nine drawn with a fixed seed and confirmed: the chair election
and the scoring are left for the demo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from stdnum.cn import uscc

from onewindow.accounts.enums import Role
from onewindow.accounts.models import User
from onewindow.bidding import services
from onewindow.bidding.models import Expert, Speciality, Tender, Venue
from onewindow.core.seeding.users import DEMO_PASSWORD, demo_users_disabled

D = Decimal
VENUES = [  # code, name, city, seats, operator username, operator name
    ("qdgx", "青岛高新区公共资源交易大厅", "青岛高新区", 5, "venue", ("高", "远")),
    ("yantai", "烟台公共资源交易中心", "烟台", 3, "venue_yantai", ("孙", "海")),
    ("laoshan", "崂山区公共资源交易中心", "崂山", 3, "venue_laoshan", ("于", "山")),
]
SPECIALITIES = [("municipal", "市政工程"), ("cost", "工程造价"), ("traffic", "交通工程")]
EXPERTS = [  # (last, first, organisation, speciality); cities cycle main, Yantai, Laoshan
    ("王", "建国", "青岛市政工程设计研究院", "municipal"),
    ("李", "明", "烟台市市政建设集团", "municipal"),
    ("张", "华", "崂山区城市建设发展中心", "municipal"),
    ("刘", "伟", "青岛理工大学土木工程学院", "municipal"),
    ("陈", "静", "烟台大学土木工程学院", "municipal"),
    ("杨", "帆", "青岛华信工程造价咨询有限公司", "cost"),
    ("赵", "敏", "烟台正元工程造价事务所", "cost"),
    ("黄", "磊", "崂山区交通运输局技术中心", "traffic"),
    ("周", "婷", "青岛市交通规划设计院", "traffic"),
]
TENDER_NUMBER = "QDGX-GC-2026-001"
CRITERIA = [("施工组织设计", D("25"), "施工方案、进度计划、质量与安全保证措施"),
            ("项目管理机构", D("15"), "项目经理及技术负责人资格与业绩"),
            ("企业业绩与信誉", D("20"), "近三年类似工程业绩、信用评价")]
BIDS = [("青岛路桥建设集团有限公司", 101, D("3480000.00")),
        ("烟台市政工程有限公司", 102, D("3525000.00")),
        ("青岛城建工程集团有限公司", 103, D("3399000.00")),
        ("山东高新路面工程有限公司", 104, D("3610000.00"))]


def _uscc(n: int) -> str:
    body = f"91370200{n:09d}"
    return body + uscc.calc_check_digit(body)


def seed_demo_bidding() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    if demo_users_disabled():
        return 0
    with transaction.atomic():
        created, password = 0, make_password(DEMO_PASSWORD)
        operators = {}
        for code, name, city, seats, username, (last, first) in VENUES:
            operator, made = _user(username, last, first, Role.VENUE_OPERATOR, password)
            created += made
            operators[code] = operator
            venue, made = Venue.objects.get_or_create(
                code=code, defaults={"name": name, "city": city, "seats": seats})
            created += made
            if not venue.operators.filter(pk=operator.pk).exists():
                venue.operators.add(operator)
        specialities = {}
        for code, name in SPECIALITIES:
            specialities[code], made = Speciality.objects.get_or_create(
                code=code, defaults={"name": name})
            created += made
        created += _experts(operators["qdgx"], specialities, password)
        created += _tender(operators["qdgx"])
    return created


def _user(username, last, first, role, password) -> tuple[User, bool]:
    user, made = User.objects.get_or_create(
        username=username, defaults={"last_name": last, "first_name": first, "role": role,
                                     "password": password})
    return user, made


def _experts(actor, specialities, password) -> int:
    created = 0
    cities = [city for _, _, city, _, _, _ in VENUES]
    for i, (last, first, organisation, speciality) in enumerate(EXPERTS):
        user, made = _user(f"expert{i + 1}", last, first, Role.EXPERT, password)
        created += made
        if not Expert.objects.filter(user=user).exists():
            services.expert_create(actor=actor, user=user, organisation=organisation,
                                   city=cities[i % 3], specialities=[specialities[speciality]])
            created += 1
    return created


def _tender(actor) -> int:
    if Tender.objects.filter(number=TENDER_NUMBER).exists():
        return 0
    venues = {v.code: v for v in Venue.objects.all()}
    tender = services.tender_create(
        actor=actor, main_venue=venues["qdgx"], sub_venues=[venues["yantai"], venues["laoshan"]],
        number=TENDER_NUMBER, title="精密仪器仪表产业园市政配套工程——春阳路路面提升工程",
        buyer="青岛高新区建设管理中心", kind="works", method="comprehensive",
        price_weight=D("40"), budget=D("3800000"), committee_size=9,
        evaluation_date=dt.date.today() + dt.timedelta(days=1))
    for name, points, description in CRITERIA:
        services.criterion_add(actor=actor, tender=tender, name=name, max_points=points,
                               description=description)
    lot = tender.lots.get()
    for bidder, n, price in BIDS:
        services.bid_register(actor=actor, tender=tender, lot=lot, bidder=bidder,
                              bidder_uscc=_uscc(n), price=price,
                              documents=[(f"{bidder}投标文件.pdf",
                                          f"%PDF-1.4 demo bid of {bidder}".encode())])
    services.committee_draw(actor=actor, tender=tender, seed="demo-2026",
                            needs={"municipal": 5, "cost": 2, "traffic": 2})
    for member in tender.members.select_related("user"):
        services.member_answer(actor=member.user, member=member, accept=True)
    return 1 + len(CRITERIA) + len(BIDS) + 9
