"""``leadbase catalog import``: a CSV export into the catalog, streaming and resumable.

read and parse a batch (``reading``: csv, column map, ``records``; a bad row goes to the
error report) -> upsert the batch in one transaction (``upsert``) -> checkpoint the offset.

- The whole file is checked to be UTF-8 and its header to hold the kind's required
  columns before anything is written (400 invalid_csv_format otherwise).
- Rows are numbered as a spreadsheet shows them: the header is row 1.
- After each committed batch, ``<file>.leadbase-checkpoint`` records the byte offset, the
  row number and the counts so far; a rerun continues from there, and a finished import
  deletes it. A crash between a commit and its checkpoint replays that one batch, whose
  rows then merge into themselves.
- Failed rows are written to the error report (CSV: row, outcome, column, error, value,
  raw) after their batch commits, so a resumed import never reports a row twice. With
  ``drop_invalid_fields``, a row whose invalid fields its record can do without (a
  malformed phone beside a name and an email) is imported without them, and the report
  names each field dropped.
- A caller stops an import by setting ``stop``: the batch being written commits and is
  checkpointed, then ``ImportStopped`` is raised. Stopping between batches, never inside a
  database call, is what keeps a driver's connection state (psycopg's pipeline) intact.
- Into an empty table (``bulk``, the default), the import is a bulk load (``catalog.bulk``):
  indexes are built once at its end, entities resolved in memory across batches. It
  ends with the indexes built whichever way it ends: done, stopped, or failed.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import json
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.batch_gc import collector_paused
from leadbase.server.catalog import bulk as bulk_load
from leadbase.server.catalog import reading, upsert, writes
from leadbase.server.catalog.columns import ColumnMap, Kind, map_columns
from leadbase.server.catalog.merge import OnMatch
from leadbase.server.catalog.reading import Batch, RowReader
from leadbase.server.catalog.write_behind import WriteBehind, write_behind
from leadbase.server.db import Database, sqlite_path, sync_url
from leadbase.server.errors import InvalidCsvFormat, InvalidParameter

CHECKPOINT_SUFFIX = ".leadbase-checkpoint"
ERRORS_SUFFIX = ".errors.csv"
BATCH_ROWS = 20_000
# 3: the error report gained its outcome column (a run of 2 would append lines to a
# report of the old shape).
_CHECKPOINT_VERSION = 3

Progress = Callable[[int, int], None]


class ImportStopped(Exception):
    """The caller asked the import to stop; rows up to ``row`` are committed."""

    def __init__(self, row: int) -> None:
        super().__init__(f"import stopped after row {row}")
        self.row = row


class Counts(msgspec.Struct, kw_only=True):
    rows: int = 0
    created: int = 0
    merged: int = 0
    suppressed: int = 0
    failed: int = 0
    # Rows imported without their invalid fields (drop_invalid_fields), whatever then
    # became of them; and the failed rows that would have been.
    rows_with_fields_dropped: int = 0
    droppable: int = 0


class Checkpoint(msgspec.Struct, kw_only=True):
    version: int
    size: int
    header: list[str]
    kind: Kind
    source: str
    # The database the batches went to (no password): resuming into another one would
    # skip the rows it never received.
    database: str
    # Where the next batch starts: a byte offset and the row number read last.
    offset: int
    row: int
    counts: Counts
    # Rows it drops invalid fields from, and what a row does to the record it matches: a
    # run that resumed it with another setting would treat the file's rows two ways.
    drop_invalid_fields: bool = False
    on_match: OnMatch = "fill"


class ImportSummary(msgspec.Struct, kw_only=True):
    file: str
    kind: Kind
    source: str
    # What a row did to the catalog record it matched (merged): filled or overwrote it.
    on_match: OnMatch
    rows: int
    created: int
    merged: int
    suppressed: int
    failed: int
    # Rows imported without their invalid fields (``drop_invalid_fields``); without it,
    # how many of the failed rows would have been.
    rows_with_fields_dropped: int
    droppable: int
    seconds: float
    # Rows this run read per second (a resumed run counts only its own rows).
    rows_per_second: float
    # Whether this run was a bulk load into an empty table, and the seconds it then spent
    # building the indexes at the end (part of ``seconds``).
    bulk: bool
    indexing_seconds: float
    errors_file: str | None
    # The last row an earlier run had committed, when this run resumed it.
    resumed_after_row: int | None
    # Catalog field -> the file's header that fed it.
    columns: dict[str, str]
    ignored_columns: list[str]


def checkpoint_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKPOINT_SUFFIX)


def default_errors_path(path: Path) -> Path:
    return path.with_name(path.name + ERRORS_SUFFIX)


async def import_csv(
    database: Database,
    path: Path,
    *,
    kind: Kind | None = None,
    source: str | None = None,
    errors_path: Path | None = None,
    resume: bool = True,
    synthetic: bool = False,
    drop_invalid_fields: bool = False,
    on_match: OnMatch = "fill",
    batch_rows: int = BATCH_ROWS,
    read_ahead: bool = False,
    bulk: bool = True,
    write_behind: bool = False,
    on_progress: Progress | None = None,
    stop: asyncio.Event | None = None,
) -> ImportSummary:
    """Import ``path`` into the catalog; see the module docstring for the guarantees.

    ``drop_invalid_fields`` imports a row without the fields that are invalid when the
    rest makes a record (a person with a name and an email keeps them when the phone is
    malformed); the error report names each field dropped.

    ``on_match`` is what a row does to the catalog record it matches: ``fill`` its empty
    fields, or ``overwrite`` them with the row's values, as a refreshed export should
    (``upsert.Merge``).

    ``bulk=False`` declines a bulk load: rows are indexed batch by batch, visible to
    search as they commit (for a catalog a server is answering from).

    With ``read_ahead``, a process reads and parses the next batch while this one is
    written: about half of an import's CPU, so it helps on a machine with an idle core
    (and not on a busy one). It is spawned, so a script calling this needs the
    ``if __name__ == "__main__":`` guard.

    With ``write_behind``, a bulk load's writes run in a process too, while the next batch
    is resolved (``write_behind``): the other half. Both together want three cores'
    worth of work from two, which still beats one.
    """
    started = time.perf_counter()
    size = check_utf8(path)
    source = source or path.name
    if not resume:
        discard_checkpoint(path)
    await writes.enlarge_cache(database)
    with path.open("rb") as handle:
        reader = RowReader(handle)
        header = reader.header()
        columns = map_columns(header, kind=kind)
        # What this import is: a checkpoint of another one is refused, not resumed.
        identity: dict[str, Any] = {
            "version": _CHECKPOINT_VERSION,
            "size": size,
            "header": header,
            "kind": columns.kind,
            "source": source,
            "database": database_label(database.url),
            "drop_invalid_fields": drop_invalid_fields,
            "on_match": on_match,
        }
        saved = _load_checkpoint(path, identity)
        start = (saved.offset, saved.row) if saved is not None else (reader.offset, reader.row)
        counts = saved.counts if saved is not None else Counts()
        report = ErrorReport(
            errors_path or default_errors_path(path),
            header=header,
            columns=columns,
            append=saved is not None,
            keep_empty=errors_path is not None,
        )
        with collector_paused():
            try:
                carried = await _begin(database, columns.kind, bulk=bulk and saved is None)
            except BaseException:
                report.close()
                raise
            run = _Run(
                database=database,
                kind=columns.kind,
                source=source,
                synthetic=synthetic,
                on_match=on_match,
                counts=counts,
                report=report,
                stop=stop,
                carried=carried,
            )
            read_before = counts.rows

            def checkpoint(offset: int, row: int) -> None:
                _save_checkpoint(
                    path,
                    Checkpoint(**identity, offset=offset, row=row, counts=counts),
                )
                if on_progress is not None:
                    on_progress(offset, size)

            try:
                async with (
                    reading.batches(
                        path,
                        columns,
                        offset=start[0],
                        row=start[1],
                        batch_rows=batch_rows,
                        ahead=read_ahead,
                        drop_invalid_fields=drop_invalid_fields,
                    ) as batches,
                    _writer(database, enabled=write_behind and carried is not None) as writer,
                ):
                    await run.all(batches, writer=writer, committed=checkpoint)
            except Exception:
                # Stopped or failed: what was committed stays, and is indexed. (An interrupt
                # that cannot wait leaves it to the next import or server start.)
                if carried is not None:
                    await _finish(database)
                raise
            finally:
                report.close()
            indexing_seconds = await _finish(database) if carried is not None else 0.0
            bulk_loaded = carried is not None
            # What a bulk load carried (millions of objects) goes while the collector is still
            # paused: reference counting frees it, where the collector's first run would walk it.
            del run, carried
    checkpoint_path(path).unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return ImportSummary(
        file=str(path),
        kind=columns.kind,
        source=source,
        on_match=on_match,
        rows=counts.rows,
        created=counts.created,
        merged=counts.merged,
        suppressed=counts.suppressed,
        failed=counts.failed,
        rows_with_fields_dropped=counts.rows_with_fields_dropped,
        droppable=counts.droppable,
        seconds=round(seconds, 3),
        rows_per_second=round((counts.rows - read_before) / seconds, 1) if seconds else 0.0,
        bulk=bulk_loaded,
        indexing_seconds=round(indexing_seconds, 3),
        errors_file=str(report.path) if report.exists() else None,
        resumed_after_row=saved.row if saved is not None else None,
        columns={name: header[index] for name, index in columns.fields.items()},
        ignored_columns=list(columns.ignored),
    )


# Writing ------------------------------------------------------------------------------------


async def _begin(database: Database, kind: Kind, *, bulk: bool) -> upsert.Carried | None:
    """Finish a bulk load an earlier run left unfinished; start one when ``bulk`` and the
    kind's table is empty. What the upserts carry across batches when it is one."""
    async with database.transaction() as session:
        connection = await session.connection()
        await bulk_load.finish(connection)
        if not bulk or not await bulk_load.is_empty(connection, kind):
            return None
        await bulk_load.defer(connection, kind)
    return upsert.Carried()


