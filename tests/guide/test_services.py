"""The guide's writes: rate limit, query log, synonyms and scenarios (audited), the seed."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.catalog.services import catalog_admin_grant
from onewindow.guide.errors import RateLimited
from onewindow.guide.models import RateCounter, Synonym
from onewindow.guide.seeding import seed_demo_guide
from onewindow.guide.services import rate_limit_take, scenario_create, synonym_create
from tests.cases.conftest import race
from tests.guide.zone import small_zone

pytestmark = pytest.mark.django_db


def test_rate_limit_counts_per_client_and_minute(settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 2
    now = timezone.now().replace(second=10)
    assert rate_limit_take(client="a", now=now) == 1
    assert rate_limit_take(client="a", now=now) == 2
    with pytest.raises(RateLimited) as refused:
        rate_limit_take(client="a", now=now)
    assert "频繁" in refused.value.message and refused.value.status == 429
    assert rate_limit_take(client="b", now=now) == 1  # another client has its own count
    assert rate_limit_take(client="a", now=now + dt.timedelta(minutes=1)) == 1


def test_rate_limit_drops_old_windows():
    old = timezone.now() - dt.timedelta(hours=1)
    rate_limit_take(client="a", now=old)
    rate_limit_take(client="a")
    assert RateCounter.objects.count() == 1


def test_synonym_create_is_audited_and_validated():
    zone = small_zone()
    synonym = synonym_create(actor=None, phrase=" 小馆子 ", expansion="食品经营许可",
                             items=[zone.food])
    assert synonym.phrase == "小馆子" and synonym.expansion_terms == ["食品经营许可"]
    event = AuditEvent.objects.get(action="synonym_create")
    assert event.new_value["items"] == [zone.food.pk]
    with pytest.raises(Exception, match="至少两个字"):
        synonym_create(actor=None, phrase="馆")


def test_scenario_create_keeps_the_order_and_is_audited():
    zone = small_zone()
    scenario = scenario_create(actor=None, name="开饭店", phrases=["开饭店", "饭馆"],
                               steps=[{"bundle": zone.bundle}, {"item": zone.food}])
    assert [s.bundle or s.item for s in scenario.steps.all()] == [zone.bundle, zone.food]
    assert AuditEvent.objects.filter(action="scenario_create").count() == 1


def test_admin_catalog_admin_adds_a_synonym_audited(client, make_user):
    zone = small_zone()
    admin_user = catalog_admin_grant(actor=None, user=make_user(role="catalog_admin"))
    client.force_login(admin_user)
    add = reverse("admin:guide_synonym_add")
    assert client.get(add, {"phrase": "小馆子"}).status_code == 200
    response = client.post(add, {"phrase": "小馆子", "expansion": "食品经营许可",
                                 "items": [zone.food.pk], "note": ""})
    assert response.status_code == 302
    synonym = Synonym.objects.get(phrase="小馆子")
    event = AuditEvent.objects.get(action="synonym_create")
    assert event.object_id == str(synonym.pk) and event.actor == admin_user
    changelist = client.get(reverse("admin:guide_querylog_changelist"), {"clicked": "no"})
    assert changelist.status_code == 200
    assert "/admin/guide/" in client.get(reverse("admin:index")).content.decode()


def test_admin_guide_is_closed_to_other_staff(client, make_user):
    clerk = make_user(role="window_clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:guide_synonym_add")).status_code == 403


def test_seed_demo_guide_without_the_demo_catalog_creates_nothing():
    small_zone()  # items without the demo codes
    assert seed_demo_guide() == 0
    assert not Synonym.objects.exists()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("several real connections counting one client: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_rate_limit_race_admits_exactly_the_limit(postgres_only, settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 5
    now = timezone.now()
    outcomes = race(*[lambda: rate_limit_take(client="hall-kiosk", now=now)] * 8)
    admitted = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, RateLimited)]
    assert sorted(admitted) == [1, 2, 3, 4, 5] and len(refused) == 3
    assert RateCounter.objects.get(client="hall-kiosk").hits == 5
