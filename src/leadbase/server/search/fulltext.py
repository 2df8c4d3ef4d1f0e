"""What a search asks of the full-text index, as FTS5 text and as a tsquery.

A :class:`Match` is a tree of word matches (every word of a phrase, as a word prefix, in
some fields) and facet matches (an exact filter value, indexed as one token), some
required, some excluded. Migration 0004 builds the documents these run against: on
SQLite a facet is a letter and the hex of the ASCII-lower-cased value ("c7573" for
country US), in a column of its own; on PostgreSQL a lexeme "c:us" no parsed word can be.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY

# As FTS5's unicode61 tokenizer and the PostgreSQL side of migration 0004 cut words.
_WORD = re.compile(r"[^\W_]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# In every SQLite document, so that a query made only of exclusions has something to
# exclude from (FTS5's NOT needs a left side).
UNIVERSAL_TOKEN = "x"
_CONFIGURATION: sa.ColumnElement[Any] = sa.literal_column("'leadbase_search'::regconfig")


def words(text: str) -> tuple[str, ...]:
    """The words of ``text``: runs of letters and digits, in any script."""
    return tuple(_WORD.findall(unicodedata.normalize("NFC", text)))


def facet_token(letter: str, value: str) -> str:
    """The index token of an exact value: "c7573" for country "US"."""
    return letter + value.translate(_ASCII_LOWER).encode().hex()


@dataclass(frozen=True, slots=True)
class Words:
    """Every word in ``field``, each as a word prefix (see :func:`as_prefix`); ``typed``
    for free text whose last word may be half typed (keywords), not for a value such as
    a job title; ``phrase`` for whole words that must follow each other in this order
    (another spelling of a title's words: ``title_synonyms``)."""

    field: str
    words: tuple[str, ...]
    typed: bool = False
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Facet:
    letter: str
    value: str


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Clause, ...]


Clause = Words | Facet | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class Match:
    required: tuple[Clause, ...]
    excluded: tuple[Clause, ...] = ()


@dataclass(frozen=True, slots=True)
class Layout:
    """Where one kind's fields live in its index."""

    # FTS5: field -> the columns it covers; facet letter -> its column.
    columns: Mapping[str, tuple[str, ...]]
    facet_columns: Mapping[str, str]
    # PostgreSQL: field -> the weights it was indexed with ("" for any: the whole text).
    weights: Mapping[str, str]


# FTS5 -----------------------------------------------------------------------------------


def fts5_query(match: Match, layout: Layout) -> str:
    """The MATCH expression: ``(required) NOT (excluded) NOT ...``."""
    required = [_fts5(clause, layout) for clause in match.required]
    if not required:
        required = [_fts5(Facet(UNIVERSAL_TOKEN, ""), layout)]
    query = " AND ".join(required)
    for clause in match.excluded:
        query = f"({query}) NOT {_fts5(clause, layout)}"
    return query


def _fts5(clause: Clause, layout: Layout) -> str:
    if isinstance(clause, Words):
        columns = " ".join(layout.columns[clause.field])
        joined = " + " if clause.phrase else " AND "  # FTS5's "+" makes one phrase
        terms = joined.join(_fts5_word(word, prefix) for word, prefix in _terms(clause))
        return f"({{{columns}}} : ({terms}))"
    if isinstance(clause, Facet):
        token = (
            UNIVERSAL_TOKEN
            if clause.letter == UNIVERSAL_TOKEN
            else facet_token(clause.letter, clause.value)
        )
        return f'({{{layout.facet_columns[clause.letter]}}} : "{token}")'
    operator = " AND " if isinstance(clause, AllOf) else " OR "
    return "(" + operator.join(_fts5(item, layout) for item in clause.items) + ")"


def as_prefix(words: tuple[str, ...], *, typed: bool = False) -> list[tuple[str, bool]]:
    """Each word, and whether it matches as a prefix: words of two characters or more.

    A one-letter word is a word of its own ("r&d", "Engineer I": as a prefix it would
    match "regional director", "Engineer II"), except, in ``typed`` text, a last letter:
    keywords "peter w" want a word starting with w, the one being typed.
    """
    last = len(words) - 1
    return [
        (word, len(word) > 1 or (typed and index == last and word.isalpha()))
        for index, word in enumerate(words)
    ]


def _terms(words: Words) -> list[tuple[str, bool]]:
    if words.phrase:
        return [(word, False) for word in words.words]
    return as_prefix(words.words, typed=words.typed)


def _fts5_word(word: str, prefix: bool) -> str:
    # Words hold letters and digits only, so they need no escaping inside the quotes.
    return f'"{word}"*' if prefix else f'"{word}"'


# tsquery --------------------------------------------------------------------------------


def facet_lexeme(letter: str, value: str) -> str:
    """The tsvector lexeme of an exact value: "c:us" for country "US" (no parser runs on
    it, so no query word, made of letters and digits only, can ever match one)."""
    return f"{letter}:{value.translate(_ASCII_LOWER)}"


def tsquery(match: Match, layout: Layout) -> sa.ColumnElement[Any]:
    """The tsquery: ``required && !!excluded``, each clause one tsquery value.

    Words go through ``to_tsquery('leadbase_search', ...)`` (accents, case); facet
    lexemes are cast as they are. A clause mixing both combines its parts in SQL.
    """
    parts = [_tsquery(clause, layout) for clause in match.required]
    parts += [sa.func.tsquery_not(_tsquery(clause, layout)) for clause in match.excluded]
    return functools.reduce(sa.func.tsquery_and, parts)


def _tsquery(clause: Clause, layout: Layout) -> sa.ColumnElement[Any]:
    if _made_of(clause, Words):
        text = sa.bindparam(None, _words_text(clause, layout), type_=sa.String())
        return sa.func.to_tsquery(_CONFIGURATION, text)
    if _made_of(clause, Facet):
        return sa.cast(sa.bindparam(None, _facets_text(clause), type_=sa.String()), TSQUERY)
    assert isinstance(clause, AllOf | AnyOf)
    combine = sa.func.tsquery_and if isinstance(clause, AllOf) else sa.func.tsquery_or
    return functools.reduce(combine, (_tsquery(item, layout) for item in clause.items))


def _made_of(clause: Clause, leaf: type[Words | Facet]) -> bool:
    if isinstance(clause, AllOf | AnyOf):
        return all(_made_of(item, leaf) for item in clause.items)
    return isinstance(clause, leaf)


def _words_text(clause: Clause, layout: Layout) -> str:
    if isinstance(clause, Words):
        weights = layout.weights[clause.field]
        terms = (_tsquery_word(word, prefix, weights) for word, prefix in _terms(clause))
        return "(" + (" <-> " if clause.phrase else " & ").join(terms) + ")"
    assert isinstance(clause, AllOf | AnyOf)
    operator = " & " if isinstance(clause, AllOf) else " | "
    return "(" + operator.join(_words_text(item, layout) for item in clause.items) + ")"


def _tsquery_word(word: str, prefix: bool, weights: str) -> str:
    # Words hold letters and digits only, so they need no escaping inside the quotes.
    if prefix:
        return f"'{word}':*{weights}"
    return f"'{word}'" + (f":{weights}" if weights else "")


def _facets_text(clause: Clause) -> str:
    if isinstance(clause, Facet):
        lexeme = facet_lexeme(clause.letter, clause.value)
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    assert isinstance(clause, AllOf | AnyOf)
    operator = " & " if isinstance(clause, AllOf) else " | "
    return "(" + operator.join(_facets_text(item) for item in clause.items) + ")"
