"""search: full-text and facet indexes for people, companies and openings

One index per table answers keywords, title/name matches and the common exact filters
together, so that a search with several filters and a keyword is one index lookup and a
count never reads the rows. Exact filter values (seniority, department, country, region,
city, the company's industry and headcount range) are indexed as facets, one token per
value, ASCII-lower-cased on both backends (SQLite's lower() folds nothing else).

SQLite: FTS5 external-content tables ``search_people``, ``search_companies``,
``search_openings`` whose content is a ``search_*_source`` view (the row, its company's
name, its facets as "<letter><hex of the value>" tokens in columns of their own).
Triggers keep them in sync: a 'delete' reads the view before the change, an insert after
it, so the view is the only definition of a document. A company rename, re-classification
or delete re-indexes its people and openings.

PostgreSQL: a ``search_document`` tsvector per table (generated on companies,
trigger-maintained on people and openings, which fold in their company) with GIN indexes,
and the ``leadbase_search`` configuration (simple + unaccent). Weights tell the text
fields apart (A name / opening title, B title / description / opening's company, C the
person's company); facets are "<letter>:<value>" lexemes no parsed word can match.

Every object is named ``search_*`` or ``ix_search_*`` so that autogenerate ignores it
(migrations/env.py). A later migration that recreates people, companies or openings on
SQLite (batch mode) must recreate these objects and rebuild the indexes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:10:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    statements = _POSTGRESQL_UP if _is_postgresql() else _SQLITE_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _POSTGRESQL_DOWN if _is_postgresql() else _SQLITE_DOWN
    for statement in statements:
        op.execute(statement)


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# SQLite ---------------------------------------------------------------------------------

# Accents folded ("Müller" ~ "muller"). No prefix indexes: they double the write cost and
# a prefix query of three letters or more merges few terms anyway.
_FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2'"


def _sqlite_facet(letter: str, column: str) -> str:
    return f"CASE WHEN {column} <> '' THEN ' {letter}' || hex(lower({column})) ELSE '' END"


def _sqlite_facets(alias: str, facets: dict[str, str], *, universal: bool) -> str:
    """The facet tokens of a row; "x", in every document, lets a query be pure negation."""
    parts = [_sqlite_facet(letter, f"{alias}.{column}") for letter, column in facets.items()]
    return " || ".join(["'x'" if universal else "''", *parts])


_ROW_FACETS = {"s": "seniority", "d": "department", "c": "country", "r": "region", "y": "city"}
_COMPANY_FACETS = {"i": "industry", "h": "headcount_range"}
_COMPANY_OWN_FACETS = {**_COMPANY_FACETS, "c": "country", "r": "region", "y": "city"}


def _sqlite_index(
    *,
    table: str,
    view_select: str,
    columns: tuple[str, ...],
    watched: tuple[str, ...],
) -> list[str]:
    """An FTS5 table over the ``search_<table>_source`` view, and the row triggers."""
    index, source = f"search_{table}", f"search_{table}_source"
    rowid = f"{table}_rowid"
    fields = ", ".join(columns)
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in watched)

    def write(delete: bool, record: str) -> str:
        command, marker = (f"{index}, ", "'delete', ") if delete else ("", "")
        return (
            f"INSERT INTO {index}({command}rowid, {fields})"
            f" SELECT {marker}{rowid}, {fields} FROM {source} WHERE {rowid} = {record}.rowid;"
        )

    return [
        f"CREATE VIEW {source} AS {view_select}",
        f"CREATE VIRTUAL TABLE {index} USING fts5({fields},"
        f" content = '{source}', content_rowid = '{rowid}', {_FTS_OPTIONS})",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {write(False, 'new')} END",
        f"CREATE TRIGGER {index}_delete BEFORE DELETE ON {table} BEGIN {write(True, 'old')} END",
        f"CREATE TRIGGER {index}_before_update BEFORE UPDATE OF {', '.join(watched)}"
        f" ON {table} WHEN {changed} BEGIN {write(True, 'old')} END",
        f"CREATE TRIGGER {index}_after_update AFTER UPDATE OF {', '.join(watched)}"
        f" ON {table} WHEN {changed} BEGIN {write(False, 'new')} END",
    ]


def _sqlite_company_fed(
    *,
    table: str,
    columns: tuple[str, ...],
    company_columns: tuple[str, ...],
    watched: tuple[str, ...],
) -> list[str]:
    """Triggers on companies that re-index the rows of ``table`` belonging to a company."""
    index, source = f"search_{table}", f"search_{table}_source"
    rowid = f"{table}_rowid"
    fields = ", ".join(columns)
    members = f"{rowid} IN (SELECT rowid FROM {table} WHERE company_id = old.id)"
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in watched)
    without_company = ", ".join(
        "NULL" if column in company_columns else column for column in columns
    )
    delete = (
        f"INSERT INTO {index}({index}, rowid, {fields})"
        f" SELECT 'delete', {rowid}, {fields} FROM {source} WHERE {members};"
    )
    insert = f"INSERT INTO {index}(rowid, {fields}) SELECT {rowid}, {fields} FROM {source}"
    return [
        f"CREATE TRIGGER {index}_company_before_update BEFORE UPDATE OF {', '.join(watched)}"
        f" ON companies WHEN {changed} BEGIN {delete} END",
        f"CREATE TRIGGER {index}_company_after_update AFTER UPDATE OF {', '.join(watched)}"
        f" ON companies WHEN {changed} BEGIN {insert} WHERE {members}; END",
        # Indexed without the company before the foreign key detaches (people) or deletes
        # (openings) the rows, whose own triggers then find no company, as now indexed.
        f"CREATE TRIGGER {index}_company_delete BEFORE DELETE ON companies BEGIN {delete}"
        f" INSERT INTO {index}(rowid, {fields}) SELECT {rowid}, {without_company}"
        f" FROM {source} WHERE {members}; END",
    ]


_PEOPLE_COLUMNS = ("full_name", "title", "company_name", "facets", "company_facets")
_COMPANY_COLUMNS = ("name", "description", "facets")
_OPENING_COLUMNS = ("title", "company_name", "facets")
_ROW_WATCHED = ("company_id", "seniority", "department", "country", "region", "city")

_SQLITE_UP = [
    *_sqlite_index(
        table="people",
        view_select=(
            "SELECT p.rowid AS people_rowid, p.full_name AS full_name, p.title AS title,"
            " c.name AS company_name,"
            f" {_sqlite_facets('p', _ROW_FACETS, universal=True)} AS facets,"
            f" {_sqlite_facets('c', _COMPANY_FACETS, universal=False)} AS company_facets"
            " FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id"
        ),
        columns=_PEOPLE_COLUMNS,
        watched=("full_name", "title", *_ROW_WATCHED),
    ),
    *_sqlite_company_fed(
        table="people",
        columns=_PEOPLE_COLUMNS,
        company_columns=("company_name", "company_facets"),
        watched=("name", "industry", "headcount_range"),
    ),
    *_sqlite_index(
        table="companies",
        view_select=(
            "SELECT c.rowid AS companies_rowid, c.name AS name, c.description AS description,"
            f" {_sqlite_facets('c', _COMPANY_OWN_FACETS, universal=True)} AS facets"
            " FROM companies AS c"
        ),
        columns=_COMPANY_COLUMNS,
        watched=("name", "description", *_COMPANY_OWN_FACETS.values()),
    ),
    *_sqlite_index(
        table="openings",
        view_select=(
            "SELECT o.rowid AS openings_rowid, o.title AS title, c.name AS company_name,"
            f" {_sqlite_facets('o', _ROW_FACETS, universal=True)} AS facets"
            " FROM openings AS o LEFT JOIN companies AS c ON c.id = o.company_id"
        ),
        columns=_OPENING_COLUMNS,
        watched=("title", *_ROW_WATCHED),
    ),
    *_sqlite_company_fed(
        table="openings",
        columns=_OPENING_COLUMNS,
        company_columns=("company_name",),
        watched=("name",),
    ),
    "INSERT INTO search_people(search_people) VALUES ('rebuild')",
    "INSERT INTO search_companies(search_companies) VALUES ('rebuild')",
    "INSERT INTO search_openings(search_openings) VALUES ('rebuild')",
    "CREATE INDEX ix_search_openings_posted_at ON openings (posted_at)",
]

_SQLITE_DOWN = [
    "DROP INDEX ix_search_openings_posted_at",
    *(
        f"DROP TRIGGER search_{table}_{event}"
        for table in ("people", "companies", "openings")
        for event in ("insert", "delete", "before_update", "after_update")
    ),
    *(
        f"DROP TRIGGER search_{table}_company_{event}"
        for table in ("people", "openings")
        for event in ("before_update", "after_update", "delete")
    ),
    *(f"DROP TABLE search_{table}" for table in ("people", "companies", "openings")),
    *(f"DROP VIEW search_{table}_source" for table in ("people", "companies", "openings")),
]


# PostgreSQL -----------------------------------------------------------------------------

_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
_PEOPLE_ARGUMENTS = (
    "full_name",
    "title",
    "seniority",
    "department",
    "country",
    "region",
    "city",
    "company_name",
    "industry",
    "headcount_range",
)
_OPENING_ARGUMENTS = (
    "title",
    "company_name",
    "seniority",
    "department",
    "country",
    "region",
    "city",
)
_COMPANY_ARGUMENTS = ("name", "description", *_COMPANY_OWN_FACETS.values())


def _pg_facets(facets: dict[str, str]) -> str:
    """Facet lexemes, taken as they are (no parser): "c:us", "i:food & beverages".

    Only ASCII letters are lower-cased, as SQLite's lower() does. A keyword or title word
    (letters and digits) can never match one, so word queries need no weight filter.
    """
    parts = ", ".join(
        f"CASE WHEN {column} <> '' THEN '{letter}:' || translate({column}, '{_UPPER}', '{_LOWER}') END"
        for letter, column in facets.items()
    )
    return f"array_to_tsvector(array_remove(ARRAY[{parts}], NULL))"


def _pg_function(name: str, arguments: tuple[str, ...], body: str) -> str:
    signature = ", ".join(f"{argument} text" for argument in arguments)
    return (
        f"CREATE FUNCTION {name}({signature}) RETURNS tsvector"
        f" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {body} $$"
    )


_POSTGRESQL_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION leadbase_search (COPY = pg_catalog.simple)",
    "ALTER TEXT SEARCH CONFIGURATION leadbase_search ALTER MAPPING FOR"
    " word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple",
    # Words are runs of letters and digits, as FTS5's unicode61 tokenizer cuts them, so
    # both backends agree on what "o'neil" or "acme.com" holds.
    """
    CREATE FUNCTION search_vector(value text, weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(
            to_tsvector(
                'leadbase_search'::regconfig,
                regexp_replace(coalesce(value, ''), '[^[:alnum:]]+', ' ', 'g')
            ),
            weight
        )
    $$
    """,
    _pg_function(
        "search_people_vector",
        _PEOPLE_ARGUMENTS,
        "search_vector(full_name, 'A') || search_vector(title, 'B')"
        " || search_vector(company_name, 'C')"
        f" || {_pg_facets({**_ROW_FACETS, **_COMPANY_FACETS})}",
    ),
    _pg_function(
        "search_openings_vector",
        _OPENING_ARGUMENTS,
        "search_vector(title, 'A') || search_vector(company_name, 'B')"
        f" || {_pg_facets(_ROW_FACETS)}",
    ),
    _pg_function(
        "search_companies_vector",
        _COMPANY_ARGUMENTS,
        "search_vector(name, 'A') || search_vector(description, 'B')"
        f" || {_pg_facets(_COMPANY_OWN_FACETS)}",
    ),
    "ALTER TABLE companies ADD COLUMN search_document tsvector GENERATED ALWAYS AS"
    f" (search_companies_vector({', '.join(_COMPANY_ARGUMENTS)})) STORED",
    "ALTER TABLE people ADD COLUMN search_document tsvector",
    "ALTER TABLE openings ADD COLUMN search_document tsvector",
    f"""
    CREATE FUNCTION search_people_document() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        company_name text;
        industry text;
        headcount_range text;
    BEGIN
        SELECT c.name, c.industry, c.headcount_range
        INTO company_name, industry, headcount_range
        FROM companies AS c WHERE c.id = NEW.company_id;
        NEW.search_document := search_people_vector(
            {", ".join(f"NEW.{a}" for a in _PEOPLE_ARGUMENTS[:7])},
            company_name, industry, headcount_range);
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE FUNCTION search_openings_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := search_openings_vector(
            NEW.title, (SELECT name FROM companies WHERE id = NEW.company_id),
            {", ".join(f"NEW.{a}" for a in _OPENING_ARGUMENTS[2:])});
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE FUNCTION search_company_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE people AS p SET search_document = search_people_vector(
            {", ".join(f"p.{a}" for a in _PEOPLE_ARGUMENTS[:7])},
            NEW.name, NEW.industry, NEW.headcount_range)
        WHERE p.company_id = NEW.id;
        IF OLD.name IS DISTINCT FROM NEW.name THEN
            UPDATE openings AS o SET search_document = search_openings_vector(
                o.title, NEW.name, {", ".join(f"o.{a}" for a in _OPENING_ARGUMENTS[2:])})
            WHERE o.company_id = NEW.id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER search_people_insert BEFORE INSERT ON people"
    " FOR EACH ROW EXECUTE FUNCTION search_people_document()",
    f"CREATE TRIGGER search_people_update BEFORE UPDATE OF {', '.join(_PEOPLE_ARGUMENTS[:7])},"
    " company_id ON people FOR EACH ROW EXECUTE FUNCTION search_people_document()",
    "CREATE TRIGGER search_openings_insert BEFORE INSERT ON openings"
    " FOR EACH ROW EXECUTE FUNCTION search_openings_document()",
    f"CREATE TRIGGER search_openings_update BEFORE UPDATE OF title, company_id,"
    f" {', '.join(_OPENING_ARGUMENTS[2:])} ON openings FOR EACH ROW EXECUTE FUNCTION"
    " search_openings_document()",
    "CREATE TRIGGER search_company_changed AFTER UPDATE OF name, industry, headcount_range"
    " ON companies FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name"
    " OR OLD.industry IS DISTINCT FROM NEW.industry"
    " OR OLD.headcount_range IS DISTINCT FROM NEW.headcount_range)"
    " EXECUTE FUNCTION search_company_changed()",
    # Rows already there: an update of a watched column computes their documents.
    "UPDATE people SET full_name = full_name",
    "UPDATE openings SET title = title",
    "CREATE INDEX ix_search_people_document ON people USING gin (search_document)",
    "CREATE INDEX ix_search_companies_document ON companies USING gin (search_document)",
    "CREATE INDEX ix_search_openings_document ON openings USING gin (search_document)",
    "CREATE INDEX ix_search_openings_posted_at ON openings (posted_at)",
]

_POSTGRESQL_DOWN = [
    "DROP INDEX ix_search_openings_posted_at",
    "DROP TRIGGER search_company_changed ON companies",
    "DROP TRIGGER search_openings_update ON openings",
    "DROP TRIGGER search_openings_insert ON openings",
    "DROP TRIGGER search_people_update ON people",
    "DROP TRIGGER search_people_insert ON people",
    "DROP FUNCTION search_company_changed()",
    "DROP FUNCTION search_openings_document()",
    "DROP FUNCTION search_people_document()",
    # Dropping a column drops its GIN index.
    "ALTER TABLE openings DROP COLUMN search_document",
    "ALTER TABLE people DROP COLUMN search_document",
    "ALTER TABLE companies DROP COLUMN search_document",
    *(
        f"DROP FUNCTION {name}({', '.join(['text'] * len(arguments))})"
        for name, arguments in (
            ("search_companies_vector", _COMPANY_ARGUMENTS),
            ("search_openings_vector", _OPENING_ARGUMENTS),
            ("search_people_vector", _PEOPLE_ARGUMENTS),
        )
    ),
    'DROP FUNCTION search_vector(text, "char")',
    "DROP TEXT SEARCH CONFIGURATION leadbase_search",
]
