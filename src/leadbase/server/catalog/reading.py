"""A CSV export as batches of parsed records, read here or ahead in a process of its own.

read (stdlib csv over the file's bytes, so every record's end offset is exact) -> map
(``ColumnMap.values``) -> parse (``records``; a row that makes no record is a failure
with its errors, unless it makes one without its invalid fields and the import drops
them). Each :class:`Batch` says where the next one starts (byte offset and
spreadsheet row, the header being row 1), which is what an import checkpoints.

Reading and parsing cost about as much CPU as resolving and writing the records, so
:func:`batches` can run them in a second process that stays one batch ahead of the
writer: batches cross the pipe as msgpack, several times cheaper than pickle.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import multiprocessing
import re
import signal
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import msgspec

from leadbase.server import nul
from leadbase.server.batch_gc import collector_paused
from leadbase.server.catalog import records
from leadbase.server.catalog.columns import ColumnMap, Kind
from leadbase.server.errors import InvalidCsvFormat

R = TypeVar("R")

# Descriptions can be long; the csv module's default field limit is 128 KiB.
_FIELD_LIMIT = 16 * 1024 * 1024

# (spreadsheet row, the row's raw values, field -> problem)
Failure = tuple[int, list[str], dict[str, str]]


class Batch(msgspec.Struct, Generic[R], tag="batch", kw_only=True):
    """Up to ``batch_rows`` rows: the records they made and the rows that made none."""

    records: list[R] = msgspec.field(default_factory=list)
    failures: list[Failure] = msgspec.field(default_factory=list)
    # The byte offset where the next batch starts, and the number of the last row read.
    offset: int
    row: int
    # Rows imported without their invalid fields, with those fields' errors (an import
    # that drops them); the failed rows that would have been, by row number.
    dropped: list[Failure] = msgspec.field(default_factory=list)
    droppable: list[int] = msgspec.field(default_factory=list)


class _Stopped(msgspec.Struct, tag="stopped"):
    """The reading process could not go on: the file is not valid CSV, or it failed."""

    message: str
    details: dict[str, str] | None = None
    invalid_csv: bool = True


RECORD_TYPES: dict[Kind, Any] = {
    "people": records.PersonRecord,
    "companies": records.CompanyRecord,
    "openings": records.OpeningRecord,
}


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
        self.delimiter = _delimiter(handle)
        self._reader = csv.reader(self._lines(), delimiter=self.delimiter)
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


# A comma first: it wins a tie.
_DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(handle: IO[bytes]) -> str:
    """The separator of the header that starts ``handle``: the comma, or the semicolon
    (Excel's CSV where the decimal mark is a comma: much of Europe) or the tab that
    separates more of its names. The handle is left where it was."""
    start = handle.tell()
    first = handle.readline()
    handle.seek(start)
    header = _QUOTED.sub("", first.decode("utf-8", errors="replace"))
    return max(_DELIMITERS, key=header.count)


def parse_rows(
    columns: ColumnMap,
    rows: list[tuple[int, list[str]]],
    *,
    offset: int,
    row: int,
    drop_invalid_fields: bool = False,
) -> Batch[Any]:
    """The batch of these rows: a record for each row that makes one, the row number and
    errors of each that doesn't.

    A row's errors are every invalid field's, a NUL character's included. With
    ``drop_invalid_fields``, a row is imported without its invalid fields when
    ``records.without_invalid`` allows it; without, such a row fails and is ``droppable``.
    """
    values_of = columns.values
    kind = columns.kind
    parse = records.PARSERS[kind]
    batch: Batch[Any] = Batch(offset=offset, row=row)
    for number, raw in rows:
        given = values_of(raw)
        if not given:
            continue  # a blank line
        # One scan of the joined row: NUL is rare, a per-field test is not cheap.
        refused = nul.holding_nul(given) if "\x00" in "".join(raw) else {}
        values = (
            {name: value for name, value in given.items() if name not in refused}
            if refused
            else given
        )
        result = parse(values)
        if not isinstance(result, dict) and not refused:
            batch.records.append(result)
            continue
        # NUL wins over what parsing said of the same field (not nul.beside's order): the
        # field was taken out for its NUL, so any error parsing gave it ("a person needs a
        # name") is the consequence, not its own.
        errors = {**(result if isinstance(result, dict) else {}), **refused}
        # A failed row whose invalid fields may all be dropped is parsed once more without
        # them (an export whose phones all lack a country parses each of its rows twice).
        without = records.without_invalid(kind, given, errors)
        if without is None:
            batch.failures.append((number, raw, errors))
        elif drop_invalid_fields:
            batch.records.append(without)
            batch.dropped.append((number, raw, errors))
        else:
            batch.failures.append((number, raw, errors))
            batch.droppable.append(number)
    return batch


def read_batches(
    path: Path,
    columns: ColumnMap,
    *,
    offset: int,
    row: int,
    batch_rows: int,
    drop_invalid_fields: bool = False,
) -> Iterator[Batch[Any]]:
    """The batches of ``path`` from ``offset`` (just after row ``row``), parsed."""
    with path.open("rb") as handle:
        reader = RowReader(handle)
        reader.seek(offset=offset, row=row)
        for raw in reader.batches(batch_rows):
            yield parse_rows(
                columns,
                raw,
                offset=reader.offset,
                row=reader.row,
                drop_invalid_fields=drop_invalid_fields,
            )


@asynccontextmanager
async def batches(
    path: Path,
    columns: ColumnMap,
    *,
    offset: int,
    row: int,
    batch_rows: int,
    ahead: bool,
    drop_invalid_fields: bool = False,
) -> AsyncIterator[AsyncIterator[Batch[Any]]]:
    """:func:`read_batches`, read in this process or, with ``ahead``, in another one."""
    read = partial(
        read_batches,
        path,
        columns,
        offset=offset,
        row=row,
        batch_rows=batch_rows,
        drop_invalid_fields=drop_invalid_fields,
    )
    if not ahead:
        yield _inline(read())
        return
    context = multiprocessing.get_context("spawn")  # forking a threaded process is unsafe
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_read_ahead,
        args=(sending, read),
        name="leadbase-import-reader",
        daemon=True,
    )
    process.start()
    sending.close()
    try:
        yield _received(receiving, columns.kind, process)
    finally:
        receiving.close()
        process.terminate()
        await asyncio.to_thread(process.join, 10)


async def _inline(batches: Iterator[Batch[Any]]) -> AsyncIterator[Batch[Any]]:
    for batch in batches:
        yield batch


def _read_ahead(sending: Connection, read: Callable[[], Iterator[Batch[Any]]]) -> None:
    """The reading process: every batch down the pipe, then an empty message."""
    # Ctrl-C reaches the whole process group; the importer stops this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    encode = msgspec.msgpack.Encoder().encode
    try:
        with collector_paused():
            for batch in read():
                sending.send_bytes(encode(batch))
    except InvalidCsvFormat as error:
        sending.send_bytes(encode(_Stopped(error.message, _text_details(error.details))))
    except Exception:
        sending.send_bytes(encode(_Stopped(traceback.format_exc(), invalid_csv=False)))
    else:
        sending.send_bytes(b"")
    finally:
        sending.close()


def _text_details(details: dict[str, Any] | None) -> dict[str, str] | None:
    return None if details is None else {name: str(value) for name, value in details.items()}


async def _received(
    receiving: Connection, kind: Kind, process: multiprocessing.process.BaseProcess
) -> AsyncIterator[Batch[Any]]:
    decode = msgspec.msgpack.Decoder(Batch[RECORD_TYPES[kind]] | _Stopped).decode  # type: ignore[valid-type]
    while True:
        try:
            message = await asyncio.to_thread(receiving.recv_bytes)
        except EOFError:
            raise RuntimeError(
                f"the import's reading process stopped unexpectedly (exit code {process.exitcode})"
            ) from None
        if not message:
            return
        batch = decode(message)
        if isinstance(batch, _Stopped):
            if batch.invalid_csv:
                raise InvalidCsvFormat(batch.message, details=batch.details)
            raise RuntimeError(f"the import's reading process failed:\n{batch.message}")
        yield batch
