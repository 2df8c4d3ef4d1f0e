from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
import pytest
from anyascii import anyascii
from rapidfuzz.distance import OSA, JaroWinkler

from leadbase.server.catalog import columns, normalize, records
from leadbase.server.catalog.generate import (
    COMPANY_COLUMNS,
    OPENING_COLUMNS,
    PEOPLE_COLUMNS,
    QUERY_COLUMNS,
    SOURCE,
    TRUTH_COLUMNS,
    GenerationSummary,
    generate,
    labelled_queries,
    read_truth,
)
from leadbase.server.catalog.synthetic.data import COUNTRIES
from leadbase.server.errors import InvalidParameter

AS_OF = dt.date(2025, 1, 15)
PEOPLE = 6000
CATALOG_FILES = ("companies.csv", "people.csv", "openings.csv", "truth.csv")
COUNTRY_CODES = {country.name: country.code for country in COUNTRIES}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    out = tmp_path_factory.mktemp("catalog")
    return generate(out, people=PEOPLE, queries=800, seed=7, as_of=AS_OF)


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _header(out: Path, name: str) -> tuple[str, ...]:
    with (out / name).open(newline="", encoding="utf-8") as file:
        return tuple(next(csv.reader(file)))


def _by_record(catalog: GenerationSummary) -> dict[str, dict[str, str]]:
    return {row["Record ID"]: row for row in _rows(catalog.out_dir, "truth.csv")}


def _files(out: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in names}


# Determinism ---------------------------------------------------------------------------


def test_same_seed_and_date_write_byte_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", people=1500, queries=100, seed=3, as_of=AS_OF)
    second = generate(tmp_path / "b", people=1500, queries=100, seed=3, as_of=AS_OF)

    names = (*CATALOG_FILES, "queries.csv", "manifest.json")
    assert _files(first.out_dir, names) == _files(second.out_dir, names)


