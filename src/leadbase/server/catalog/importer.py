"""``leadbase catalog import``: a CSV export into the catalog, streaming and resumable.

read (stdlib csv over the file's bytes, so every record's end offset is exact) -> map
columns (``columns``) -> parse each row (``records``; a bad row goes to the error report)
-> upsert a batch in one transaction (``upsert``) -> checkpoint the offset.

- The whole file is checked to be UTF-8 and its header to hold the kind's required
  columns before anything is written (400 invalid_csv_format otherwise).
- Rows are numbered as a spreadsheet shows them: the header is row 1.
- After each committed batch, ``<file>.leadbase-checkpoint`` records the byte offset, the
  row number and the counts so far; a rerun continues from there, and a finished import
  deletes it. A crash between a commit and its checkpoint replays that one batch, whose
  rows then merge into themselves.
- Failed rows are written to the error report (CSV: row, column, error, value, raw) after
  their batch commits, so a resumed import never reports a row twice.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import json
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.catalog import records, upsert
from leadbase.server.catalog.columns import ColumnMap, Kind, map_columns
from leadbase.server.db import Database
from leadbase.server.errors import InvalidCsvFormat, InvalidParameter

CHECKPOINT_SUFFIX = ".leadbase-checkpoint"
ERRORS_SUFFIX = ".errors.csv"
BATCH_ROWS = 5000
# Descriptions can be long; the csv module's default field limit is 128 KiB.
_FIELD_LIMIT = 16 * 1024 * 1024
_CHECKPOINT_VERSION = 1

Progress = Callable[[int, int], None]


class Counts(msgspec.Struct, kw_only=True):
    rows: int = 0
    created: int = 0
    merged: int = 0
    suppressed: int = 0
    failed: int = 0


class Checkpoint(msgspec.Struct, kw_only=True):
    version: int
    size: int
    header: list[str]
    kind: Kind
    source: str
    # Where the next batch starts: a byte offset and the row number read last.
    offset: int
    row: int
    counts: Counts


class ImportSummary(msgspec.Struct, kw_only=True):
    file: str
    kind: Kind
    source: str
    rows: int
    created: int
    merged: int
    suppressed: int
    failed: int
    seconds: float
    # Rows this run read per second (a resumed run counts only its own rows).
    rows_per_second: float
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
    batch_rows: int = BATCH_ROWS,
    workers: int = 0,
    on_progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` into the catalog; see the module docstring for the guarantees.

    With ``workers`` > 0, that many processes parse and normalize the next batch while
    this one is written: about half of an import's CPU, so it helps on a machine with an
    idle core (and not on a busy one). Workers are spawned, so a script calling this
    needs the ``if __name__ == "__main__":`` guard.
    """
    started = time.perf_counter()
    size = check_utf8(path)
    source = source or path.name
    if not resume:
        discard_checkpoint(path)
    with path.open("rb") as handle:
        reader = RowReader(handle)
        header = reader.header()
        columns = map_columns(header, kind=kind)
        saved = _load_checkpoint(path, size=size, header=header, kind=columns.kind, source=source)
        if saved is not None:
            reader.seek(offset=saved.offset, row=saved.row)
        counts = saved.counts if saved is not None else Counts()
        report = ErrorReport(
            errors_path or default_errors_path(path),
            header=header,
            columns=columns,
            append=saved is not None,
            keep_empty=errors_path is not None,
        )
        run = _Run(
            database=database,
            columns=columns,
            source=source,
            synthetic=synthetic,
            counts=counts,
            report=report,
        )
        read_before = counts.rows

        def checkpoint(offset: int, row: int) -> None:
            _save_checkpoint(
                path,
                Checkpoint(
                    version=_CHECKPOINT_VERSION,
                    size=size,
                    header=header,
                    kind=columns.kind,
                    source=source,
                    offset=offset,
                    row=row,
                    counts=counts,
                ),
            )
            if on_progress is not None:
                on_progress(offset, size)

        try:
            with _parsers(max(0, workers)) as parse:
                await run.all(reader, batch_rows=batch_rows, parse=parse, committed=checkpoint)
        finally:
            report.close()
    checkpoint_path(path).unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return ImportSummary(
        file=str(path),
        kind=columns.kind,
        source=source,
        rows=counts.rows,
        created=counts.created,
        merged=counts.merged,
        suppressed=counts.suppressed,
        failed=counts.failed,
        seconds=round(seconds, 3),
        rows_per_second=round((counts.rows - read_before) / seconds, 1) if seconds else 0.0,
        errors_file=str(report.path) if report.exists() else None,
        resumed_after_row=saved.row if saved is not None else None,
        columns={name: header[index] for name, index in columns.fields.items()},
        ignored_columns=list(columns.ignored),
    )


