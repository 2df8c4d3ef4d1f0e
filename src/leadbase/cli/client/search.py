"""``leadbase search people|companies|openings``: a search as a table, CSV or JSON, up to
--limit, or with --count how many it finds (free)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, cast

import typer
from rich.table import Table

from leadbase import (
    CompanyFilters,
    Count,
    Leadbase,
    LocationFilter,
    LocationParts,
    Opening,
    OpeningFilters,
    Page,
    PeopleFilters,
    Person,
)
from leadbase.cli.client.columns import company_values
from leadbase.cli.client.common import (
    ApiKeyOption,
    BaseUrlOption,
    CustomerOption,
    api_errors,
    make_client,
)
from leadbase.cli.output import console

app = typer.Typer(help="Search the catalog (billed per result returned).", no_args_is_help=True)

# The most results one search call may return.
MAX_PAGE = 2500


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


LimitOption = Annotated[
    int, typer.Option("--limit", min=1, help="How many results at most (each is billed).")
]
FormatOption = Annotated[Format, typer.Option("--format", help="How to print the results.")]
CountOption = Annotated[
    bool, typer.Option("--count", help="Print how many the search finds (free), not them.")
]
TitleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--title",
        help="A job title (word prefixes; CTO finds Chief Technology Officers too);"
        " repeat for any of several.",
        show_default=False,
    ),
]
SeniorityOption = Annotated[
    list[str] | None,
    typer.Option(
        "--seniority",
        help="owner, founder, c_suite, vp, head, director, manager, senior, entry...",
        show_default=False,
    ),
]
DepartmentOption = Annotated[
    list[str] | None,
    typer.Option("--department", help="engineering, sales, marketing, ...", show_default=False),
]
LocationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--location",
        help='A country ("US", "Germany"), "City, CC" or "City, Region, CC" (", Bavaria, DE" for a'
        " region); repeat for any of several.",
        show_default=False,
    ),
]
ExcludeLocationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude-location",
        help="Leave out a place (as --location); repeatable.",
        show_default=False,
    ),
]
CompanyDomainOption = Annotated[
    list[str] | None,
    typer.Option("--company-domain", help="The company's domain; repeatable.", show_default=False),
]
KeywordOption = Annotated[
    str | None,
    typer.Option("--keyword", help="Words that must all appear.", show_default=False),
]

PERSON_COLUMNS = (
    "id",
    "full_name",
    "title",
    "seniority",
    "company",
    "company_domain",
    "email",
    "phone",
    "linkedin_url",
    "country",
)
COMPANY_COLUMNS = ("id", "name", "domain", "industry", "headcount_range", "country", "linkedin_url")
OPENING_COLUMNS = (
    "id",
    "title",
    "company",
    "company_domain",
    "seniority",
    "city",
    "country",
    "posted_at",
    "url",
)


@app.command("people")
def people(
    title: TitleOption = None,
    seniority: SeniorityOption = None,
    department: DepartmentOption = None,
    location: LocationOption = None,
    exclude_location: ExcludeLocationOption = None,
    company_domain: CompanyDomainOption = None,
    has_email: Annotated[
        bool, typer.Option("--has-email", help="Only people with an email address.")
    ] = False,
    has_phone: Annotated[
        bool, typer.Option("--has-phone", help="Only people with a phone number.")
    ] = False,
    updated_since: Annotated[
        str | None,
        typer.Option(
            "--updated-since",
            help="Only people updated since a date (2026-11-01) or a date-time with its offset.",
            show_default=False,
        ),
    ] = None,
    keyword: KeywordOption = None,
    count: CountOption = False,
    limit: LimitOption = 25,
    output: FormatOption = Format.table,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
) -> None:
    """Find people by title, seniority, department, location, company."""
    filters = _given(
        job_titles=title,
        seniorities=seniority,
        departments=department,
        locations=_locations(location),
        exclude_locations=_locations(exclude_location),
        company_domains=company_domain,
        has_email=has_email,
        has_phone=has_phone,
        updated_since=_since("--updated-since", updated_since),
        keywords=keyword,
    )
    answer = _Answer(
        Connection(api_key, base_url, customer), count=count, limit=limit, output=output
    )
    answer.give(
        lambda client: client.search.count_people(filters=cast(PeopleFilters, filters)),
        lambda client, size, cursor: client.search.people(
            filters=cast(PeopleFilters, filters), limit=size, cursor=cursor
        ),
        PERSON_COLUMNS,
        _person_row,
    )


@app.command("companies")
def companies(
    name: Annotated[
        list[str] | None,
        typer.Option(
            "--name", help="A company name (word prefixes); repeatable.", show_default=False
        ),
    ] = None,
    industry: Annotated[
        list[str] | None,
        typer.Option("--industry", help="An industry; repeatable.", show_default=False),
    ] = None,
    headcount: Annotated[
        list[str] | None,
        typer.Option(
            "--headcount",
            help="1-10, 11-50, 51-200, 201-500, 501-1000, 1001-5000, 5001-10000 or 10001+;"
            " repeatable.",
            show_default=False,
        ),
    ] = None,
    location: LocationOption = None,
    exclude_location: ExcludeLocationOption = None,
    keyword: KeywordOption = None,
    count: CountOption = False,
    limit: LimitOption = 25,
    output: FormatOption = Format.table,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
) -> None:
    """Find companies by name, industry, headcount, location."""
    filters = _given(
        names=name,
        industries=industry,
        headcounts=headcount,
        locations=_locations(location),
        exclude_locations=_locations(exclude_location),
        keywords=keyword,
    )
    answer = _Answer(
        Connection(api_key, base_url, customer), count=count, limit=limit, output=output
    )
    answer.give(
        lambda client: client.search.count_companies(filters=cast(CompanyFilters, filters)),
        lambda client, size, cursor: client.search.companies(
            filters=cast(CompanyFilters, filters), limit=size, cursor=cursor
        ),
        COMPANY_COLUMNS,
        company_values,
    )


@app.command("openings")
def openings(
    title: TitleOption = None,
    seniority: SeniorityOption = None,
    department: DepartmentOption = None,
    location: LocationOption = None,
    exclude_location: ExcludeLocationOption = None,
    company_domain: CompanyDomainOption = None,
    posted_since: Annotated[
        str | None,
        typer.Option(
            "--posted-since",
            help="Only openings posted since a date (2026-11-01) or a date-time with its offset.",
            show_default=False,
        ),
    ] = None,
    keyword: KeywordOption = None,
    count: CountOption = False,
    limit: LimitOption = 25,
    output: FormatOption = Format.table,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
) -> None:
    """Find job openings (hiring signals) by title, location, company, date posted."""
    filters = _given(
        titles=title,
        seniorities=seniority,
        departments=department,
        locations=_locations(location),
        exclude_locations=_locations(exclude_location),
        company_domains=company_domain,
        posted_since=_since("--posted-since", posted_since),
        keywords=keyword,
    )
    answer = _Answer(
        Connection(api_key, base_url, customer), count=count, limit=limit, output=output
    )
    answer.give(
        lambda client: client.search.count_openings(filters=cast(OpeningFilters, filters)),
        lambda client, size, cursor: client.search.openings(
            filters=cast(OpeningFilters, filters), limit=size, cursor=cursor
        ),
        OPENING_COLUMNS,
        _opening_row,
    )


def _given(**options: object) -> dict[str, Any]:
    """The filters the options set: each one given, a flag only when it is on."""
    return {name: value for name, value in options.items() if value not in (None, False, [], "")}


def _since(option: str, value: str | None) -> dt.date | dt.datetime | None:
    """A date, or a date-time (without its offset the server refuses it, saying so)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == len("2026-11-01"):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            "expected a date (2026-11-01) or a date-time with its offset (2026-11-01T09:30:00Z)",
            param_hint=option,
        ) from None