async def _finish(database: Database) -> float:
    """Build the indexes the load deferred; the seconds it took."""
    started = time.perf_counter()
    await bulk_load.finish_pending(database)
    return time.perf_counter() - started


class _Run:
    """One import's batches: upsert each in one transaction, tally, report failures."""

    def __init__(
        self,
        *,
        database: Database,
        kind: Kind,
        source: str,
        synthetic: bool,
        on_match: OnMatch,
        counts: Counts,
        report: ErrorReport,
        stop: asyncio.Event | None,
        carried: upsert.Carried | None,
    ) -> None:
        self.database = database
        self.plan = upsert.PLANS[kind]
        self.carried = carried
        self.source = source
        self.synthetic = synthetic
        self.on_match = on_match
        self.counts = counts
        self.report = report
        self.stop = stop

    async def all(
        self,
        batches: AsyncIterator[Batch[Any]],
        *,
        writer: WriteBehind | None,
        committed: Callable[[int, int], None],
    ) -> None:
        """Plan and write every batch; ``committed`` after each one's commit."""
        if writer is not None:
            await self._all_written_behind(batches, writer, committed)
            return
        async for batch in batches:
            async with self.database.transaction() as session:
                planned = await self._planned(session, batch)
                await writes.run(await session.connection(), planned.writes)
            self._done(batch, planned.outcomes, committed)

    async def _all_written_behind(
        self,
        batches: AsyncIterator[Batch[Any]],
        writer: WriteBehind,
        committed: Callable[[int, int], None],
    ) -> None:
        """Batch n+1 is planned while the writing process commits batch n."""
        written: tuple[Batch[Any], list[upsert.RowOutcome]] | None = None
        async for batch in batches:
            async with self.database.transaction(write=False) as session:
                planned = await self._planned(session, batch)
            if written is not None:
                await writer.settled()
                self._done(*written, committed)
            writer.submit(planned.writes)
            written = (batch, planned.outcomes)
        if written is not None:
            await writer.settled()
            self._done(*written, committed)

    async def _planned(self, session: AsyncSession, batch: Batch[Any]) -> upsert.Planned:
        if not batch.records:
            return upsert.Planned([], [])
        return await self.plan(
            session,
            batch.records,
            source=self.source,
            synthetic=self.synthetic,
            carried=self.carried,
            on_match=self.on_match,
        )

    def _done(
        self,
        batch: Batch[Any],
        outcomes: list[upsert.RowOutcome],
        committed: Callable[[int, int], None],
    ) -> None:
        """Tally a committed batch, report its failed rows, checkpoint, honour a stop."""
        counts = self.counts
        counts.rows += len(batch.records) + len(batch.failures)
        counts.failed += len(batch.failures)
        counts.rows_with_fields_dropped += len(batch.dropped)
        counts.droppable += len(batch.droppable)
        for outcome in outcomes:
            if outcome.status == "created":
                counts.created += 1
            elif outcome.status == "merged":
                counts.merged += 1
            else:
                counts.suppressed += 1
        self.report.write(batch)
        committed(batch.offset, batch.row)
        if self.stop is not None and self.stop.is_set():
            raise ImportStopped(batch.row)