def test_another_seed_writes_other_data(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", people=500, seed=1, as_of=AS_OF)
    second = generate(tmp_path / "b", people=500, seed=2, as_of=AS_OF)

    for name in ("companies.csv", "people.csv", "openings.csv"):
        assert (first.out_dir / name).read_bytes() != (second.out_dir / name).read_bytes()


def test_asking_for_queries_leaves_the_catalog_files_unchanged(tmp_path: Path) -> None:
    without = generate(tmp_path / "a", people=1500, queries=0, seed=5, as_of=AS_OF)
    with_queries = generate(tmp_path / "b", people=1500, queries=200, seed=5, as_of=AS_OF)

    assert _files(without.out_dir, CATALOG_FILES) == _files(with_queries.out_dir, CATALOG_FILES)
    assert len(labelled_queries(without.out_dir)) == 0
    assert len(labelled_queries(with_queries.out_dir)) == 200


# Shape ---------------------------------------------------------------------------------


def test_files_have_crm_export_headers(catalog: GenerationSummary) -> None:
    out = catalog.out_dir
    assert _header(out, "people.csv") == (
        "Record ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Title",
        "Company",
        "Company Domain",
        "LinkedIn URL",
        "City",
        "State",
        "Country",
    )
    assert _header(out, "companies.csv") == (
        "Record ID",
        "Company Name",
        "Website",
        "LinkedIn URL",
        "Industry",
        "Employees",
        "City",
        "State",
        "Country",
        "Founded",
        "Description",
    )
    assert _header(out, "openings.csv") == (
        "Record ID",
        "Company Domain",
        "Job Title",
        "Location",
        "Posted At",
        "Job URL",
    )
    assert _header(out, "people.csv") == PEOPLE_COLUMNS
    assert _header(out, "companies.csv") == COMPANY_COLUMNS
    assert _header(out, "openings.csv") == OPENING_COLUMNS
    assert (
        _header(out, "truth.csv")
        == TRUTH_COLUMNS
        == ("Record ID", "Entity ID", "Duplicate", "Noise")
    )
    assert _header(out, "queries.csv") == QUERY_COLUMNS


def test_row_counts_follow_the_requested_sizes(catalog: GenerationSummary) -> None:
    out = catalog.out_dir
    assert (catalog.people, catalog.companies, catalog.openings) == (6000, 1200, 600)
    assert (catalog.entities, catalog.duplicates) == (5400, 600)
    assert len(_rows(out, "people.csv")) == 6000
    assert len(_rows(out, "truth.csv")) == 6000
    assert len(_rows(out, "companies.csv")) == 1200
    assert len(_rows(out, "openings.csv")) == 600
    assert len(_rows(out, "queries.csv")) == catalog.queries == 800


def test_explicit_sizes_and_duplicate_rate_are_honoured(tmp_path: Path) -> None:
    summary = generate(
        tmp_path, people=1000, companies=37, openings=11, duplicate_rate=0.25, as_of=AS_OF
    )

    assert (summary.companies, summary.openings) == (37, 11)
    assert (summary.entities, summary.duplicates) == (750, 250)
    truth = _rows(tmp_path, "truth.csv")
    assert Counter(row["Duplicate"] for row in truth) == {"0": 750, "1": 250}
    people_domains = {
        normalize.domain(row["Company Domain"]) for row in _rows(tmp_path, "people.csv")
    }
    companies = {normalize.domain(row["Website"]) for row in _rows(tmp_path, "companies.csv")}
    assert people_domains - {None} <= companies


def test_manifest_labels_the_data_synthetic(catalog: GenerationSummary) -> None:
    manifest = json.loads((catalog.out_dir / "manifest.json").read_text())

    assert manifest == {
        "seed": 7,
        "as_of": "2025-01-15",
        "duplicate_rate": 0.1,
        "companies": 1200,
        "people": 6000,
        "entities": 5400,
        "duplicates": 600,
        "openings": 600,
        "queries": 800,
        "source": SOURCE,
        "rows": 7800,
        "synthetic": True,
        "files": ["companies.csv", "people.csv", "openings.csv", "truth.csv", "queries.csv"],
    }
    assert SOURCE == "synthetic"


def test_record_ids_are_stable_and_unique(catalog: GenerationSummary) -> None:
    for name, prefix in (
        ("people.csv", "syn-p-"),
        ("companies.csv", "syn-c-"),
        ("openings.csv", "syn-o-"),
    ):
        ids = [row["Record ID"] for row in _rows(catalog.out_dir, name)]
        assert ids == [f"{prefix}{number:07d}" for number in range(1, len(ids) + 1)]


def test_every_row_is_accepted_by_the_importers_column_map_and_parsers(
    catalog: GenerationSummary,
) -> None:
    parsers = {
        "people.csv": ("people", records.parse_person),
        "companies.csv": ("companies", records.parse_company),
        "openings.csv": ("openings", records.parse_opening),
    }
    for name, (kind, parse) in parsers.items():
        with (catalog.out_dir / name).open(newline="", encoding="utf-8") as file:
            reader = csv.reader(file)
            mapping = columns.map_columns(next(reader))
            assert (mapping.kind, mapping.ignored) == (kind, ())
            rejected = [row for row in reader if isinstance(parse(mapping.values(row)), dict)]
        assert rejected == [], name


# Duplicates and noise --------------------------------------------------------------------


def test_duplicates_are_labelled_with_their_person_and_noise(catalog: GenerationSummary) -> None:
    truth = _rows(catalog.out_dir, "truth.csv")
    people_ids = [row["Record ID"] for row in _rows(catalog.out_dir, "people.csv")]

    assert [row["Record ID"] for row in truth] == people_ids
    assert read_truth(catalog.out_dir) == {row["Record ID"]: row["Entity ID"] for row in truth}
    base_rows = Counter(row["Entity ID"] for row in truth if row["Duplicate"] == "0")
    # One clean row per person, and every duplicate repeats someone who has one.
    assert len(base_rows) == 5400
    assert set(base_rows.values()) == {1}
    repeated = [row for row in truth if row["Duplicate"] == "1"]
    assert len(repeated) == 600
    assert {row["Entity ID"] for row in repeated} <= set(base_rows)
    assert all(row["Noise"] == "" for row in truth if row["Duplicate"] == "0")
    assert sum(1 for row in repeated if row["Noise"]) > 590


def test_duplicates_carry_every_kind_of_noise(catalog: GenerationSummary) -> None:
    kinds = Counter(
        kind
        for row in _rows(catalog.out_dir, "truth.csv")
        for kind in row["Noise"].split(";")
        if kind
    )

    assert set(kinds) == {
        "name_typo",
        "nickname",
        "name_case",
        "name_ascii",
        "company_suffix",
        "company_case",
        "company_domain_missing",
        "company_domain_url",
        "email_case",
        "email_personal",
        "email_missing",
        "phone_format",
        "phone_missing",
        "linkedin_variant",
        "linkedin_missing",
        "title_variant",
        "location_missing",
    }


def test_noise_keeps_what_identifies_the_person(catalog: GenerationSummary) -> None:
    """Each duplicate normalizes to its person's keys, except a typo's one edit."""
    truth = _by_record(catalog)
    base: dict[str, dict[str, str]] = {}
    repeats: list[dict[str, str]] = []
    for row in _rows(catalog.out_dir, "people.csv"):
        label = truth[row["Record ID"]]
        if label["Duplicate"] == "0":
            base[label["Entity ID"]] = row
        else:
            repeats.append(row)

    for row in repeats:
        noise = truth[row["Record ID"]]["Noise"].split(";")
        clean = base[truth[row["Record ID"]]["Entity ID"]]
        name = normalize.name_key(row["First Name"], row["Last Name"])
        clean_name = normalize.name_key(clean["First Name"], clean["Last Name"])
        if "name_typo" in noise:
            # Before nicknames resolve: "Setven" is one slip from "Steven", not "Stephen".
            typed = anyascii(f"{row['First Name']} {row['Last Name']}").lower()
            meant = anyascii(f"{clean['First Name']} {clean['Last Name']}").lower()
            assert OSA.distance(typed, meant) == 1, (row, clean)
        else:
            assert name == clean_name, (row, clean)
        assert normalize.company_name_key(row["Company"]) == normalize.company_name_key(
            clean["Company"]
        )
        if row["Company Domain"]:
            assert normalize.domain(row["Company Domain"]) == clean["Company Domain"]
        if row["LinkedIn URL"]:
            slug = normalize.linkedin(row["LinkedIn URL"], expect="person").slug
            assert slug == normalize.linkedin(clean["LinkedIn URL"]).slug
        if row["Phone"]:
            region = COUNTRY_CODES[row["Country"]]
            assert normalize.phone(row["Phone"], default_region=region) == normalize.phone(
                clean["Phone"], default_region=region
            )
        if "email_case" in noise:
            assert row["Email"] != clean["Email"]
            assert row["Email"].lower() == clean["Email"]


def test_nicknames_resolve_to_the_name_they_replace(catalog: GenerationSummary) -> None:
    truth = _by_record(catalog)
    first_names = {
        truth[row["Record ID"]]["Entity ID"]: row["First Name"]
        for row in _rows(catalog.out_dir, "people.csv")
        if truth[row["Record ID"]]["Duplicate"] == "0"
    }
    nicknamed = [
        (row["First Name"], first_names[truth[row["Record ID"]]["Entity ID"]])
        for row in _rows(catalog.out_dir, "people.csv")
        if "nickname" in truth[row["Record ID"]]["Noise"].split(";")
    ]

    assert nicknamed
    for nickname, formal in nicknamed:
        assert nickname != formal
        assert normalize.name_key(nickname, "x") == normalize.name_key(formal, "x")


# Validity ------------------------------------------------------------------------------


def test_phones_are_valid_numbers_of_the_persons_country(catalog: GenerationSummary) -> None:
    phones = [
        (row["Phone"], COUNTRY_CODES[row["Country"]])
        for row in _rows(catalog.out_dir, "people.csv")
        if row["Phone"]
    ]
    valid = [
        phone
        for phone, region in phones
        if phonenumbers.is_valid_number(phonenumbers.parse(phone, region))
    ]

    assert len(phones) > PEOPLE * 0.6
    assert len(valid) / len(phones) >= 0.99


def test_emails_are_valid_and_work_emails_use_the_company_domain(
    catalog: GenerationSummary,
) -> None:
    truth = _by_record(catalog)
    people = _rows(catalog.out_dir, "people.csv")
    emails = [row["Email"] for row in people if row["Email"]]

    assert len(emails) > PEOPLE * 0.8
    assert all(normalize.email(email) is not None for email in emails)
    base = [row for row in people if truth[row["Record ID"]]["Duplicate"] == "0" and row["Email"]]
    assert all(row["Email"].endswith("@" + row["Company Domain"]) for row in base)


def test_exact_keys_never_belong_to_two_people(catalog: GenerationSummary) -> None:
    truth = read_truth(catalog.out_dir)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(catalog.out_dir, "people.csv"):
        entity = truth[row["Record ID"]]
        if row["Email"]:
            owners["email", row["Email"].lower()].add(entity)
        if row["LinkedIn URL"]:
            owners["linkedin", normalize.linkedin(row["LinkedIn URL"]).slug].add(entity)
        if row["Phone"]:
            region = COUNTRY_CODES[row["Country"]]
            owners["phone", str(normalize.phone(row["Phone"], default_region=region))].add(entity)

    assert {key: people for key, people in owners.items() if len(people) > 1} == {}


def test_companies_have_unique_domains_and_linkedin_pages(catalog: GenerationSummary) -> None:
    companies = _rows(catalog.out_dir, "companies.csv")
    domains = [normalize.domain(row["Website"]) for row in companies]
    pages = [
        normalize.linkedin(row["LinkedIn URL"]).slug for row in companies if row["LinkedIn URL"]
    ]

    assert None not in domains
    assert len(set(domains)) == len(domains) == 1200
    assert len(set(pages)) == len(pages) > 1000
    assert {row["Country"] for row in companies} <= set(COUNTRY_CODES)
    countries = Counter(row["Country"] for row in companies)
    assert countries.most_common(1)[0][0] == "United States"
    assert len(countries) >= 10


def test_openings_are_at_known_companies_and_posted_in_the_last_90_days(
    catalog: GenerationSummary,
) -> None:
    domains = {normalize.domain(row["Website"]) for row in _rows(catalog.out_dir, "companies.csv")}
    openings = _rows(catalog.out_dir, "openings.csv")
    end = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)

    assert {row["Company Domain"] for row in openings} <= domains
    posted = [dt.datetime.fromisoformat(row["Posted At"]) for row in openings]
    assert all(end - dt.timedelta(days=90) <= moment < end for moment in posted)
    assert len({row["Job URL"] for row in openings}) == len(openings)


