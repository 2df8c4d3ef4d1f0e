"""Job titles said two ways: "CTO" is a Chief Technology Officer, "Sr. Mgr" a Senior Manager.

A title filter finds the titles that hold its words (each a word prefix). Titles are stored
as written, so a filter for "cto" would miss every "Chief Technology Officer", and one for
"vice president sales" every "VP Sales". :func:`title_clause` widens each phrase of a
filter that has another spelling here to any of its spellings: the filter's own words keep
their prefix match, the other spellings match as phrases, whole words in order ("vp" must
not find "vpn engineer", nor "gm" "Manager, General Ledger").
"""

from __future__ import annotations

from collections.abc import Mapping

from leadbase.server.catalog import titles
from leadbase.server.search.fulltext import AllOf, AnyOf, Clause, Words


# Each group: spellings of one title word or phrase, in lower case, words separated by a
# space: the short forms titles are read with (``catalog.titles``), then the long form.
# An abbreviation with two common meanings (CSO, PM, MD) has none.
def _groups() -> tuple[tuple[str, ...], ...]:
    short_forms: dict[str, list[str]] = {}
    for short, long in (*titles.ABBREVIATIONS.items(), *titles.SPELLED_OUT.items()):
        short_forms.setdefault(long, []).append(short)
    return tuple((*shorts, long) for long, shorts in short_forms.items())


GROUPS = _groups()


def _spellings() -> Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each spelling (as words) -> every spelling of its group."""
    found: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in GROUPS:
        spellings = tuple(tuple(spelling.split()) for spelling in group)
        for spelling in spellings:
            found[spelling] = spellings
    return found


_SPELLINGS = _spellings()
_LONGEST = max(len(spelling) for spelling in _SPELLINGS)


def title_clause(field: str, title: tuple[str, ...]) -> Clause:
    """What a title filter's words match: ``Words`` as they are, or, when a phrase of them
    has other spellings, every other phrase as it is and that phrase as any of them."""
    parts: list[Clause] = []
    plain: list[str] = []
    start = 0
    while start < len(title):
        found = _phrase_at(title, start)
        if found is None:
            plain.append(title[start])
            start += 1
            continue
        if plain:
            parts.append(Words(field, tuple(plain)))
            plain = []
        phrase = title[start : start + len(found[0])]
        others = (Words(field, other, phrase=True) for other in found[1:])
        parts.append(AnyOf((Words(field, phrase), *others)))
        start += len(found[0])
    if not parts:
        return Words(field, title)
    if plain:
        parts.append(Words(field, tuple(plain)))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _phrase_at(title: tuple[str, ...], start: int) -> tuple[tuple[str, ...], ...] | None:
    """The group of the longest spelling that starts at ``start``, that spelling first."""
    for length in range(min(_LONGEST, len(title) - start), 0, -1):
        phrase = tuple(word.casefold() for word in title[start : start + length])
        group = _SPELLINGS.get(phrase)
        if group is not None:
            return (phrase, *(spelling for spelling in group if spelling != phrase))
    return None