@asynccontextmanager
async def _writer(database: Database, *, enabled: bool) -> AsyncIterator[WriteBehind | None]:
    if not enabled:
        yield None
        return
    async with write_behind(database.url) as writer:
        yield writer


# Reading ----------------------------------------------------------------------------------


def check_utf8(path: Path) -> int:
    """The file's size; InvalidCsvFormat unless it is non-empty UTF-8 throughout."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise _not_utf8(seen + error.start) from None
            seen += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _not_utf8(seen) from None
    if seen == 0:
        raise InvalidCsvFormat("The file is empty.", details={"file": "no header row"})
    return seen


def _not_utf8(offset: int) -> InvalidCsvFormat:
    return InvalidCsvFormat(
        f"The file is not UTF-8 (invalid byte at offset {offset}); nothing was imported.",
        details={"encoding": f"invalid UTF-8 at byte {offset}; save the file as UTF-8"},
    )


# The error report -----------------------------------------------------------------------

REPORT_HEADER = ("row", "outcome", "column", "error", "value", "raw")
# What became of a reported row: not imported (and whether --drop-invalid-fields would
# have imported it), or imported without the field named.
ROW_REJECTED = "row rejected"
ROW_REJECTED_DROPPABLE = "row rejected (droppable)"
FIELD_DROPPED = "field dropped"


class ErrorReport:
    """Reported rows, one line per error: row, outcome (:data:`ROW_REJECTED`,
    :data:`ROW_REJECTED_DROPPABLE` or :data:`FIELD_DROPPED`), column (the file's header),
    error, value, raw.

    ``raw`` is the whole row as a JSON object keyed by the file's headers. A default
    report that stays empty is removed, so an old one never lingers next to the input.
    """

    def __init__(
        self,
        path: Path,
        *,
        header: Sequence[str],
        columns: ColumnMap,
        append: bool,
        keep_empty: bool,
    ) -> None:
        self.path = path
        self._header = list(header)
        self._columns = columns
        self._keep_empty = keep_empty
        appending = append and path.exists()
        self._handle = path.open("a" if appending else "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle)
        self._lines = 0 if not appending else 1
        if not appending:
            self._writer.writerow(REPORT_HEADER)

    def write(self, batch: Batch[Any]) -> None:
        """A batch's failed rows and dropped fields, in the order of the file's rows."""
        droppable = set(batch.droppable)
        reported = sorted(
            [
                *(
                    (*failure, ROW_REJECTED_DROPPABLE if failure[0] in droppable else ROW_REJECTED)
                    for failure in batch.failures
                ),
                *((*dropped, FIELD_DROPPED) for dropped in batch.dropped),
            ],
            key=lambda line: line[0],
        )
        for number, raw, errors, outcome in reported:
            row_json = json.dumps(dict(zip(self._header, raw, strict=False)), ensure_ascii=False)
            for name, problem in errors.items():
                index = self._columns.fields.get(name)
                column = self._header[index] if index is not None else name
                value = raw[index] if index is not None and index < len(raw) else ""
                self._writer.writerow((number, outcome, column, problem, value, row_json))
                self._lines += 1
        self._handle.flush()

    def exists(self) -> bool:
        return self.path.exists()

    def close(self) -> None:
        self._handle.close()
        if self._lines == 0 and not self._keep_empty:
            self.path.unlink(missing_ok=True)


# Checkpoints ------------------------------------------------------------------------------


def database_label(url: str) -> str:
    """The database an import writes to, as its checkpoint names it: no password, and a
    SQLite file by its absolute path."""
    path = sqlite_path(url)
    if path is not None:
        return f"sqlite:///{path.resolve()}"
    return make_url(sync_url(url)).render_as_string(hide_password=True)


def _load_checkpoint(path: Path, identity: Mapping[str, Any]) -> Checkpoint | None:
    """The checkpoint of this import (``identity``: Checkpoint's fields that say which
    import it is), None when there is none, 400 when it is another import's."""
    file = checkpoint_path(path)
    try:
        saved = msgspec.json.decode(file.read_bytes(), type=Checkpoint)
    except FileNotFoundError:
        return None
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise _stale_checkpoint(file, "it is unreadable") from None
    for name, value in identity.items():
        if getattr(saved, name) != value:
            raise _stale_checkpoint(file, _why_stale(saved, name))
    return saved


def _why_stale(saved: Checkpoint, name: str) -> str:
    if name == "version":
        return "it was written by another version of leadbase (its error report differs)"
    if name == "drop_invalid_fields":
        given = "with" if saved.drop_invalid_fields else "without"
        return f"the interrupted import ran {given} --drop-invalid-fields; resume it so"
    if name == "on_match":
        return f"the interrupted import ran with --on-match {saved.on_match}; resume it so"
    return f"its {name} differs from this run's"


def discard_checkpoint(path: Path) -> bool:
    """Forget an unfinished import of ``path`` (``--no-resume``); True if there was one."""
    file = checkpoint_path(path)
    existed = file.exists()
    file.unlink(missing_ok=True)
    return existed


def _stale_checkpoint(file: Path, why: str) -> InvalidParameter:
    return InvalidParameter(
        f"The checkpoint {file.name} does not belong to this import: {why}. Rerun with "
        "--no-resume to start over.",
        param="resume",
        details={"resume": f"{file.name}: {why}"},
    )


def _save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    file = checkpoint_path(path)
    partial = file.with_name(file.name + ".tmp")
    partial.write_bytes(msgspec.json.encode(checkpoint))
    os.replace(partial, file)
