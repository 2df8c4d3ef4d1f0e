"""A title filter's words widened to their other spellings."""

from __future__ import annotations

from collections import Counter

from leadbase.server.search.fulltext import AllOf, AnyOf, Words
from leadbase.server.search.title_synonyms import GROUPS, title_clause

T = "title"


def test_words_without_another_spelling_stay_as_they_are() -> None:
    assert title_clause(T, ("Data", "Engineer")) == Words(T, ("Data", "Engineer"))


def test_an_abbreviation_matches_itself_as_a_prefix_and_its_long_forms_as_words() -> None:
    assert title_clause(T, ("CTO",)) == AnyOf(
        (
            Words(T, ("CTO",)),
            Words(T, ("chief", "technology", "officer"), exact=True),
            Words(T, ("chief", "technical", "officer"), exact=True),
        )
    )


def test_the_longest_phrase_with_other_spellings_wins_and_the_rest_stays() -> None:
    assert title_clause(T, ("Senior", "Vice", "President", "of", "Sales")) == AllOf(
        (
            AnyOf((Words(T, ("Senior", "Vice", "President")), Words(T, ("svp",), exact=True))),
            Words(T, ("of", "Sales")),
        )
    )
    assert title_clause(T, ("sr", "mgr")) == AllOf(
        (
            AnyOf(
                (
                    Words(T, ("sr",)),
                    Words(T, ("senior",), exact=True),
                    Words(T, ("snr",), exact=True),
                )
            ),
            AnyOf((Words(T, ("mgr",)), Words(T, ("manager",), exact=True))),
        )
    )


def test_no_spelling_belongs_to_two_groups() -> None:
    spellings = Counter(spelling for group in GROUPS for spelling in group)
    assert [spelling for spelling, times in spellings.items() if times > 1] == []
    assert all(spelling == spelling.lower().strip() for spelling in spellings)
