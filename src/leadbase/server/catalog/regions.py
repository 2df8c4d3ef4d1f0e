"""US states and Canadian provinces, the two spellings CRM exports mix ("CA" and
"California"): search treats them as one region in its country. An import keeps what it
was given, and records show it as written.
"""

from __future__ import annotations

from collections.abc import Mapping

US_STATES: Mapping[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
}
CANADIAN_PROVINCES: Mapping[str, str] = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
_BY_COUNTRY: Mapping[str, Mapping[str, str]] = {"US": US_STATES, "CA": CANADIAN_PROVINCES}


def other_spelling(region: str, country: str | None = None) -> tuple[str, str] | None:
    """The other spelling of a US state or Canadian province, code for name or name for
    code, and the country it belongs to: ("California", "US") for "CA". Without
    ``country`` both countries are looked in; None when the region is neither."""
    wanted = region.strip().casefold()
    countries = [country.upper()] if country is not None else list(_BY_COUNTRY)
    for code in countries:
        for short, name in _BY_COUNTRY.get(code, {}).items():
            if wanted == short.casefold():
                return name, code
            if wanted == name.casefold():
                return short, code
    return None
