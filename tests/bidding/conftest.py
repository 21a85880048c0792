"""A small 1+N evaluation: a main venue and two sub-venues, nine experts, one tender, three bids.

`evaluation` (unseated) and `seated` (committee of 5 drawn, confirmed, chair elected) build on
the services themselves, so the tests go through the same checks the pages do.
"""

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.bidding import services
from onewindow.bidding.models import Tender
from tests.bidding.factories import ExpertFactory, SpecialityFactory, VenueFactory
from tests.factories import UserFactory, make_uscc

D = Decimal
CITIES = [("main", "高新区评标主场", "青岛高新区"), ("yantai", "烟台评标副场", "烟台"),
          ("laoshan", "崂山评标副场", "崂山")]


class Evaluation:
    """Handles on one scenario; `users` by name, `experts` in creation order."""

    def __init__(self):
        self.admin = UserFactory(username="bidadmin", role="system_admin")
        self.operators = {code: UserFactory(username=f"op_{code}", role="venue_operator")
                          for code, _, _ in CITIES}
        self.venues = {code: VenueFactory(code=code, name=name, city=city, seats=3)
                       for code, name, city in CITIES}
        for code, venue in self.venues.items():
            venue.operators.set([self.operators[code]])
        self.main_op = self.operators["main"]
        self.it = SpecialityFactory(code="it", name="信息技术")
        self.econ = SpecialityFactory(code="econ", name="经济")
        self.experts = []
        for i in range(9):
            city = CITIES[i % 3][2]
            specialities = [self.it, self.econ] if i % 2 else [self.it]
            self.experts.append(ExpertFactory(
                user=UserFactory(username=f"expert{i + 1}", role="expert"), city=city,
                specialities=specialities))
        self.tender = self.make_tender()
        self.lot = self.tender.lots.get()
        self.criteria = [
            services.criterion_add(actor=self.main_op, tender=self.tender, name="技术方案",
                                   max_points=D("40"), description="方案完整、可行"),
            services.criterion_add(actor=self.main_op, tender=self.tender, name="售后服务",
                                   max_points=D("30")),
        ]
        self.bids = [
            services.bid_register(actor=self.main_op, tender=self.tender, lot=self.lot,
                                  bidder=name, bidder_uscc=make_uscc(700 + i), price=D(price),
                                  documents=[("投标文件.pdf", f"%PDF bid {i}".encode())])
            for i, (name, price) in enumerate([("青岛甲科技有限公司", "950000"),
                                                ("青岛乙科技有限公司", "1000000"),
                                                ("青岛丙科技有限公司", "1100000")])]

    def make_tender(self, **overrides) -> Tender:
        fields = {"number": "QDGX-2026-0001", "title": "高新区智慧园区设备采购项目",
                  "buyer": "青岛高新区管委会", "kind": "goods", "method": "comprehensive",
                  "price_weight": D("30"), "budget": D("2000000"), "committee_size": 5,
                  "evaluation_date": dt.date(2026, 3, 10)}
        fields.update(overrides)
        return services.tender_create(
            actor=self.main_op, main_venue=self.venues["main"],
            sub_venues=[self.venues["yantai"], self.venues["laoshan"]], **fields)

    def draw(self, needs=None, **kwargs):
        return services.committee_draw(actor=self.main_op, tender=self.tender,
                                       needs=needs or {"it": 3, "econ": 2}, **kwargs)

    def members(self):
        return list(self.tender.members.filter(status__in=["invited", "confirmed"])
                    .select_related("user").order_by("pk"))

    def seat(self):
        """Draw, confirm everyone, elect the first member chair; returns the members."""
        self.draw(seed="seed-for-tests")
        members = self.members()
        for member in members:
            services.member_answer(actor=member.user, member=member, accept=True)
        for member in members[:3]:
            services.chair_elect(actor=member.user, tender=self.tender, member=members[0])
        self.tender.refresh_from_db()
        return self.members()

    def score_all(self, members, table):
        """`table[bid index][member index]` = (points per criterion …)."""
        for b, bid in enumerate(self.bids):
            for m, member in enumerate(members):
                for criterion, points in zip(self.criteria, table[b][m], strict=True):
                    services.score_enter(actor=member.user, bid=bid, criterion=criterion,
                                         points=D(points))


@pytest.fixture
def evaluation(db):
    return Evaluation()


@pytest.fixture
def seated(evaluation):
    evaluation.seated_members = evaluation.seat()
    return evaluation


# Worked example 1 of bid-evaluation.md as per-criterion points (40 + 30 split of each total):
# A [60,62,58,61,59], B [66,65,67,64,68], C [69,68,70,67,66].
EXAMPLE1 = [
    [("35", "25"), ("36", "26"), ("34", "24"), ("35", "26"), ("34", "25")],
    [("38", "28"), ("37", "28"), ("38", "29"), ("36", "28"), ("39", "29")],
    [("40", "29"), ("39", "29"), ("40", "30"), ("38", "29"), ("37", "29")],
]


def close_with_example1(ev):
    members = ev.seated_members
    for bid in ev.bids:
        services.compliance_record(actor=members[0].user, bid=bid, passed=True)
    ev.score_all(members, EXAMPLE1)
    return services.scoring_close(actor=members[0].user, tender=ev.tender)