# Labelled queries ------------------------------------------------------------------------


def test_queries_name_people_of_the_catalog_or_nobody(catalog: GenerationSummary) -> None:
    queries = labelled_queries(catalog.out_dir)
    entities = set(read_truth(catalog.out_dir).values())
    positives = [query for query in queries if query.expected_entity_id is not None]
    negatives = [query for query in queries if query.expected_entity_id is None]

    assert len(positives) == 600
    assert 180 <= len(negatives) <= 200
    assert {query.expected_entity_id for query in positives} <= entities
    assert [query.query_id for query in queries] == [
        f"syn-q-{number:07d}" for number in range(1, len(queries) + 1)
    ]
    absent = Counter(kind for query in negatives for kind in query.kinds)
    assert set(absent) == {
        "absent_other_company",
        "absent_colleague_surname",
        "absent_new_name",
        "email",
    }
    noisy = Counter(kind for query in positives for kind in query.kinds)
    assert {"name_typo", "nickname", "company_suffix", "company_domain", "email_only"} <= set(noisy)
    # Every positive can be found: by an exact key, or by a name and a company.
    for query in positives:
        named = query.last_name and (query.company or query.company_domain)
        assert named or query.email, query


def test_absent_people_have_no_close_namesake_at_their_company(
    catalog: GenerationSummary,
) -> None:
    staff: dict[str, list[tuple[str, str]]] = defaultdict(list)
    truth = _by_record(catalog)
    emails = set()
    for row in _rows(catalog.out_dir, "people.csv"):
        emails.add(row["Email"].lower())
        if truth[row["Record ID"]]["Duplicate"] == "0":
            first, _, last = normalize.name_key(row["First Name"], row["Last Name"]).partition(" ")
            staff[row["Company Domain"]].append((first, last))
    domains_by_name = {
        row["Company Name"]: normalize.domain(row["Website"])
        for row in _rows(catalog.out_dir, "companies.csv")
    }

    negatives = [q for q in labelled_queries(catalog.out_dir) if q.expected_entity_id is None]
    for query in negatives:
        domain = query.company_domain or domains_by_name[str(query.company)]
        first, _, last = normalize.name_key(query.first_name, query.last_name).partition(" ")
        for colleague_first, colleague_last in staff[str(domain)]:
            close = (
                JaroWinkler.normalized_similarity(first, colleague_first) >= 0.85
                and JaroWinkler.normalized_similarity(last, colleague_last) >= 0.85
            )
            assert not close, (query, colleague_first, colleague_last)
        if query.email:
            assert query.email.lower() not in emails


