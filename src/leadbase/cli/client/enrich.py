"""``leadbase enrich people.csv -o out.csv``: a CSV through the bulk enrichment endpoint
(``--kind companies``: a list of accounts, by domain, LinkedIn page or name).

Rows go in chunks of up to 500, ``--concurrency`` calls at a time; the output holds the
input columns plus the kind's added columns, in input order. Each chunk's Idempotency-Key
is a hash of the input file's content, the mode (and kind, for companies), the chunk's
index and its rows, so a chunk sent again (after a crash that came after the server billed
it but before the checkpoint said so) replays the stored answer instead of billing again;
the server keeps keys 24 hours.
After Ctrl-C or a crash, the same command resumes from the checkpoint.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from leadbase import (
    BulkCompaniesEnrichment,
    BulkPeopleEnrichment,
    CompanyRow,
    Leadbase,
    PersonRow,
)
from leadbase._bulk import MAX_BULK_ROWS, map_ordered
from leadbase._models import Mode
from leadbase.cli.client import checkpoint
from leadbase.cli.client.checkpoint import Checkpoint, CheckpointError
from leadbase.cli.client.columns import (
    ADDED_COLUMNS,
    COMPANY_ADDED_COLUMNS,
    COMPANY_IDENTIFIERS,
    PERSON_IDENTIFIERS,
    IdentifierColumns,
    added_values,
    company_added_values,
    map_headers,
)
from leadbase.cli.client.common import (
    ApiKeyOption,
    BaseUrlOption,
    CustomerOption,
    JsonOption,
    api_errors,
    make_client,
)
from leadbase.cli.output import console, errors, fail, print_json, progress_bar

INTERRUPTED = 130
_HASH_BLOCK = 1 << 20

# rows done, rows in all
OnProgress = Callable[[int, int], None]


class ModeChoice(StrEnum):
    database = "database"
    realtime = "realtime"


class KindChoice(StrEnum):
    people = "people"
    companies = "companies"


Row = PersonRow | CompanyRow
Answer = BulkPeopleEnrichment | BulkCompaniesEnrichment


@dataclass(frozen=True, slots=True)
class _Target:
    """What enriching one kind of record takes: the columns it reads, the row it sends, the
    bulk call, and the columns it adds."""

    identifiers: Mapping[str, tuple[str, ...]]
    # What a file needs, said when it has none of it.
    needs: str
    row: Callable[[IdentifierColumns, str, Sequence[str]], Row]
    call: Callable[[Leadbase, list[Any], Mode, str], Answer]
    added_columns: Sequence[str]
    added_values: Callable[[Any], list[str]]


def _person_row(columns: IdentifierColumns, row_ref: str, line: Sequence[str]) -> Row:
    return PersonRow(row_ref=row_ref, **columns.identifiers(line))


def _company_row(columns: IdentifierColumns, row_ref: str, line: Sequence[str]) -> Row:
    return CompanyRow(row_ref=row_ref, **columns.company_identifier(line))


def _people_call(client: Leadbase, rows: list[Any], mode: Mode, key: str) -> Answer:
    return client.people.enrich_bulk(rows=rows, mode=mode, idempotency_key=key)


def _companies_call(client: Leadbase, rows: list[Any], mode: Mode, key: str) -> Answer:
    return client.companies.enrich_bulk(rows=rows, mode=mode, idempotency_key=key)


TARGETS: Mapping[str, _Target] = {
    "people": _Target(
        identifiers=PERSON_IDENTIFIERS,
        needs="email, LinkedIn URL, phone, first and last name or full name with company"
        " domain or name",
        row=_person_row,
        call=_people_call,
        added_columns=ADDED_COLUMNS,
        added_values=added_values,
    ),
    "companies": _Target(
        identifiers=COMPANY_IDENTIFIERS,
        needs="domain or website, company LinkedIn URL, company name, leadbase_company_id",
        row=_company_row,
        call=_companies_call,
        added_columns=COMPANY_ADDED_COLUMNS,
        added_values=company_added_values,
    ),
}


class EnrichError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class _Chunk:
    index: int
    lines: list[list[str]]
    rows: list[Row]
    idempotency_key: str


def enrich(
    source: Annotated[
        Path,
        typer.Argument(
            help="A UTF-8 CSV of people: email, LinkedIn URL, phone, or a name with the "
            "company's domain or name (HubSpot, Salesforce, Apollo headers work); with "
            "--kind companies, of companies: domain or website, LinkedIn page or name.",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the enriched CSV.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, max=MAX_BULK_ROWS, help="Rows per bulk call.")
    ] = MAX_BULK_ROWS,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=32, help="Bulk calls in flight at once.")
    ] = 4,
    kind: Annotated[
        KindChoice, typer.Option("--kind", help="What each row is: a person or a company.")
    ] = KindChoice.people,
    mode: Annotated[
        ModeChoice, typer.Option("--mode", help="The catalog, or live sources too.")
    ] = ModeChoice.database,
    max_retries: Annotated[
        int,
        typer.Option(
            "--max-retries", min=0, help="Retries of a chunk (rate limits, 5xx, network)."
        ),
    ] = 10,
    restart: Annotated[
        bool, typer.Option("--restart", help="Ignore an existing checkpoint and start over.")
    ] = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Enrich a CSV of people (or companies) in bulk calls; resumable after Ctrl-C or a crash."""
    if mode not in ("database", "realtime"):
        fail(
            "invalid_parameter",
            "--mode must be database or realtime",
            as_json=as_json,
            param="mode",
        )
    stopping = threading.Event()
    with (
        make_client(
            api_key=api_key,
            base_url=base_url,
            customer=customer,
            as_json=as_json,
            max_retries=max_retries,
            sleep=_stoppable_sleep(stopping),
        ) as client,
        api_errors(as_json=as_json),
        _progress(enabled=not as_json) as on_progress,
    ):
        try:
            done = run(
                client,
                source,
                output,
                chunk_size=chunk_size,
                concurrency=concurrency,
                mode=mode.value,
                kind=kind.value,
                restart=restart,
                on_progress=on_progress,
            )
        except EnrichError as exc:
            fail(exc.code, exc.message, as_json=as_json)
        except KeyboardInterrupt:
            stopping.set()
            _interrupted(output, as_json=as_json)
    _report(done, output, as_json=as_json)


