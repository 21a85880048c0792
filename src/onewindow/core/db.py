"""Small helpers for the few hot paths that read with a hand-written statement."""

from __future__ import annotations

from typing import NamedTuple

from django.db import connections, models, router
from django.db.models.base import DEFERRED


def raw_first(model: type[models.Model], sql: str, params: list) -> models.Model | None:
    """The first `model` instance `sql` returns (typed by Django's converters), or None.

    For reads on every request or every move, where compiling the ORM query cost several
    times running it. `Model.objects.raw` would do, but it works out which column is which
    field on every call, which on these paths cost more than the query; this works it out
    once per statement shape. Fields the statement leaves out are deferred (loaded when
    touched); columns beyond the model's fields become attributes of the instance."""
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        reader = _readers.get((model, sql, connection))
        if reader is None:  # the statement's first run on this connection: read its columns
            columns = tuple(column[0] for column in cursor.description)
            reader = _remember((model, sql, connection), _reader(model, columns, connection))
    values = []
    for index, expression, converters in reader.fields:
        if index is None:
            values.append(DEFERRED)
            continue
        value = row[index]
        for convert in converters:
            value = convert(value, expression, connection)
        values.append(value)
    instance = model.from_db(connection.alias, reader.names, values)
    for index, name in reader.extras:
        setattr(instance, name, row[index])
    return instance


class _Reader(NamedTuple):
    fields: list  # (column index or None, the field's column expression, converters)
    names: list[str]  # the attnames present
    extras: list[tuple[int, str]]  # (column index, attribute) for columns that are no field


# By (model, statement, connection): a statement's columns are fixed, and asking the driver
# for them again (a description object per column) cost as much as the rest of the read.
_readers: dict[tuple, _Reader] = {}


def _remember(key: tuple, reader: _Reader) -> _Reader:
    if len(_readers) >= 256:  # a few statements in a few threads' connections: never many
        _readers.clear()
    _readers[key] = reader
    return reader


def _reader(model, columns: tuple[str, ...], connection) -> _Reader:
    """Which column is which field, and the converters each value goes through — what
    RawQuerySet works out per call — for one model and one statement's columns."""
    at = {name: index for index, name in enumerate(columns)}
    fields, names, known = [], [], set()
    for field in model._meta.concrete_fields:
        index = at.get(field.column)
        known.add(field.column)
        if index is None:
            fields.append((None, None, ()))
            continue
        column = field.get_col(model._meta.db_table)
        converters = (*connection.ops.get_db_converters(column),
                      *column.get_db_converters(connection))
        fields.append((index, column, converters))
        names.append(field.attname)
    extras = [(index, name) for name, index in at.items() if name not in known]
    return _Reader(fields, names, extras)
