"""Many rows written in one statement run with executemany: for the bulk writers (a journey's bulk_apply and
snapshot refresh, the demo loaders), where bulk_create and bulk_update cost more than the work they do.

The values must already be in database form (`prep` gives them): these helpers skip model instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

CHUNK = 10_000  # parameter rows sent per executemany


def prep(model, name: str, value: Any) -> Any:
    """`value` as the database stores `model`'s field `name` (what bulk_create would send)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert_many(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT prepared rows with executemany, in order (so ids follow the order of the rows)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    opts = model._meta
    columns = [opts.get_field(f).column for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted names from the model, values as params
        qn(opts.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns)))
    _run(sql, rows)


def update_many(model, fields: Sequence[str], objs: Iterable) -> None:
    """UPDATE each object's row to the object's values of `fields` (one statement, run with executemany)."""
    opts = model._meta
    prepared = [opts.get_field(f) for f in fields]
    rows = [(*(f.get_db_prep_save(getattr(o, f.attname), connection) for f in prepared), o.pk) for o in objs]
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - quoted names from the model, values as params
        qn(opts.db_table), ", ".join(f"{qn(f.column)} = %s" for f in prepared), qn(opts.pk.column))
    _run(sql, rows)


def _run(sql: str, rows: Sequence[tuple]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])
