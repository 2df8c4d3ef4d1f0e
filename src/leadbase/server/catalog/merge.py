"""How a catalog record that a row matched changes: its empty fields filled, or its fields
overwritten with the row's values (``on_match``), as one UPDATE for the rows of the
catalog and the same change in memory for rows a batch (or bulk load) created."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal

import sqlalchemy as sa

from leadbase.server.db import UTCDateTime

OnMatch = Literal["fill", "overwrite"]


class Merge:
    """How a record changes the row of one table it matched: ``fill`` only its empty
    fields, or ``overwrite`` them with what the record says (newer data wins).

    A value the record leaves out never erases one: a blank cell means unknown. Groups go
    together (a title with the seniority and department derived from it, a location's
    parts): filled only when all of it is empty, overwritten when the record says
    something of it that differs (a new city replaces the whole location; the same
    country alone keeps the city and region it had). Identifying ``keys`` (a domain, a
    LinkedIn page) are filled, never overwritten, so a merge cannot take one from the row
    that holds it.
    """

    def __init__(
        self,
        table: sa.Table,
        columns: Sequence[str],
        *,
        groups: Sequence[tuple[str, ...]] = (),
        keys: Collection[str] = (),
        overwrite: bool = False,
    ) -> None:
        self.groups = tuple(groups)
        self.columns = tuple(dict.fromkeys([*columns, *(name for g in self.groups for name in g)]))
        self.keys = frozenset(keys)
        self.overwrite = overwrite
        self._grouped = {name for group in self.groups for name in group}
        self.statement = self._statement(table)

    def params(self, row_id: str, values: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
        """One parameter set of :attr:`statement`: the change to catalog row ``row_id``."""
        params = {f"v_{name}": values.get(name) for name in self.columns}
        params["v_id"] = row_id
        params["v_now"] = now
        return params

    def apply(self, row: dict[str, Any], values: Mapping[str, Any]) -> None:
        """The same change to a row that this batch (or bulk load) created, in memory."""
        for group in self.groups:
            if self.overwrite:
                taken = any(
                    values.get(name) is not None and values[name] != row.get(name) for name in group
                )
            else:
                taken = all(row.get(name) is None for name in group)
            if taken:
                for name in group:
                    row[name] = values.get(name)
        for name in self.columns:
            value = values.get(name)
            if name in self._grouped or value is None:
                continue
            if row.get(name) is None or (self.overwrite and name not in self.keys):
                row[name] = value

    def _statement(self, table: sa.Table) -> sa.Update:
        """UPDATE ... SET col = COALESCE(col, :v_col) to fill, COALESCE(:v_col, col) to
        overwrite; a group's columns under one condition: all empty (fill), or one given
        and different (overwrite: col IS DISTINCT FROM COALESCE(:v_col, col))."""
        values: dict[str, Any] = {}
        for group in self.groups:
            if self.overwrite:
                taken = sa.or_(
                    *(
                        table.c[name].is_distinct_from(
                            sa.func.coalesce(self._new(table, name), table.c[name])
                        )
                        for name in group
                    )
                )
            else:
                taken = sa.and_(*(table.c[name].is_(None) for name in group))
            for name in group:
                values[name] = sa.case((taken, self._new(table, name)), else_=table.c[name])
        for name in self.columns:
            if name in self._grouped:
                continue
            column, new = table.c[name], self._new(table, name)
            if self.overwrite and name not in self.keys:
                values[name] = sa.func.coalesce(new, column)
            else:
                values[name] = sa.func.coalesce(column, new)
        values["updated_at"] = sa.bindparam("v_now", type_=UTCDateTime())
        return sa.update(table).where(table.c.id == sa.bindparam("v_id")).values(values)

    @staticmethod
    def _new(table: sa.Table, name: str) -> sa.BindParameter[Any]:
        return sa.bindparam(f"v_{name}", type_=table.c[name].type)


def merges(
    table: sa.Table,
    columns: Sequence[str],
    *,
    groups: Sequence[tuple[str, ...]] = (),
    keys: Collection[str] = (),
    overwritten_groups: Sequence[tuple[str, ...]] = (),
) -> dict[OnMatch, Merge]:
    """A table's two merges. ``overwritten_groups`` are only an overwrite's: a fill never
    renames a row, and fills a first name alone where an overwrite replaces the name."""
    return {
        "fill": Merge(table, columns, groups=groups, keys=keys),
        "overwrite": Merge(
            table, columns, groups=[*groups, *overwritten_groups], keys=keys, overwrite=True
        ),
    }
