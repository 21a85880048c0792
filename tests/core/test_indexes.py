"""The tables every case move writes carry no index that another already provides.

A move changes the case's state, which is indexed, so no update of a case is HOT: each one adds
an entry to every index of the table, and the audit event, notification and document rows it
inserts do the same on theirs. An index whose columns lead another index (or repeat a unique
one, as the LIKE index PostgreSQL gets for `unique=True` on a CharField) serves no lookup the
other does not, and costs every write.
"""

import pytest
from django.apps import apps
from django.db import connection

WRITTEN_BY_EVERY_MOVE = ["cases_case", "audit_auditevent", "cases_notification",
                         "cases_casedocument",
                         "cases_notificationdelivery"]  # not every move: held to the same rule


def _partial() -> set[str]:
    """Indexes and unique constraints with a condition: they serve only queries that repeat it."""
    return {c.name for model in apps.get_models()
            for c in [*model._meta.constraints, *model._meta.indexes]
            if getattr(c, "condition", None) is not None}


def _indexes(table: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    partial = _partial()
    return {name: (tuple(info["columns"]), bool(info["unique"])) for name, info in found.items()
            if (info["index"] or info["unique"] or info["primary_key"]) and name not in partial}


def redundant(indexes: dict[str, tuple[tuple[str, ...], bool]]) -> list[str]:
    """Names of the non-unique indexes whose columns lead (or equal) another index's."""
    out = []
    for name, (columns, unique) in indexes.items():
        if unique:
            continue
        for other, (other_columns, _unique) in indexes.items():
            if other != name and other_columns[:len(columns)] == columns:
                out.append(f"{name} {columns} (led by {other} {other_columns})")
                break
    return sorted(out)


def test_the_check_finds_a_redundant_index():
    assert redundant({"a": (("x",), False), "b": (("x", "y"), False)}) == [
        "a ('x',) (led by b ('x', 'y'))"]
    assert redundant({"like": (("number",), False), "key": (("number",), True)}) == [
        "like ('number',) (led by key ('number',))"]
    assert redundant({"a": (("x",), False), "b": (("y", "x"), False)}) == []


@pytest.mark.django_db
@pytest.mark.parametrize("table", WRITTEN_BY_EVERY_MOVE)
def test_no_index_is_redundant(table):
    indexes = _indexes(table)
    assert indexes, f"no index found on {table}"
    assert redundant(indexes) == []