def _locations(values: Sequence[str] | None) -> list[LocationFilter] | None:
    return None if values is None else [_location(value) for value in values]


def _location(value: str) -> LocationFilter:
    """ "US" -> "US"; "London, GB" -> city and country; "Austin, Texas, US" -> all three;
    a part left empty is left out: ", Bavaria, DE" is a region of a country."""
    parts = [part.strip() for part in value.split(",")]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()  # "London, GB," is London, GB
    if len(parts) == 1:
        return parts[0]
    location: LocationParts = {"country": parts[-1]}
    city, region = parts[0], parts[1] if len(parts) > 2 else ""
    if city:
        location["city"] = city
    if region:
        location["region"] = region
    return location


@dataclass(frozen=True, slots=True)
class Connection:
    api_key: str | None
    base_url: str | None
    customer: str | None


@contextmanager
def _connected(connection: Connection) -> Iterator[Leadbase]:
    """A client for the connection; an API error ends the command with its message."""
    with (
        make_client(
            api_key=connection.api_key, base_url=connection.base_url, customer=connection.customer
        ) as client,
        api_errors(),
    ):
        yield client


def _search(
    pages: Callable[[Leadbase, int, str | None], Page[Any]], limit: int, connection: Connection
) -> list[Any]:
    with _connected(connection) as client:
        return list(_collect(lambda size, cursor: pages(client, size, cursor), limit))


