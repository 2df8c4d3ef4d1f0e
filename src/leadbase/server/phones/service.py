"""Phone numbers with Google's libphonenumber data: parse, validate, format, describe."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers import carrier as carriers
from phonenumbers import timezone as time_zones

from leadbase.server.phones.schemas import PhoneFormats, PhoneValidation

_TYPE_NAMES = {
    value: name.lower()
    for name, value in vars(PhoneNumberType).items()
    if not name.startswith("_") and isinstance(value, int)
}
_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "invalid_country_code",
    NumberParseException.NOT_A_NUMBER: "not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    NumberParseException.TOO_SHORT_NSN: "too_short",
    NumberParseException.TOO_LONG: "too_long",
}
_POSSIBILITY_REASONS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    phonenumbers.ValidationResult.TOO_SHORT: "too_short",
    phonenumbers.ValidationResult.TOO_LONG: "too_long",
    phonenumbers.ValidationResult.INVALID_LENGTH: "not_possible",
}


def validate(raw: str, *, default_region: str | None = None) -> PhoneValidation:
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        return PhoneValidation(
            input=raw,
            valid=False,
            possible=False,
            reason=_PARSE_REASONS.get(exc.error_type, "not_a_number"),
        )
    possible = phonenumbers.is_possible_number(number)
    valid = possible and phonenumbers.is_valid_number(number)
    if not valid:
        return PhoneValidation(
            input=raw,
            valid=False,
            possible=possible,
            reason=_invalid_reason(number, possible),
            country_code=number.country_code,
        )
    return PhoneValidation(
        input=raw,
        valid=True,
        possible=True,
        formats=PhoneFormats(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
            national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        ),
        type=_TYPE_NAMES.get(phonenumbers.number_type(number), "unknown"),
        region=phonenumbers.region_code_for_number(number),
        country_code=number.country_code,
        carrier=carriers.name_for_number(number, "en") or None,
        time_zones=[
            zone for zone in time_zones.time_zones_for_number(number) if zone != "Etc/Unknown"
        ],
    )


def _invalid_reason(number: phonenumbers.PhoneNumber, possible: bool) -> str:
    if possible:
        return "invalid_for_region"
    result = phonenumbers.is_possible_number_with_reason(number)
    return _POSSIBILITY_REASONS.get(result, "not_possible")
