"""``leadbase search people|companies``: a search as a table, CSV or JSON, up to --limit."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from leadbase import (
    Company,
    CompanyFilters,
    Leadbase,
    LocationFilter,
    LocationParts,
    Page,
    PeopleFilters,
    Person,
)
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
LocationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--location",
        help='A country code ("US") or "City, Region, CC"; repeat for any of several.',
        show_default=False,
    ),
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


@app.command("people")
def people(
    title: Annotated[
        list[str] | None,
        typer.Option(
            "--title",
            help="A job title (word prefixes); repeat for any of several.",
            show_default=False,
        ),
    ] = None,
    seniority: Annotated[
        list[str] | None,
        typer.Option(
            "--seniority",
            help="owner, founder, c_suite, vp, head, director, manager, senior, entry...",
            show_default=False,
        ),
    ] = None,
    department: Annotated[
        list[str] | None,
        typer.Option("--department", help="engineering, sales, marketing, ...", show_default=False),
    ] = None,
    location: LocationOption = None,
    company_domain: Annotated[
        list[str] | None,
        typer.Option(
            "--company-domain", help="The company's domain; repeatable.", show_default=False
        ),
    ] = None,
    has_email: Annotated[
        bool, typer.Option("--has-email", help="Only people with an email address.")
    ] = False,
    keyword: KeywordOption = None,
    limit: LimitOption = 25,
    output: FormatOption = Format.table,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
) -> None:
    """Find people by title, seniority, department, location, company."""
    filters: PeopleFilters = {}
    if title:
        filters["job_titles"] = title
    if seniority:
        filters["seniorities"] = seniority
    if department:
        filters["departments"] = department
    if location:
        filters["locations"] = [_location(value) for value in location]
    if company_domain:
        filters["company_domains"] = company_domain
    if has_email:
        filters["has_email"] = True
    if keyword:
        filters["keywords"] = keyword

    def pages(client: Leadbase, size: int, cursor: str | None) -> Page[Any]:
        return client.search.people(filters=filters, limit=size, cursor=cursor)

    found = _search(pages, limit, Connection(api_key, base_url, customer))
    _print(found, PERSON_COLUMNS, _person_row, output)


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
    location: LocationOption = None,
    keyword: KeywordOption = None,
    limit: LimitOption = 25,
    output: FormatOption = Format.table,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
) -> None:
    """Find companies by name, industry, location."""
    filters: CompanyFilters = {}
    if name:
        filters["names"] = name
    if industry:
        filters["industries"] = industry
    if location:
        filters["locations"] = [_location(value) for value in location]
    if keyword:
        filters["keywords"] = keyword

    def pages(client: Leadbase, size: int, cursor: str | None) -> Page[Any]:
        return client.search.companies(filters=filters, limit=size, cursor=cursor)

    found = _search(pages, limit, Connection(api_key, base_url, customer))
    _print(found, COMPANY_COLUMNS, _company_row, output)


def _location(value: str) -> LocationFilter:
    """ "US" -> "US"; "London, GB" -> city and country; "Austin, Texas, US" -> all three."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if len(parts) <= 1:
        return value.strip()
    location: LocationParts = {"city": parts[0], "country": parts[-1]}
    if len(parts) > 2:
        location["region"] = parts[1]
    return location


@dataclass(frozen=True, slots=True)
class Connection:
    api_key: str | None
    base_url: str | None
    customer: str | None


def _search(
    pages: Callable[[Leadbase, int, str | None], Page[Any]], limit: int, connection: Connection
) -> list[Any]:
    with (
        make_client(
            api_key=connection.api_key, base_url=connection.base_url, customer=connection.customer
        ) as client,
        api_errors(),
    ):
        return list(_collect(lambda size, cursor: pages(client, size, cursor), limit))


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


def _company_row(company: Company) -> list[str]:
    return [
        company.id,
        company.name,
        company.domain or "",
        company.industry or "",
        company.headcount_range or "",
        company.location.country or "",
        company.linkedin_url or "",
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