@dataclass(frozen=True, slots=True)
class _Answer:
    """What a search command prints: the results up to ``limit``, or with ``count`` how
    many there are (free)."""

    connection: Connection
    count: bool
    limit: int
    output: Format

    def give(
        self,
        counted: Callable[[Leadbase], Count],
        pages: Callable[[Leadbase, int, str | None], Page[Any]],
        columns: Sequence[str],
        row: Callable[[Any], list[str]],
    ) -> None:
        if self.count:
            with _connected(self.connection) as client:
                _print_count(counted(client).count, self.output)
            return
        _print(_search(pages, self.limit, self.connection), columns, row, self.output)


def _print_count(found: int, output: Format) -> None:
    if output is Format.json:
        typer.echo(json.dumps({"count": found}))
    elif output is Format.csv:
        typer.echo(f"count\n{found}")
    else:
        console.print(f"{found:,} found (a count is free)")


def _collect(search: Callable[[int, str | None], Page[Any]], limit: int) -> Iterator[Any]:
    """Up to ``limit`` results, asking each page for no more than are still wanted."""
    cursor: str | None = None
    remaining = limit
    while remaining > 0:
        page = search(min(remaining, MAX_PAGE), cursor)
        yield from page.data[:remaining]
        remaining -= len(page.data)
        if not page.has_next_page():
            return
        cursor = page.next_cursor


def _person_row(person: Person) -> list[str]:
    company = person.company
    return [
        person.id,
        person.full_name,
        person.title or "",
        person.seniority or "",
        company.name if company else "",
        (company.domain or "") if company else "",
        person.emails[0].email if person.emails else "",
        person.phones[0].e164 if person.phones else "",
        person.linkedin_url or "",
        person.location.country or "",
    ]


def _opening_row(opening: Opening) -> list[str]:
    return [
        opening.id,
        opening.title,
        opening.company.name,
        opening.company.domain or "",
        opening.seniority or "",
        opening.location.city or "",
        opening.location.country or "",
        opening.posted_at.isoformat() if opening.posted_at else "",
        opening.url or opening.linkedin_url or "",
    ]


def _print(
    found: Sequence[Any], columns: Sequence[str], row: Callable[[Any], list[str]], output: Format
) -> None:
    if output is Format.json:
        typer.echo(json.dumps([dict(item.raw) for item in found]))
    elif output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(row(item) for item in found)
    else:
        table = Table(*columns, box=None)
        for item in found:
            table.add_row(*row(item))
        console.print(table)
        console.print(f"{len(found)} result(s)")