# Parsing, here or in worker processes -------------------------------------------------------

Rows = list[tuple[int, list[str]]]
Failures = list[tuple[int, list[str], records.Errors]]
# Parses one batch: (kind, field -> column, rows) -> (records, failures).
BatchParser = Callable[[Kind, dict[str, int], Rows], Awaitable[tuple[list[Any], Failures]]]


def parse_rows(kind: Kind, fields: dict[str, int], rows: Rows) -> tuple[list[Any], Failures]:
    """Records for the rows that make one, the row number and errors of those that don't."""
    columns = ColumnMap(kind=kind, fields=fields, ignored=())
    values_of = columns.values
    parse = records.PARSERS[kind]
    parsed: list[records.Record] = []
    failures: Failures = []
    for number, raw in rows:
        values = values_of(raw)
        if not values:
            continue  # a blank line
        result = parse(values)
        if isinstance(result, dict):
            failures.append((number, raw, result))
        else:
            parsed.append(result)
    return parsed, failures


def _parse_encoded(kind: Kind, fields: dict[str, int], rows: Rows) -> bytes:
    # In a worker: msgpack crosses the process boundary several times faster than pickle.
    return msgspec.msgpack.encode(parse_rows(kind, fields, rows))


_PARSED_TYPES: dict[Kind, Any] = {
    "people": tuple[list[records.PersonRecord], list[tuple[int, list[str], dict[str, str]]]],
    "companies": tuple[list[records.CompanyRecord], list[tuple[int, list[str], dict[str, str]]]],
    "openings": tuple[list[records.OpeningRecord], list[tuple[int, list[str], dict[str, str]]]],
}


@contextmanager
def _parsers(workers: int) -> Iterator[BatchParser]:
    if workers == 0:

        async def inline(
            kind: Kind, fields: dict[str, int], rows: Rows
        ) -> tuple[list[Any], Failures]:
            return parse_rows(kind, fields, rows)

        yield inline
        return
    # spawn: forking a process that runs threads (the database driver's) is unsafe.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:

        async def in_worker(
            kind: Kind, fields: dict[str, int], rows: Rows
        ) -> tuple[list[Any], Failures]:
            loop = asyncio.get_running_loop()
            encoded = await loop.run_in_executor(pool, _parse_encoded, kind, fields, rows)
            parsed, failures = msgspec.msgpack.decode(encoded, type=_PARSED_TYPES[kind])
            return list(parsed), list(failures)

        yield in_worker
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# Writing ------------------------------------------------------------------------------------


class _Run:
    """One import's batches: parse, upsert in one transaction, tally, report failures."""

    def __init__(
        self,
        *,
        database: Database,
        columns: ColumnMap,
        source: str,
        synthetic: bool,
        counts: Counts,
        report: ErrorReport,
    ) -> None:
        self.database = database
        self.columns = columns
        self.upsert = upsert.UPSERTS[columns.kind]
        self.source = source
        self.synthetic = synthetic
        self.counts = counts
        self.report = report

    async def all(
        self,
        reader: RowReader,
        *,
        batch_rows: int,
        parse: BatchParser,
        committed: Callable[[int, int], None],
    ) -> None:
        """Every batch in order; the next one is parsed while this one is written."""
        kind, fields = self.columns.kind, self.columns.fields
        batches = reader.batches(batch_rows)
        ahead: asyncio.Task[tuple[list[Any], Failures]] | None = None
        position = (reader.offset, reader.row)
        try:
            first = next(batches, None)
            if first is not None:
                ahead = asyncio.ensure_future(parse(kind, fields, first))
                position = (reader.offset, reader.row)
            while ahead is not None:
                parsed, failures = await ahead
                ahead = None
                done = position
                following = next(batches, None)
                if following is not None:
                    ahead = asyncio.ensure_future(parse(kind, fields, following))
                    position = (reader.offset, reader.row)
                await self.write(parsed, failures)
                committed(*done)
        finally:
            if ahead is not None:
                ahead.cancel()

    async def write(self, parsed: list[records.Record], failures: Failures) -> None:
        async with self.database.transaction() as session:
            outcomes = await self._upsert(session, parsed)
        counts = self.counts
        counts.rows += len(parsed) + len(failures)
        counts.failed += len(failures)
        for outcome in outcomes:
            if outcome.status == "created":
                counts.created += 1
            elif outcome.status == "merged":
                counts.merged += 1
            else:
                counts.suppressed += 1
        self.report.write(failures)

    async def _upsert(
        self, session: AsyncSession, parsed: list[records.Record]
    ) -> list[upsert.RowOutcome]:
        if not parsed:
            return []
        return await self.upsert(session, parsed, source=self.source, synthetic=self.synthetic)


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


