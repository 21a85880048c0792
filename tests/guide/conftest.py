"""The guide's fixtures: the demo catalog (with the guide's demo synonyms and scenarios) or
the real 1,135-item catalog, each loaded once per test module and rolled back after it."""

from pathlib import Path

import pytest
from django.db import transaction

from onewindow.catalog.services import catalog_import_json
from onewindow.core.seeding.runner import seed_demo
from onewindow.guide.engine.build import HOLDER
from onewindow.guide.seeding import seed_demo_guide

HERE = Path(__file__).resolve().parent
EVAL_DEMO = HERE / "eval_demo.tsv"
EVAL_REAL = HERE / "eval_real.tsv"


class _Rollback(Exception):
    pass


def _loaded(django_db_blocker, load):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                load()
                HOLDER.drop()
                yield
                raise _Rollback
        except _Rollback:
            pass
        HOLDER.drop()


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    """The seeded demo zone: 74 items, bundles, life events, the guide's synonyms."""
    def load():
        seed_demo(with_users=False)
        seed_demo_guide()
    yield from _loaded(django_db_blocker, load)


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    """The real district catalog, published, and nothing else."""
    yield from _loaded(django_db_blocker,
                       lambda: catalog_import_json(actor=None, publish=True))


@pytest.fixture(autouse=True)
def _fresh_index():
    HOLDER.drop()
    yield
    HOLDER.drop()
