"""One-row reads and inserts for the hottest write paths, with the SQL built once per model.

The ORM builds every query from scratch: compiling ``Round.objects.get(slug=...)`` costs about
0.4 ms of Python on this machine, four times the database round trip itself, and an
``Application`` insert (35 columns) as much again. The public Christmas-aid post (a round's
opening hour: hundreds of posts a second) and every audit row use the two functions here
instead. They are the ORM's own steps, minus the per-call query compilation:

- :func:`get_by` reads one row by a unique column and makes the instance with
  ``Model.from_db``, converting every value with the converters the ORM's compiler would use
  (JSON, dates on SQLite, booleans ...);
- :func:`insert` sends ``pre_save``, fills each field with ``pre_save`` (``auto_now_add``) and
  ``get_db_prep_save`` exactly as ``Model.save(force_insert=True)`` does, inserts, reads the new
  primary key back, and sends ``post_save``.

Only concrete, non-inherited models with an auto primary key are supported. ``tests/test_rows.py``
checks both against the ORM field by field on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)

# Built once per process: (model, field, alias) -> (sql, attnames, converters) and
# (model, alias) -> (sql, fields, returning).
_SELECTS: dict[tuple, tuple] = {}
_INSERTS: dict[tuple, tuple] = {}


def _select(model: type[models.Model], field_name: str, alias: str):
    key = (model, field_name, alias)
    if key not in _SELECTS:
        connection = connections[alias]
        q = connection.ops.quote_name
        meta = model._meta
        where = meta.get_field(field_name)
        if not (where.unique or where.primary_key):
            raise ValueError(f"{model.__name__}.{field_name} is not unique")
        fields = list(meta.concrete_fields)
        columns = ", ".join(q(f.column) for f in fields)
        sql = f"SELECT {columns} FROM {q(meta.db_table)} WHERE {q(where.column)} = %s"  # noqa: S608
        converters = []
        for f in fields:
            col = f.get_col(meta.db_table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            converters.append((found, col))
        _SELECTS[key] = (sql, [f.attname for f in fields], converters)
    return _SELECTS[key]


def get_by(model: type[M], field_name: str, value) -> M | None:
    """The instance whose unique ``field_name`` is ``value``, or None."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, converters = _select(model, field_name, alias)
    field = model._meta.get_field(field_name)
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for raw, (found, col) in zip(row, converters, strict=True):
        for convert in found:
            raw = convert(raw, col, connection)
        values.append(raw)
    return model.from_db(alias, names, values)


def _insert_sql(model: type[models.Model], alias: str):
    key = (model, alias)
    if key not in _INSERTS:
        connection = connections[alias]
        q = connection.ops.quote_name
        meta = model._meta
        if meta.parents or not isinstance(meta.pk, models.AutoField):
            raise ValueError(f"{model.__name__}: only models with their own auto id")
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        returning = connection.features.can_return_columns_from_insert
        # Table and column names only are formatted in; every value is a parameter.
        columns, marks = ", ".join(q(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        if returning:
            sql += f" RETURNING {q(meta.pk.column)}"
        _INSERTS[key] = (sql, fields, returning)
    return _INSERTS[key]


def insert(obj: M) -> M:
    """Insert the new ``obj`` as ``obj.save(force_insert=True)`` would, and return it."""
    model = type(obj)
    if obj.pk is not None:
        raise ValueError("insert() is for new objects")
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    sql, fields, returning = _insert_sql(model, alias)
    obj._prepare_related_fields_for_save(operation_name="insert")
    pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table,
                                               model._meta.pk.column)
    obj.pk = pk
    obj._state.adding, obj._state.db = False, alias
    post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False,
                   using=alias)
    return obj
