"""Small helpers for the few hot paths that read with a hand-written statement."""

from __future__ import annotations

import inspect
from typing import NamedTuple

from django.db import DatabaseError, connections, models, router
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute


def raw_first(model: type[models.Model], sql: str, params: list) -> models.Model | None:
    """The first `model` instance `sql` returns (typed by Django's converters), or None.

    For reads on every request or every move, where compiling the ORM query cost several
    times running it. `Model.objects.raw` would do, but it works out which column is which
    field on every call, which on these paths cost more than the query; this works it out
    once per statement shape. Fields the statement leaves out are deferred (loaded when
    touched); columns beyond the model's fields become attributes of the instance."""
    found = raw_first_of(((model, ""),), sql, params)
    return None if found is None else found[0]


def raw_first_of(parts: tuple[tuple[type[models.Model], str], ...], sql: str,
                 params: list) -> tuple | None:
    """`raw_first` for a statement whose first row holds several models' columns, so that
    two reads a request always makes together cost one round trip: `parts` is
    ((model, prefix), ...), and the column `prefix + field column` is that model's field.
    Every other column becomes an attribute of the part with the longest prefix it starts
    with (the prefix taken off). A part whose primary key comes back NULL (an outer join
    that found nothing) is None. None when the statement returns no row."""
    connection = connections[router.db_for_read(parts[0][0])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        key = (parts, sql, connection)
        readers = _readers.get(key)
        if readers is None:  # the statement's first run on this connection: read its columns
            columns = tuple(column[0] for column in cursor.description)
            readers = _remember(key, _readers_for(parts, columns, connection))
    return tuple(_instance(model, reader, row, connection)
                 for (model, _prefix), reader in zip(parts, readers, strict=True))


def _instance(model, reader: _Reader, row: tuple, connection) -> models.Model | None:
    """The instance `Model.from_db` would build from the row's columns, built as it builds it
    minus `Model.__init__`'s walk over every field: the values read go into the instance's
    `__dict__`, those a descriptor of its own must see (a state machine's field) through it;
    the fields not read stay deferred. Models with `__init__`, `from_db` or init signals of
    their own go through `from_db`."""
    if reader.pk is not None and row[reader.pk] is None:
        return None
    values = {}
    for index, attname, expression, converters in reader.fields:
        value = row[index]
        for convert in converters:
            value = convert(value, expression, connection)
        values[attname] = value
    if reader.plain:
        instance = model.__new__(model)
        instance._state = ModelState()
        instance._state.adding, instance._state.db = False, connection.alias
        for attname in reader.through_descriptor:
            setattr(instance, attname, values.pop(attname))
        instance.__dict__.update(values)
    else:
        instance = model.from_db(connection.alias, list(values), list(values.values()))
    for index, name in reader.extras:
        setattr(instance, name, row[index])
    return instance


def known_empty(instance: models.Model, relation: str, *, read_only: bool = False) -> None:
    """`instance.<relation>` (a reverse foreign key) is known to hold nothing: its queryset is
    set as `prefetch_related` would leave it, so that `.all()`, `.count()` and `.exists()` send
    no query, while `.filter()`, `.update()` and the like still go to the database.
    `read_only`: for an instance that is only read, never written through (the status
    endpoint's), a plain empty set, which costs no filter to build; anything asked of it then
    finds nothing."""
    rel = instance._meta.get_field(relation)
    manager = rel.related_model._default_manager
    queryset = manager.none() if read_only else manager.filter(
        **{rel.field.attname: instance.pk})
    queryset._result_cache, queryset._prefetch_done = [], True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


class _Reader(NamedTuple):
    fields: list  # (column index, attname, the field's column expression, converters), read ones
    extras: list[tuple[int, str]]  # (column index, attribute) for columns that are no field
    pk: int | None  # the primary key's column index
    plain: bool  # built without Model.__init__ (see `_instance`)
    through_descriptor: tuple[str, ...]  # attnames whose class descriptor is not Django's


# By (parts, statement, connection): a statement's columns are fixed, and asking the driver
# for them again (a description object per column) cost as much as the rest of the read.
_readers: dict[tuple, tuple[_Reader, ...]] = {}


def _remember(key: tuple, readers: tuple[_Reader, ...]) -> tuple[_Reader, ...]:
    if len(_readers) >= 256:  # a few statements in a few threads' connections: never many
        _readers.clear()
    _readers[key] = readers
    return readers


def _readers_for(parts, columns: tuple[str, ...], connection) -> tuple[_Reader, ...]:
    """Which column is which field, and the converters each value goes through — what
    RawQuerySet works out per call — for each part of one statement's columns."""
    at = {name: index for index, name in enumerate(columns)}
    claimed: set[str] = set()
    readers = []
    for model, prefix in parts:
        fields = []
        for field in model._meta.concrete_fields:
            index = at.get(prefix + field.column)
            if index is None:  # deferred: loaded when touched
                continue
            claimed.add(prefix + field.column)
            column = field.get_col(model._meta.db_table)
            converters = (*connection.ops.get_db_converters(column),
                          *column.get_db_converters(connection))
            fields.append((index, field.attname, column, converters))
        through = tuple(attname for _i, attname, _c, _v in fields
                        if not isinstance(inspect.getattr_static(model, attname, None),
                                          DeferredAttribute))
        readers.append(_Reader(fields, [], at.get(prefix + model._meta.pk.column),
                               _plain(model), through))
    for name, index in at.items():
        if name in claimed:
            continue
        owner = max(range(len(parts)), key=lambda i: (name.startswith(parts[i][1]),
                                                      len(parts[i][1])))
        prefix = parts[owner][1]
        if name.startswith(prefix):
            readers[owner].extras.append((index, name[len(prefix):]))
    return tuple(readers)


def _plain(model) -> bool:
    return (model.__init__ is models.Model.__init__
            and model.from_db.__func__ is models.Model.from_db.__func__
            and not signals.pre_init.has_listeners(model)
            and not signals.post_init.has_listeners(model))


def save_fields(instance: models.Model, names: list[str]) -> None:
    """`instance.save(update_fields=names)` for the hot paths (every move saves its case): the
    UPDATE is written once per model and set of fields instead of compiled on each save. As
    `save`, it fills auto_now fields that are named and fails when no row was updated; unlike
    it, it sends no signals (none of our models listens to its own saves)."""
    model = type(instance)
    connection = connections[router.db_for_write(model, instance=instance)]
    sql, fields = _statement(_update_statement, model, tuple(names), connection)
    values = [f.get_db_prep_save(f.pre_save(instance, add=False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, instance.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def _update_statement(model, names: tuple[str, ...], quote) -> tuple[str, list]:
    fields = [model._meta.get_field(name) for name in dict.fromkeys(names)]
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = quote(model._meta.pk.column)
    return f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {pk} = %s", fields


def insert_all(objs: list[models.Model]) -> list[models.Model]:
    """`bulk_create(objs)` of one model for the hot paths, in one multi-row INSERT written once
    per model and row count. Django's own sends several rows on PostgreSQL as one array per
    column, and the driver escapes every character of every text value in Python on the way,
    which for documents' JSON payloads is costly (docs/decision-tables.md). Fills
    `auto_now_add`/`auto_now` fields and the primary keys (rows come back in the order given,
    as `bulk_create` also relies on). No signals are sent."""
    if not objs:
        return objs
    connection = connections[router.db_for_write(type(objs[0]), instance=objs[0])]
    sql, params = insert_statement(objs, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted(objs, [row[0] for row in cursor.fetchall()], connection)
    return objs


def insert_statement(objs: list[models.Model], connection) -> tuple[str, list]:
    """The statement `insert_all` runs and its parameters, for a caller that makes it part of a
    statement of its own (the audit chain inserts its events and moves its head in one):
    `INSERT ... RETURNING <pk>`, the keys in the order of `objs`; then call `inserted`."""
    sql, fields = _statement(_insert_statement, type(objs[0]), len(objs), connection)
    return sql, [f.get_db_prep_save(f.pre_save(obj, add=True), connection)
                 for obj in objs for f in fields]


def inserted(objs: list[models.Model], ids: list, connection) -> None:
    """Mark `objs` as saved with the primary keys their INSERT returned."""
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def _insert_statement(model, rows: int, quote) -> tuple[str, list]:
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
            f"{', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}", fields)


_statements: dict[tuple, tuple[str, list]] = {}


def _statement(write, model, shape, connection) -> tuple[str, list]:
    """`write(model, shape, quote)`, kept per vendor (every connection of one quotes alike)."""
    key = (write, model, shape, connection.vendor)
    found = _statements.get(key)
    if found is None:
        found = _statements[key] = write(model, shape, connection.ops.quote_name)
    return found


# --- ORM queries compiled once ---------------------------------------------------------------
class Prepared:
    """An ORM query that is compiled to SQL once per database connection and then run with
    new parameters — for queries on every request or every move, where Django compiling the
    same query each time cost more than running it.

        _CASE_WITH_ITEM = Prepared(lambda pk: Case.objects.select_related("item").filter(pk=pk))
        case = _CASE_WITH_ITEM.first(case_id)

    `build` takes the parameters and returns the queryset (ordered, for `first`). It is called
    twice per connection with two sets of stand-ins (ints and strings only), and a parameter is
    where the two compiled statements differ: each argument must reach the SQL as given —
    comparisons, not patterns (`contains`) or lists (`in`), which are refused with a
    ValueError. Instances come back as the ORM makes them, with their `select_related`
    objects and annotations (not `prefetch_related`: use the ORM for those)."""

    def __init__(self, build):
        self.build = build
        self._compiled: dict = {}

    def all(self, *args) -> list[models.Model]:
        return list(self._run(args, limit=None))

    def first(self, *args) -> models.Model | None:
        return next(iter(self._run(args, limit=1)), None)

    def _run(self, args: tuple, limit: int | None):
        from django.db import transaction

        entry = self._entry(args, limit)
        connection = entry.connection
        if entry.locks and not connection.in_atomic_block:
            raise transaction.TransactionManagementError(
                "select_for_update cannot be used outside of a transaction.")
        params = [value if slot is None else args[slot[0]] if slot[1] is None
                  else slot[1](args[slot[0]])
                  for slot, value in zip(entry.slots, entry.params, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(entry.sql, params)
            rows = cursor.fetchall()
        compiler, alias = entry.compiler, connection.alias
        if entry.converters:
            rows = compiler.apply_converters(rows, entry.converters)
        for row in rows:
            obj = entry.model.from_db(alias, entry.init_list, row[entry.start:entry.end])
            for populator in entry.populators:
                populator.populate(row, obj)
            for name, position in entry.annotations:
                setattr(obj, name, row[position])
            yield obj

    def _entry(self, args: tuple, limit: int | None) -> _Compiled:
        key = (limit, len(args))
        for_model = self._compiled.get(key)
        if for_model is not None:
            connection = connections[for_model.alias]
            entry = for_model.by_connection.get(connection)
            if entry is not None:
                return entry
        compiled = []
        for variant in (0, 1):  # twice, with other stand-ins: what changes is a parameter
            stand_ins = [_stand_in(i, arg, variant) for i, arg in enumerate(args)]
            queryset = self.build(*stand_ins)
            if limit is not None:
                queryset = queryset[:limit]
            compiled.append((queryset, stand_ins))
        entry = _compile(*compiled)
        if for_model is None:
            for_model = self._compiled[key] = _PerConnection(entry.alias, {})
        if len(for_model.by_connection) >= 64:
            for_model.by_connection.clear()
        for_model.by_connection[entry.connection] = entry
        return entry


class _PerConnection(NamedTuple):
    alias: str
    by_connection: dict


class _Compiled(NamedTuple):
    connection: object
    alias: str
    sql: str
    params: list
    slots: list  # per parameter: (the argument it takes, its type), or None (a constant)
    locks: bool
    compiler: object
    converters: dict
    model: type
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: list[tuple[str, int]]


def _stand_in(index: int, arg, variant: int):
    # Small ints: Django drops a comparison with a value outside the field's range.
    if isinstance(arg, bool) or not isinstance(arg, (int, str)):
        raise TypeError(f"Prepared takes ints and strings, not {type(arg).__name__}")
    return 30_001 + 2 * index + variant if isinstance(arg, int) \
        else f"\x01prepared-{index}-{variant}\x01"


def _compile(first: tuple, second: tuple) -> _Compiled:
    """What ModelIterable works out before its rows, worked out once. The query is compiled
    with two sets of stand-ins: a parameter is where the two statements differ, and holds the
    argument's stand-in in both (a constant of the query equal to a stand-in stays constant)."""
    from django.db.models.query import get_related_populators

    (queryset, stand_ins), (other, other_stand_ins) = first, second
    connection = connections[queryset.db]
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    other_sql, other_params = other.query.get_compiler(using=other.db).as_sql()
    if other_sql != sql or len(other_params) != len(params):
        raise ValueError("Prepared: the query's shape depends on its parameters")
    slots = [_slot(p, q, stand_ins, other_stand_ins)
             for p, q in zip(params, other_params, strict=True)]
    missing = set(range(len(stand_ins))) - {s[0] for s in slots if s is not None}
    if missing:
        raise ValueError(f"Prepared: parameters {sorted(missing)} do not reach the SQL as given")
    select, klass_info = compiler.select, compiler.klass_info
    fields = [s[0] for s in select[0:compiler.col_count]]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Compiled(
        connection=connection, alias=queryset.db, sql=sql, params=list(params), slots=slots,
        locks=queryset.query.select_for_update, compiler=compiler,
        converters=compiler.get_converters(fields), model=klass_info["model"],
        init_list=[f[0].target.attname for f in select[start:end]], start=start, end=end,
        populators=get_related_populators(klass_info, select, queryset.db),
        annotations=list(compiler.annotation_col_map.items()))


def _slot(value, other, stand_ins: list, other_stand_ins: list) -> tuple | None:
    """(argument index, the type Django bound it as) for a parameter; None for a constant.
    On PostgreSQL Django binds a small int as psycopg's Int2 or Int4, an int subclass: the
    argument is bound as the same type."""
    if value == other:
        return None
    for index, (a, b) in enumerate(zip(stand_ins, other_stand_ins, strict=True)):
        if value == a and other == b and isinstance(value, type(a)):
            return index, None if type(value) is type(a) else type(value)
    raise ValueError("Prepared: a parameter reaches the SQL changed (a pattern, a cast)")