class _Stopped(Exception):
    """The command is stopping: a chunk waiting to retry gives up."""


def _stoppable_sleep(stopping: threading.Event) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        if stopping.wait(seconds):
            raise _Stopped

    return sleep


def run(
    client: Leadbase,
    source: Path,
    output: Path,
    *,
    chunk_size: int = MAX_BULK_ROWS,
    concurrency: int = 4,
    mode: Mode = "database",
    kind: str = "people",
    restart: bool = False,
    on_progress: OnProgress | None = None,
) -> Checkpoint:
    """Enrich ``source`` into ``output``, resuming from the checkpoint next to it."""
    target = TARGETS[kind]
    fresh = Checkpoint(input_sha256=_sha256(source), chunk_size=chunk_size, mode=mode, kind=kind)
    state_path = checkpoint.path_for(output)
    headers, total = _read_shape(source)
    columns = map_headers(headers, target.identifiers)
    if not columns.fields:
        raise EnrichError(
            "invalid_csv_format",
            f"{source} has no column enrich can match {kind} on ({target.needs});"
            f" found: {', '.join(headers)}",
        )
    state = _resume(state_path, output, fresh, restart=restart)
    with output.open("r+b" if state.output_bytes else "wb") as out:
        if state.output_bytes:
            out.truncate(state.output_bytes)
            out.seek(state.output_bytes)
        else:
            state = _write(out, [[*headers, *target.added_columns]], state)
            checkpoint.save(state_path, state)
        if on_progress:
            on_progress(state.rows_done, total)
        with source.open(newline="", encoding="utf-8-sig") as file:
            chunks = _chunks(csv.reader(file), columns, target, state)

            def call(chunk: _Chunk) -> tuple[_Chunk, Answer]:
                return chunk, target.call(client, chunk.rows, mode, chunk.idempotency_key)

            for chunk, answer in map_ordered(call, chunks, concurrency=concurrency):
                state = _finish_chunk(out, chunk, answer, target, state)
                checkpoint.save(state_path, state)
                if on_progress:
                    on_progress(state.rows_done, total)
    state_path.unlink()
    return state