class RowReader:
    """csv records from a binary file, with the exact byte offset after each one.

    The csv module pulls a line only when the record it is reading needs one, so after
    each record the offset of the lines handed out so far is where the next one starts.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.offset = 0
        # The spreadsheet row of the last record read (the header is row 1).
        self.row = 0
        self._reader = csv.reader(self._lines())
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))

    def _lines(self) -> Iterator[str]:
        for line in self._handle:
            if self.offset == 0 and line.startswith(codecs.BOM_UTF8):
                self.offset += len(codecs.BOM_UTF8)
                line = line[len(codecs.BOM_UTF8) :]
            self.offset += len(line)
            yield line.decode("utf-8")

    def header(self) -> list[str]:
        header = self._next()
        if not header or not any(name.strip() for name in header):
            raise InvalidCsvFormat(
                "The file's first row must be its header.", details={"row 1": "empty"}
            )
        return [name.strip() for name in header]

    def seek(self, *, offset: int, row: int) -> None:
        self._handle.seek(offset)
        self.offset = offset
        self.row = row

    def batches(self, size: int) -> Iterator[list[tuple[int, list[str]]]]:
        batch: list[tuple[int, list[str]]] = []
        while (raw := self._next()) is not None:
            batch.append((self.row, raw))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _next(self) -> list[str] | None:
        try:
            raw = next(self._reader, None)
        except csv.Error as error:
            raise InvalidCsvFormat(
                f"Row {self.row + 1} is not valid CSV: {error}.",
                details={f"row {self.row + 1}": str(error)},
            ) from None
        if raw is not None:
            self.row += 1
        return raw


# The error report -----------------------------------------------------------------------

REPORT_HEADER = ("row", "column", "error", "value", "raw")


class ErrorReport:
    """Failed rows, one line per error: row, column (the file's header), error, value, raw.

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

    def write(self, failures: Sequence[tuple[int, list[str], records.Errors]]) -> None:
        for number, raw, errors in failures:
            row_json = json.dumps(dict(zip(self._header, raw, strict=False)), ensure_ascii=False)
            for name, problem in errors.items():
                index = self._columns.fields.get(name)
                column = self._header[index] if index is not None else name
                value = raw[index] if index is not None and index < len(raw) else ""
                self._writer.writerow((number, column, problem, value, row_json))
                self._lines += 1
        self._handle.flush()

    def exists(self) -> bool:
        return self.path.exists()

    def close(self) -> None:
        self._handle.close()
        if self._lines == 0 and not self._keep_empty:
            self.path.unlink(missing_ok=True)


# Checkpoints ------------------------------------------------------------------------------


def _load_checkpoint(
    path: Path, *, size: int, header: list[str], kind: Kind, source: str
) -> Checkpoint | None:
    file = checkpoint_path(path)
    try:
        saved = msgspec.json.decode(file.read_bytes(), type=Checkpoint)
    except FileNotFoundError:
        return None
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise _stale_checkpoint(file, "it is unreadable") from None
    expected: dict[str, Any] = {
        "version": _CHECKPOINT_VERSION,
        "size": size,
        "header": header,
        "kind": kind,
        "source": source,
    }
    for name, value in expected.items():
        if getattr(saved, name) != value:
            raise _stale_checkpoint(file, f"its {name} differs from this run's")
    return saved


def discard_checkpoint(path: Path) -> bool:
    """Forget an unfinished import of ``path`` (``--no-resume``); True if there was one."""
    file = checkpoint_path(path)
    existed = file.exists()
    file.unlink(missing_ok=True)
    return existed


def _stale_checkpoint(file: Path, why: str) -> InvalidParameter:
    return InvalidParameter(
        f"The checkpoint {file.name} does not belong to this import ({why}): the file, its "
        "kind or the source changed since. Rerun with --no-resume to start over.",
        param="resume",
        details={"resume": f"{file.name}: {why}"},
    )


def _save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    file = checkpoint_path(path)
    partial = file.with_name(file.name + ".tmp")
    partial.write_bytes(msgspec.json.encode(checkpoint))
    os.replace(partial, file)
