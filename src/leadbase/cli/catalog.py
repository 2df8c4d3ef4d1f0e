"""``leadbase catalog``: the catalog's data, made up (``generate``) or loaded from CSV."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from leadbase.cli.output import (
    console,
    errors,
    fail,
    print_json,
    progress_bar,
    reported_errors,
)
from leadbase.cli.settings import ConfigOption, DatabaseUrlOption, resolve

if TYPE_CHECKING:
    from leadbase.server.catalog.generate import GenerationSummary
    from leadbase.server.catalog.generate import Progress as OnProgress
    from leadbase.server.catalog.importer import ImportSummary
    from leadbase.server.catalog.importer import Progress as ImportProgress

app = typer.Typer(
    help="The catalog's data: generate a synthetic one, import CSV exports.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
# 128 + SIGINT, as a shell reports a command stopped by Ctrl-C.
INTERRUPTED = 130


@app.command("generate")
def generate(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Directory for companies.csv, people.csv, openings.csv, truth.csv, queries.csv.",
            file_okay=False,
        ),
    ],
    people: Annotated[int, typer.Option("--people", help="Rows of people.csv.")] = 10_000,
    companies: Annotated[
        int | None,
        typer.Option("--companies", help="Companies \\[default: people / 5].", show_default=False),
    ] = None,
    openings: Annotated[
        int | None,
        typer.Option(
            "--openings", help="Job openings \\[default: people / 10].", show_default=False
        ),
    ] = None,
    duplicates: Annotated[
        float,
        typer.Option(
            "--duplicates", help="Share of people rows that repeat an earlier person, with noise."
        ),
    ] = 0.1,
    queries: Annotated[
        int,
        typer.Option("--queries", help="Labelled person-matching queries (queries.csv)."),
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 1,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Openings are posted in the 90 days before this date \\[default: today].",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a synthetic catalog, labelled with the truth about its duplicates."""
    with reported_errors(as_json=as_json), _progress(enabled=not as_json) as on_progress:
        from leadbase.server.catalog.generate import generate as generate_catalog

        try:
            summary = generate_catalog(
                out,
                people=people,
                companies=companies,
                openings=openings,
                duplicate_rate=duplicates,
                queries=queries,
                seed=seed,
                as_of=as_of.date() if as_of else None,
                on_progress=on_progress,
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            fail("output_not_writable", f"Cannot write to {out}: {reason}", as_json=as_json)
    if as_json:
        print_json(json.dumps(summary.as_dict()))
        return
    _print_summary(summary)


@contextmanager
def _progress(*, enabled: bool) -> Iterator[OnProgress | None]:
    """A progress bar on stderr while generating, when stderr is a terminal."""
    if not (enabled and errors.is_terminal):
        yield None
        return
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield on_progress


def _print_summary(summary: GenerationSummary) -> None:
    console.print(
        f"Synthetic catalog in {escape(str(summary.out_dir))} "
        f"(seed {summary.seed}, as of {summary.as_of.isoformat()})",
        soft_wrap=True,
    )
    lines = (
        ("companies", summary.companies, ""),
        (
            "people",
            summary.people,
            f"{summary.entities:,} people + {summary.duplicates:,} duplicates",
        ),
        ("openings", summary.openings, ""),
        ("queries", summary.queries, "labelled, for scoring person matching"),
    )
    for name, count, note in lines:
        console.print(f"  {name:<10}{count:>12,}  {note}".rstrip(), soft_wrap=True)
    console.print(
        f"{summary.rows:,} rows in {summary.seconds:.1f} s: "
        f"{summary.rows_per_second:,.0f} rows/s ({summary.people_per_second:,.0f} people/s)",
        soft_wrap=True,
    )


# Import -------------------------------------------------------------------------------------

KindOption = Annotated[
    Literal["people", "companies", "openings"] | None,
    typer.Option(
        "--kind",
        help="What the file holds (default: guessed from its headers).",
        show_default=False,
    ),
]


@app.command("import")
def import_file(
    file: Annotated[
        Path,
        typer.Argument(
            help="A UTF-8 CSV export of people, companies or openings (HubSpot, Salesforce, "
            "Apollo, Sales Navigator, generate).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    kind: KindOption = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="Provenance label (default: the file's name).", show_default=False
        ),
    ] = None,
    errors_path: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Where to report failed rows and dropped fields (default: <file>.errors.csv, "
            "kept only if there is something to report).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume/--no-resume",
            help="Continue an interrupted import from its checkpoint, or start over.",
        ),
    ] = True,
    synthetic: Annotated[
        bool, typer.Option("--synthetic", help="Label the rows as synthetic demo data.")
    ] = False,
    drop_invalid_fields: Annotated[
        bool,
        typer.Option(
            "--drop-invalid-fields",
            help="Import a row without its invalid fields when the rest still makes a "
            "record: contact details, location, title, company website or LinkedIn page, "
            "a company's or an opening's details; never a name, a record id or an "
            "opening's company, and a person keeps an email, phone or LinkedIn URL. The "
            "report names each field dropped. Without it, such a row fails whole.",
        ),
    ] = False,
    on_match: Annotated[
        Literal["fill", "overwrite"],
        typer.Option(
            "--on-match",
            help="What a row does to the catalog record it matches: fill its empty fields, "
            "or overwrite them with the row's values (a refreshed export: new titles, "
            "companies, locations). A blank cell never erases a value; emails, phones and "
            "LinkedIn pages are added, never replaced.",
        ),
    ] = "fill",
    batch_rows: Annotated[
        int,
        typer.Option(
            "--batch-rows",
            min=1,
            help="Rows per transaction and checkpoint. Larger batches import faster; a "
            "server writing to the same SQLite file waits for the batch in progress.",
        ),
    ] = 20_000,
    read_ahead: Annotated[
        bool | None,
        typer.Option(
            "--read-ahead/--no-read-ahead",
            help="Read and parse in a second process, one batch ahead of the writer "
            "\\[default: on with two cores or more].",
            show_default=False,
        ),
    ] = None,
    write_behind: Annotated[
        bool | None,
        typer.Option(
            "--write-behind/--no-write-behind",
            help="In a bulk load, write each batch in a process of its own while the next "
            "is resolved \\[default: on with two cores or more].",
            show_default=False,
        ),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk/--no-bulk",
            help="Into an empty table, build its indexes once at the end (several times "
            "faster; search sees the rows when the import ends). --no-bulk indexes batch by "
            "batch, for a catalog a server is answering from.",
        ),
    ] = True,
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Import a CSV file into the catalog, merging duplicates (resumable)."""
    with reported_errors(as_json=as_json), _byte_progress(enabled=not as_json) as on_progress:
        settings = resolve(config_file=config, database_url=database_url)
        summary = _run_import(
            settings.database_url,
            file,
            migrate=settings.auto_migrate,
            kind=kind,
            source=source,
            errors_path=errors_path,
            resume=resume,
            synthetic=synthetic,
            drop_invalid_fields=drop_invalid_fields,
            on_match=on_match,
            batch_rows=batch_rows,
            read_ahead=read_ahead if read_ahead is not None else _cores() >= 2,
            bulk=bulk,
            write_behind=write_behind if write_behind is not None else _cores() >= 2,
            on_progress=on_progress,
        )
    if as_json:
        print_json(_to_json(summary))
        return
    _print_import(summary)


def _cores() -> int:
    # Reading and parsing cost about what writing does: a second core nearly halves an import.
    return os.cpu_count() or 1


def _to_json(value: object) -> str:
    import msgspec  # the server's dependency: imported only when a command runs

    return msgspec.json.encode(value).decode()


def _run_import(url: str, file: Path, *, migrate: bool, **options: Any) -> ImportSummary:
    from leadbase.server import db
    from leadbase.server.catalog.importer import ImportStopped, import_csv

    if migrate:
        db.upgrade(url)

    async def work() -> ImportSummary:
        database = db.Database(url)
        try:
            with _stop_on_ctrl_c() as stop:
                return await import_csv(database, file, stop=stop, **options)
        finally:
            await database.dispose()

    try:
        return asyncio.run(work())
    except (ImportStopped, KeyboardInterrupt) as stopped:
        errors.print(
            "interrupted: every committed batch is kept; run the same command again to resume",
            soft_wrap=True,
        )
        if isinstance(stopped, KeyboardInterrupt) and _bulk_load_unfinished(url):
            # Stopped at once: the bulk load had no time to build what it deferred.
            errors.print(
                "the bulk load stopped at once leaves its indexes to be built: search does not"
                " see its rows until the next import or `leadbase serve` builds them",
                soft_wrap=True,
            )
        raise typer.Exit(INTERRUPTED) from None


def _bulk_load_unfinished(url: str) -> bool:
    from leadbase.server import db
    from leadbase.server.catalog import bulk

    async def check() -> bool:
        database = db.Database(url)
        try:
            return await bulk.unfinished(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(check())
    except Exception:  # only a hint on the way out: an unreadable database prints nothing
        return False


@contextmanager
def _stop_on_ctrl_c() -> Iterator[asyncio.Event]:
    """An event the first Ctrl-C sets, so the import stops after the batch it is writing.

    Raising KeyboardInterrupt wherever the loop happens to be can land inside a database
    driver's bookkeeping (psycopg's pipeline asserts) and lose the clean exit. A second
    Ctrl-C is the impatient one: it interrupts at once.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def first() -> None:
        stop.set()
        errors.print("stopping after the batch being written (Ctrl-C again to stop at once)")
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    loop.add_signal_handler(signal.SIGINT, first)
    try:
        yield stop
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def _byte_progress(*, enabled: bool) -> AbstractContextManager[ImportProgress | None]:
    """A bar of bytes read on stderr, when stderr is a terminal."""
    return progress_bar(
        TextColumn("importing"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        enabled=enabled,
    )


def _print_import(summary: ImportSummary) -> None:
    resumed = (
        f", resumed after row {summary.resumed_after_row:,}"
        if summary.resumed_after_row is not None
        else ""
    )
    console.print(
        f"Imported {escape(summary.file)} as {summary.kind} "
        f"(source {escape(summary.source)}{resumed})",
        soft_wrap=True,
    )
    overwritten = summary.on_match == "overwrite" and summary.merged > 0
    for name in ("rows", "created", "merged", "suppressed", "failed"):
        note = "  (overwritten with the file's values)" if name == "merged" and overwritten else ""
        console.print(f"  {name:<15}{getattr(summary, name):>12,}{note}", soft_wrap=True)
    if summary.rows_with_fields_dropped:
        console.print(
            f"  {'fields dropped':<15}{summary.rows_with_fields_dropped:>12,}"
            "  (rows imported without their invalid fields)",
            soft_wrap=True,
        )
    indexing = (
        f" (bulk load into an empty table: {summary.indexing_seconds:.1f} s of it building indexes)"
        if summary.bulk
        else ""
    )
    console.print(
        f"{summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s{indexing}", soft_wrap=True
    )
    if summary.ignored_columns:
        # A column the map does not know is dropped: say so, or its data is lost unseen.
        ignored = ", ".join(escape(column) for column in summary.ignored_columns)
        console.print(f"Ignored columns (not a catalog field): {ignored}", soft_wrap=True)
    if summary.errors_file:
        console.print(
            f"Report of failed rows and dropped fields: {escape(summary.errors_file)}",
            soft_wrap=True,
        )
    if summary.droppable:
        console.print(
            f"{summary.droppable:,} of the failed rows would import without their invalid "
            "fields; the report marks them row rejected (droppable). To import them, rerun with "
            "--drop-invalid-fields: it reads the whole file again, and the rows already "
            "imported count as merged.",
            soft_wrap=True,
        )


# Suppress -----------------------------------------------------------------------------------


@app.command("suppress")
def suppress(
    email: Annotated[
        str | None, typer.Option("--email", help="An email address.", show_default=False)
    ] = None,
    linkedin: Annotated[
        str | None,
        typer.Option("--linkedin", help="A LinkedIn profile URL.", show_default=False),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option("--phone", help="A phone number in +<country code> form.", show_default=False),
    ] = None,
    domain: Annotated[
        str | None,
        typer.Option("--domain", help="A whole email and company domain.", show_default=False),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept with the keys).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Delete the people these keys identify and keep them out of every future import."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations
        from leadbase.server.catalog import service as catalog

        settings = resolve(config_file=config, database_url=database_url)
        result = operations.run(
            settings,
            lambda session: catalog.suppress(
                session,
                email=email,
                linkedin_url=linkedin,
                phone=phone,
                domain=domain,
                reason=reason,
            ),
        )
    if as_json:
        print_json(_to_json(result))
        return
    people = "person" if result.deleted_people == 1 else "people"
    console.print(
        f"Deleted {result.deleted_people:,} {people}; suppressed {len(result.keys):,} key(s):",
        soft_wrap=True,
    )
    for key in result.keys:
        console.print(f"  {key.kind:<9}{escape(key.value)}", soft_wrap=True)
