"""The words of a query and the FTS5 and tsquery texts made from a Match."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql

from leadbase.server.search.fulltext import (
    AllOf,
    AnyOf,
    Facet,
    Layout,
    Match,
    Words,
    facet_lexeme,
    facet_token,
    fts5_query,
    tsquery,
    words,
)

LAYOUT = Layout(
    columns={"text": ("full_name", "title"), "title": ("title",)},
    facet_columns={"x": "facets", "c": "facets", "s": "facets", "i": "company_facets"},
    weights={"text": "", "title": "B"},
)


def test_words_are_runs_of_letters_and_digits_in_any_script() -> None:
    assert words("  VP, Sales & B2B (o'Neil) x_y 東京 Müller ") == (
        "VP",
        "Sales",
        "B2B",
        "o",
        "Neil",
        "x",
        "y",
        "東京",
        "Müller",
    )


def test_words_are_composed_so_a_decomposed_accent_stays_in_its_word() -> None:
    assert words("Mu\u0308ller") == ("Müller",)


def test_nothing_but_punctuation_has_no_words() -> None:
    assert words(" -- !! ") == ()


def test_a_facet_token_is_a_letter_and_the_hex_of_the_ascii_lower_cased_value() -> None:
    assert facet_token("c", "US") == "c7573"
    assert facet_token("c", "us") == facet_token("c", "US")
    # Only ASCII letters are folded, as SQLite's lower() does.
    assert facet_token("y", "MÜNCHEN") == "y" + "mÜnchen".encode().hex()
    assert facet_token("i", "Food & Beverages") == "i" + b"food & beverages".hex()


def test_fts5_text_ands_required_clauses_and_nots_exclusions() -> None:
    match = Match(
        required=(
            Words("text", ("r", "d"), typed=True),
            AnyOf((Facet("s", "vp"), AllOf((Facet("c", "US"), Facet("i", "IT"))))),
        ),
        excluded=(AnyOf((Words("title", ("intern",)),)),),
    )
    assert fts5_query(match, LAYOUT) == (
        # A one-letter word is a prefix only last in typed text (keywords half typed).
        '(({full_name title} : ("r" AND "d"*)) AND'
        ' (({facets} : "s7670") OR (({facets} : "c7573") AND ({company_facets} : "i6974"))))'
        ' NOT (({title} : ("intern"*)))'
    )


def test_fts5_text_of_exclusions_alone_starts_from_every_document() -> None:
    match = Match(required=(), excluded=(Facet("c", "US"), Facet("c", "DE")))
    assert fts5_query(match, LAYOUT) == (
        '((({facets} : "x")) NOT ({facets} : "c7573")) NOT ({facets} : "c6465")'
    )


def test_a_tsquery_parses_words_and_casts_facet_lexemes_as_they_are() -> None:
    match = Match(
        required=(
            Words("title", ("s", "vp")),
            AnyOf((Facet("c", "US"), AllOf((Facet("c", "DE"), Facet("i", "Bev's\\"))))),
            AnyOf((Words("text", ("a",)), Facet("s", "vp"))),
        ),
        excluded=(Words("text", ("intern",)),),
    )
    compiled = tsquery(match, LAYOUT).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    parsed = "to_tsquery('leadbase_search'::regconfig, {})".format
    # In the lexeme a quote is doubled and a backslash escaped; SQL doubles quotes again.
    facets = "(''c:us'' | (''c:de'' & ''i:bev''''s" + "\\\\" + "''))"
    assert str(compiled) == (
        "tsquery_and(tsquery_and(tsquery_and("
        + parsed("'(''s'':B & ''vp'':*B)'")
        + f", CAST('{facets}' AS TSQUERY)), tsquery_or("
        + parsed("'(''a'')'")
        + ", CAST('''s:vp''' AS TSQUERY))), tsquery_not("
        + parsed("'(''intern'':*)'")
        + "))"
    )


def test_a_facet_lexeme_is_a_letter_and_the_ascii_lower_cased_value() -> None:
    assert facet_lexeme("i", "Food & Beverages") == "i:food & beverages"
    assert facet_lexeme("y", "MÜNCHEN") == "y:mÜnchen"


def test_a_phrase_is_its_whole_words_in_order() -> None:
    match = Match(required=(Words("title", ("general", "manager"), phrase=True),))
    assert fts5_query(match, LAYOUT) == '({title} : ("general" + "manager"))'
    compiled = tsquery(match, LAYOUT).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    assert str(compiled) == (
        "to_tsquery('leadbase_search'::regconfig, '(''general'':B <-> ''manager'':B)')"
    )
