"""The demo seed of the guide: synonyms and scenarios for the demo catalog, idempotent."""

import pytest

from onewindow.guide.models import Scenario, Synonym
from onewindow.guide.seeding import seed_demo_guide

pytestmark = pytest.mark.django_db


def test_seed_demo_guide_creates_then_nothing(demo_catalog):
    # the demo_catalog fixture has run the guide's seed once already
    assert Synonym.objects.count() > 100 and Scenario.objects.count() >= 5
    restaurant = Scenario.objects.get(name="开饭店")
    assert restaurant.steps.count() >= 4
    assert seed_demo_guide() == 0
