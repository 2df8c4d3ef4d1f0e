"""libphonenumber's verdict on international numbers, without its general parser.

``phonenumbers.parse`` + ``is_valid_number`` cost ~30 us a number, the largest part of
parsing an import row. Most CRM exports write numbers internationally ("+1 650-253-0000",
"+61416331996"); for those, :func:`international` repeats what the library does with
the library's own metadata, compiled once per country calling code:

1. the digits after "+" (spaces, dashes, dots and parentheses dropped, as its parser does);
2. the country calling code: the first of its 1-3 digit prefixes the library knows;
3. the national number is the rest; where the region's national prefix for parsing
   could apply ("+44 (0)20...", national prefix "0") the answer is left to the library;
4. the region: the only one of the code, or the first whose leading digits match, or
   whose number types match (``_region_code_for_number_from_list``);
5. valid when the national number fits the region's general description and one of its
   number types (``_number_type_helper``), lengths included.

Whatever falls outside these steps (no "+", extensions, letters, non-geographic codes,
unusual lengths) returns :data:`UNDECIDED`, and the caller asks the library itself. The
equivalence is property-tested against the library.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Final

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

UNDECIDED: Final = "undecided"

# "+" then digits and the separators the library's parser drops, nothing else.
_SHAPE = re.compile(r"\+[0-9][0-9 ().\-]{3,40}")
_SEPARATORS = str.maketrans("", "", " ().-")
_NON_GEOGRAPHIC = "001"
# The library's own bounds on a national significant number.
_MIN_NATIONAL, _MAX_NATIONAL = 2, 17
# _number_type_helper's order; any match makes a number valid.
_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


def international(raw: str) -> str | None:
    """E.164 for a number written as "+<country code> ...", None when it is not valid, or
    :data:`UNDECIDED` when only ``phonenumbers`` can tell."""
    text = raw.strip()
    if not _SHAPE.fullmatch(text):
        return UNDECIDED
    digits = text[1:].translate(_SEPARATORS)
    for size in (1, 2, 3):
        plan = _plan(digits[:size])
        if plan is _NOT_A_CODE:
            continue
        return UNDECIDED if plan is None else plan.e164(digits[:size], digits[size:])
    return UNDECIDED


@dataclass(frozen=True, slots=True)
class _Desc:
    """One number description: its possible lengths (empty: any) and its pattern."""

    lengths: frozenset[int]
    pattern: re.Pattern[str]

    def fits(self, national: str) -> bool:
        return (not self.lengths or len(national) in self.lengths) and bool(
            self.pattern.fullmatch(national)
        )


@dataclass(frozen=True, slots=True)
class _Region:
    leading_digits: re.Pattern[str] | None
    general: _Desc | None
    # National number length -> the union of the number types allowing that length.
    types_by_length: dict[int, re.Pattern[str]]

    def valid(self, national: str) -> bool:
        if self.general is None or not self.general.fits(national):
            return False
        types = self.types_by_length.get(len(national))
        return types is not None and types.fullmatch(national) is not None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one country calling code needs: its national prefix and its regions."""

    national_prefix: re.Pattern[str] | None
    regions: tuple[_Region, ...]

    def e164(self, code: str, national: str) -> str | None:
        if not _MIN_NATIONAL <= len(national) <= _MAX_NATIONAL:
            return UNDECIDED
        if self.national_prefix is not None and self.national_prefix.match(national):
            return UNDECIDED
        region = self._region(national)
        return f"+{code}{national}" if region is not None and region.valid(national) else None

    def _region(self, national: str) -> _Region | None:
        if len(self.regions) == 1:
            return self.regions[0]
        for region in self.regions:
            if region.leading_digits is not None:
                if region.leading_digits.match(national):
                    return region
            elif region.valid(national):
                return region
        return None


# A prefix that is no country calling code (a longer one may be), unlike a known code
# whose numbers only the library can judge (non-geographic, no metadata): None.
_NOT_A_CODE: Final = _Plan(national_prefix=None, regions=())


@functools.cache
def _plan(code: str) -> _Plan | None:
    """The plan of a country calling code, _NOT_A_CODE, or None to leave it to the library."""
    if not code or code[0] == "0" or int(code) not in COUNTRY_CODE_TO_REGION_CODE:
        return _NOT_A_CODE
    region_codes = COUNTRY_CODE_TO_REGION_CODE[int(code)]
    if _NON_GEOGRAPHIC in region_codes:
        return None
    regions = []
    for region_code in region_codes:
        metadata = PhoneMetadata.metadata_for_region(region_code.upper(), None)
        if metadata is not None:
            regions.append(_region(metadata))
    if not regions:
        return None
    main = PhoneMetadata.metadata_for_region(region_codes[0].upper(), None)
    prefix = main.national_prefix_for_parsing if main is not None else None
    return _Plan(national_prefix=re.compile(prefix) if prefix else None, regions=tuple(regions))


def _region(metadata: Any) -> _Region:
    leading = metadata.leading_digits
    types = [
        desc
        for name in _TYPES
        if (desc := _desc(getattr(metadata, name))) is not None
        and not (name == "mobile" and metadata.same_mobile_and_fixed_line_pattern)
    ]
    return _Region(
        leading_digits=re.compile(leading) if leading is not None else None,
        general=_desc(metadata.general_desc),
        types_by_length=_by_length(types),
    )


def _by_length(types: list[_Desc]) -> dict[int, re.Pattern[str]]:
    """One alternation per length: a length-less type allows every national length."""
    by_length: dict[int, re.Pattern[str]] = {}
    for length in range(_MIN_NATIONAL, _MAX_NATIONAL + 1):
        allowed = [
            desc.pattern.pattern for desc in types if not desc.lengths or length in desc.lengths
        ]
        if allowed:
            by_length[length] = re.compile("|".join(f"(?:{pattern})" for pattern in allowed))
    return by_length


def _desc(desc: Any) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return _Desc(
        lengths=frozenset(desc.possible_length or ()),
        pattern=re.compile(desc.national_number_pattern),
    )
