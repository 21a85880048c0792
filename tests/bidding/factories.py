"""Factories of the bidding models; codes valid through python-stdnum's check digits."""

import datetime as dt
from decimal import Decimal

import factory

from onewindow.bidding.models import (
    Bid,
    Criterion,
    Expert,
    Lot,
    Speciality,
    Tender,
    Venue,
)
from tests.factories import UserFactory, make_uscc


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"venue{n}")
    name = factory.Sequence(lambda n: f"评标场地{n}")
    city = "青岛高新区"
    seats = 9


class SpecialityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speciality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"sp{n}")
    name = factory.Sequence(lambda n: f"专业{n}")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role="expert")
    organisation = factory.Sequence(lambda n: f"青岛某研究院{n}")
    city = "青岛高新区"

    @factory.post_generation
    def specialities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.specialities.set(extracted)


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"QDGX-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"高新区智慧园区设备采购项目{n}")
    buyer = "青岛高新区管委会"
    budget = Decimal("2000000")
    main_venue = factory.SubFactory(VenueFactory)
    evaluation_date = dt.date(2026, 3, 10)
    created_by = factory.SubFactory(UserFactory, role="system_admin")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    tender = factory.SubFactory(TenderFactory)
    number = 1
    name = "第一包"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    tender = factory.SubFactory(TenderFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"技术方案{n}")
    max_points = Decimal("35")


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    tender = factory.LazyAttribute(lambda o: o.lot.tender)
    bidder = factory.Sequence(lambda n: f"青岛投标科技有限公司{n}")
    bidder_uscc = factory.Sequence(lambda n: make_uscc(500000 + n))
    price = Decimal("1000000")
