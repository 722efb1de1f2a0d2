"""Writes of many rows in one statement, where Django's ``bulk_update`` is too slow: its
``CASE WHEN`` over JSON columns costs more than the rows it saves."""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


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
