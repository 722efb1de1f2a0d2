"""Writes of many rows in one statement, where Django's ``bulk_update`` is too slow: its
``CASE WHEN`` over JSON columns costs more than the rows it saves."""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def update_json_fields(
    model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str]
) -> None:
    """Write the JSON fields ``names`` of ``objects`` with one ``UPDATE … FROM (VALUES …)`` per
    batch (PostgreSQL, and SQLite since 3.33); nothing else of the rows is touched."""
    if not objects or not names:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = [connection.ops.quote_name(_column(model, n)) for n in names]
    if connection.vendor == "postgresql":
        alias = "v(" + ", ".join(["id", *(f"c{i}" for i in range(len(columns)))]) + ")"
        assignments = ", ".join(f"{column} = v.c{i}::jsonb" for i, column in enumerate(columns))
        match = "v.id::bigint"
    else:  # SQLite names the columns of VALUES itself: column1, column2, …
        alias = "v"
        assignments = ", ".join(f"{column} = v.column{i + 2}" for i, column in enumerate(columns))
        match = "v.column1"
    batch = max(1, 900 // (len(names) + 1))  # SQLite's limit on parameters per statement
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start : start + batch]
            row = "(" + ", ".join(["%s"] * (len(names) + 1)) + ")"
            values = ", ".join([row] * len(chunk))
            params: list[Any] = []
            for obj in chunk:
                params.append(obj.pk)
                params.extend(json.dumps(getattr(obj, n), ensure_ascii=False) for n in names)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS {alias} "
                f"WHERE {table}.{pk} = {match}",
                params,
            )


def insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert many new rows: PostgreSQL's COPY, several times quicker than ``bulk_create`` for
    thousands of rows (imports); elsewhere ``bulk_create``. Primary keys are not read back."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=1000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objects:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                f.pre_save(obj, add=True)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            )


def insert_new(
    model: type[models.Model],
    rows: Sequence[Sequence[Any]],
    *,
    names: Sequence[str],
    same: dict[str, Any],
) -> int:
    """Insert rows of the fields ``names``, each of the fields in ``same`` given the same value
    for every row; a row that a unique constraint refuses is left out (``ON CONFLICT DO
    NOTHING``, PostgreSQL and SQLite), not an error. Returns how many rows were inserted.

    For imports of many thousand rows, where a model instance per row costs more than writing
    it: the values in ``rows`` go to the database as they are (text and numbers), those in
    ``same`` are prepared by their fields (dates; foreign keys given by their ids). Every
    column is to be given: Django's defaults are not applied, and a missing value is an error
    (only uniqueness is forgiven)."""
    if not rows:
        return 0
    fields = [model._meta.get_field(name) for name in [*names, *same]]
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in [*names, *same])
    constant = [
        field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for field, value in zip(fields[len(names) :], same.values(), strict=True)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite prepares the statement once; in one transaction, not one per row.
            marks = ", ".join(["%s"] * len(fields))
            with transaction.atomic(savepoint=False):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                    [[*values, *constant] for values in rows],
                )
            return max(cursor.rowcount, 0)
        # PostgreSQL: one array per column, unnested in the order given (a short statement
        # whatever the number of rows; the ids follow the order of the rows).
        types = [f.db_type(connection) for f in fields]  # type: ignore[union-attr]
        arrays = ", ".join(f"%s::{kind}[]" for kind in types[: len(names)])
        listed = ", ".join(
            [*(f"v.c{i}" for i in range(len(names))), *(f"%s::{t}" for t in types[len(names) :])]
        )
        aliases = ", ".join([*(f"c{i}" for i in range(len(names))), "n"])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {listed} "
            f"FROM unnest({arrays}) WITH ORDINALITY AS v({aliases}) ORDER BY v.n "
            "ON CONFLICT DO NOTHING",
            [*constant, *(list(column) for column in zip(*rows, strict=True))],
        )
        return cursor.rowcount