# Arguments -----------------------------------------------------------------------------


def test_bad_counts_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "never"
    with pytest.raises(InvalidParameter) as refused:
        generate(out, people=-1, companies=-2, openings=-3, duplicate_rate=1.0, queries=-4)

    assert refused.value.code == "invalid_parameter"
    assert refused.value.param == "people"
    assert refused.value.details == {
        "people": "must be 0 or more",
        "companies": "must be 0 or more",
        "openings": "must be 0 or more",
        "queries": "must be 0 or more",
        "duplicate_rate": "must be at least 0 and less than 1",
    }
    assert not out.exists()


def test_people_need_a_company(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter) as refused:
        generate(tmp_path, people=10, companies=0)

    assert refused.value.details == {"companies": "people and openings need at least one company"}


def test_an_empty_catalog_has_headers_only(tmp_path: Path) -> None:
    summary = generate(tmp_path, people=0, companies=0, openings=0, queries=10, as_of=AS_OF)

    assert (summary.people, summary.companies, summary.openings, summary.queries) == (0, 0, 0, 0)
    for name in (*CATALOG_FILES, "queries.csv"):
        assert len((tmp_path / name).read_text().splitlines()) == 1


def test_progress_is_reported_block_by_block(tmp_path: Path) -> None:
    reports: list[tuple[str, int, int]] = []
    generate(
        tmp_path,
        people=10_000,
        openings=5,
        as_of=AS_OF,
        on_progress=lambda stage, done, total: reports.append((stage, done, total)),
    )

    people = [done for stage, done, total in reports if stage == "people"]
    assert len(people) > 1
    assert people == sorted(people)
    assert people[-1] == 10_000
    assert ("companies", 2000, 2000) in reports
    assert reports[-1] == ("openings", 5, 5)
