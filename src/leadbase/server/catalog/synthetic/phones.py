"""Valid phone numbers at generator speed.

phonenumbers is far too slow to call per row, so each region gets a few templates built
once: a national-number prefix whose every continuation of ``width`` digits is a valid
number (checked on samples), with its international and national layouts. A person's
number is the prefix plus digits derived from the person's index, so no two people on
one template share a number until there are 10**width of them.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# Continuations checked per candidate prefix; each must be valid and laid out alike.
_SAMPLES = 12
_MUTATIONS = 10
_PER_TYPE = 3
_WIDTHS = (7, 6)
# Odd and not a multiple of 5, so index -> digits is a bijection modulo 10**width.
_SPREAD = 2_654_435_761


@dataclass(frozen=True, slots=True)
class PhoneTemplate:
    region: str
    # "+1" and the national prefix: the E.164 form is this plus the digits.
    e164_head: str
    width: int
    # str.format patterns with one "{}" per generated digit.
    international_pattern: str
    national_pattern: str
    offset: int

    def digits(self, index: int) -> str:
        return str((index * _SPREAD + self.offset) % 10**self.width).zfill(self.width)

    def international(self, index: int) -> str:
        return self.international_pattern.format(*self.digits(index))

    def e164(self, index: int) -> str:
        return self.e164_head + self.digits(index)

    def national(self, index: int) -> str:
        return self.national_pattern.format(*self.digits(index))


@functools.cache
def templates(region: str) -> tuple[PhoneTemplate, ...]:
    """Templates for mobile and fixed-line numbers of ``region``, built deterministically."""
    rng = random.Random(f"phones:{region}")
    found: dict[str, PhoneTemplate] = {}
    for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        national = phonenumbers.national_significant_number(example)
        for width in _WIDTHS:
            if width >= len(national):
                continue
            seeds = [national[:-width]]
            seeds += [_mutate(rng, seeds[0]) for _ in range(_MUTATIONS)]
            kept = 0
            for prefix in dict.fromkeys(seeds):
                if kept == _PER_TYPE or _overlaps(prefix, found):
                    continue
                template = _template(rng, region, prefix, width)
                if template is not None:
                    found[prefix] = template
                    kept += 1
            if kept:
                break
    return tuple(found.values())


def _overlaps(prefix: str, found: dict[str, PhoneTemplate]) -> bool:
    # One prefix extending another would let two templates produce the same number.
    return any(prefix.startswith(other) or other.startswith(prefix) for other in found)


def _mutate(rng: random.Random, prefix: str) -> str:
    # The leading digit picks the number type (mobile, geographic); keep it.
    if len(prefix) < 2:
        return prefix
    position = rng.randrange(1, len(prefix))
    return prefix[:position] + str(rng.randrange(10)) + prefix[position + 1 :]


def _template(rng: random.Random, region: str, prefix: str, width: int) -> PhoneTemplate | None:
    code = phonenumbers.country_code_for_region(region)
    head = f"+{code}{prefix}"
    samples = ["".join(str(rng.randrange(10)) for _ in range(width)) for _ in range(_SAMPLES)]
    layouts: set[tuple[str, str]] = set()
    sample: tuple[str, str] = ("", "")
    for digits in samples:
        parsed = phonenumbers.parse(head + digits)
        if not phonenumbers.is_valid_number_for_region(parsed, region):
            return None
        sample = (
            phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL),
            phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL),
        )
        layouts.add((_layout(sample[0]), _layout(sample[1])))
    if len(layouts) != 1 or not _unconstrained(head, samples, region):
        return None
    return PhoneTemplate(
        region=region,
        e164_head=head,
        width=width,
        international_pattern=_pattern(sample[0], width),
        national_pattern=_pattern(sample[1], width),
        offset=rng.randrange(10**width),
    )


def _unconstrained(head: str, samples: list[str], region: str) -> bool:
    """Every pair of leading digits and every digit further on gives a valid number.

    Numbering plans constrain the digits right after a prefix ("no exchange starting with
    0 or 1", "800 is toll-free"); random samples alone can miss such a rule.
    """
    filler = samples[0]
    candidates = [f"{pair:02d}{filler[2:]}" for pair in range(100)]
    candidates += [
        f"{filler[:position]}{digit}{filler[position + 1 :]}"
        for position in range(2, len(filler))
        for digit in "0123456789"
    ]
    return all(
        phonenumbers.is_valid_number_for_region(phonenumbers.parse(head + digits), region)
        for digits in candidates
    )


def _layout(formatted: str) -> str:
    return "".join("#" if char.isdigit() else char for char in formatted)


def _pattern(formatted: str, width: int) -> str:
    """The formatted number with its last ``width`` digits replaced by "{}"."""
    chars = list(formatted)
    remaining = width
    for position in range(len(chars) - 1, -1, -1):
        if remaining and chars[position].isdigit():
            chars[position] = "{}"
            remaining -= 1
    return "".join(chars)
