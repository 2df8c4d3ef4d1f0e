"""A title filter's words widened to their other spellings."""

from __future__ import annotations

from collections import Counter

from leadbase.server.search.fulltext import AllOf, AnyOf, Words
from leadbase.server.search.title_synonyms import GROUPS, title_clause

T = "title"


def test_words_without_another_spelling_stay_as_they_are() -> None:
    assert title_clause(T, ("Data", "Scientist")) == Words(T, ("Data", "Scientist"))


def test_an_abbreviation_matches_itself_as_a_prefix_and_its_long_form_as_a_phrase() -> None:
    assert title_clause(T, ("CTO",)) == AnyOf(
        (Words(T, ("CTO",)), Words(T, ("chief", "technology", "officer"), phrase=True))
    )


def test_the_longest_phrase_with_other_spellings_wins_and_the_rest_stays() -> None:
    assert title_clause(T, ("Senior", "Vice", "President", "of", "Sales")) == AllOf(
        (
            AnyOf((Words(T, ("Senior", "Vice", "President")), Words(T, ("svp",), phrase=True))),
            Words(T, ("of", "Sales")),
        )
    )
    assert title_clause(T, ("sr", "mgr")) == AllOf(
        (
            AnyOf(
                (
                    Words(T, ("sr",)),
                    Words(T, ("snr",), phrase=True),
                    Words(T, ("sen",), phrase=True),
                    Words(T, ("senior",), phrase=True),
                )
            ),
            AnyOf(
                (
                    Words(T, ("mgr",)),
                    Words(T, ("mngr",), phrase=True),
                    Words(T, ("manager",), phrase=True),
                )
            ),
        )
    )


def test_no_spelling_belongs_to_two_groups() -> None:
    spellings = Counter(spelling for group in GROUPS for spelling in group)
    assert [spelling for spelling, times in spellings.items() if times > 1] == []
    assert all(spelling == spelling.lower().strip() for spelling in spellings)