def _sha256(source: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as file:
        while block := file.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _read_shape(source: Path) -> tuple[list[str], int]:
    """The header row and the number of data rows."""
    try:
        with source.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            headers = next(reader, None)
            rows = sum(1 for _ in reader)
    except UnicodeDecodeError as exc:
        raise EnrichError("invalid_csv_format", f"{source} is not UTF-8: {exc}") from None
    except csv.Error as exc:
        raise EnrichError("invalid_csv_format", f"{source} is not CSV: {exc}") from None
    if not headers:
        raise EnrichError("invalid_csv_format", f"{source} is empty: it needs a header row")
    return headers, rows


def _resume(state_path: Path, output: Path, fresh: Checkpoint, *, restart: bool) -> Checkpoint:
    """The checkpoint to go on from: the saved one for this same work, else a fresh one."""
    try:
        saved = None if restart else checkpoint.load(state_path)
    except CheckpointError as exc:
        raise EnrichError("checkpoint_mismatch", f"{exc}; pass --restart to start over") from None
    if saved is None:
        return fresh
    if not saved.same_work(fresh):
        raise EnrichError(
            "checkpoint_mismatch",
            f"{state_path} was written for another input file, chunk size, mode or kind; "
            "pass --restart to start over",
        )
    size = output.stat().st_size if output.exists() else -1
    if size < saved.output_bytes:
        raise EnrichError(
            "checkpoint_mismatch",
            f"{output} is shorter than its checkpoint says; pass --restart to start over",
        )
    return saved


def _chunks(
    reader: Iterator[list[str]], columns: IdentifierColumns, target: _Target, state: Checkpoint
) -> Iterator[_Chunk]:
    """The chunks after the finished ones; a row's row_ref is its number in the file."""
    next(reader)  # the header
    index, first = state.chunks_done, 0
    lines: list[list[str]] = []
    for number, line in enumerate(reader, start=1):
        if number <= state.rows_done:
            continue
        if not lines:
            first = number
        lines.append(line)
        if len(lines) == state.chunk_size:
            yield _chunk(index, lines, first, columns, target, state)
            index, lines = index + 1, []
    if lines:
        yield _chunk(index, lines, first, columns, target, state)


def _chunk(
    index: int,
    lines: list[list[str]],
    first: int,
    columns: IdentifierColumns,
    target: _Target,
    state: Checkpoint,
) -> _Chunk:
    rows = [
        target.row(columns, str(number), line) for number, line in enumerate(lines, start=first)
    ]
    # People's keys are as they were before companies could be enriched: a run resumed
    # across that upgrade replays its billed chunks.
    kind = [] if state.kind == "people" else [state.kind]
    identity = json.dumps(
        [state.input_sha256, state.mode, *kind, index, rows], separators=(",", ":"), sort_keys=True
    )
    key = "lb-cli-enrich-" + hashlib.sha256(identity.encode()).hexdigest()[:40]
    return _Chunk(index=index, lines=lines, rows=rows, idempotency_key=key)


def _write(out: BinaryIO, lines: Sequence[Sequence[str]], state: Checkpoint) -> Checkpoint:
    """Append CSV lines and make them durable; the state with the output's new size."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(lines)
    out.write(text.getvalue().encode())
    out.flush()
    os.fsync(out.fileno())
    return state.advanced(output_bytes=out.tell())


def _finish_chunk(
    out: BinaryIO, chunk: _Chunk, answer: Answer, target: _Target, state: Checkpoint
) -> Checkpoint:
    results = answer.results
    if [result.row_ref for result in results] != [row["row_ref"] for row in chunk.rows]:
        raise EnrichError(
            "unexpected_response", f"chunk {chunk.index}: the rows came back out of order"
        )
    state = _write(
        out,
        [
            [*line, *target.added_values(result)]
            for line, result in zip(chunk.lines, results, strict=True)
        ],
        state,
    )
    meta = answer.meta
    replayed = meta is not None and meta.replayed
    charged = 0.0 if replayed or meta is None else meta.credits_charged or 0.0
    return state.advanced(
        chunks_done=chunk.index + 1,
        rows_done=state.rows_done + len(chunk.lines),
        matched=state.matched + answer.summary.matched,
        no_match=state.no_match + answer.summary.no_match,
        invalid=state.invalid + answer.summary.failed,
        credits_charged=round(state.credits_charged + charged, 3),
        replayed_chunks=state.replayed_chunks + int(replayed),
    )


def _progress(*, enabled: bool) -> AbstractContextManager[OnProgress | None]:
    """A bar of rows enriched on stderr, when stderr is a terminal."""
    return progress_bar(
        TextColumn("enriching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        enabled=enabled,
    )


def _interrupted(output: Path, *, as_json: bool) -> None:
    state_path = checkpoint.path_for(output)
    saved = checkpoint.load(state_path) if state_path.exists() else None
    done = saved.rows_done if saved else 0
    message = (
        f"interrupted after {done:,} rows; run the same command again to resume"
        f" (checkpoint {state_path})"
    )
    if as_json:
        typer.echo(json.dumps({"error": {"code": "interrupted", "message": message}}), err=True)
    else:
        errors.print(message, soft_wrap=True)
    raise typer.Exit(INTERRUPTED)


def _report(done: Checkpoint, output: Path, *, as_json: bool) -> None:
    summary = {
        "output": str(output),
        "rows": done.rows_done,
        "matched": done.matched,
        "no_match": done.no_match,
        "invalid": done.invalid,
        "credits_charged": done.credits_charged,
        "replayed_chunks": done.replayed_chunks,
    }
    if as_json:
        print_json(json.dumps(summary))
        return
    console.print(
        f"{done.rows_done:,} rows -> {output}: {done.matched:,} matched, {done.no_match:,} no match,"
        f" {done.invalid:,} invalid; {done.credits_charged:,.3f} credits charged",
        soft_wrap=True,
    )
