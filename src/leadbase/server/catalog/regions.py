"""The spellings of a country's regions that CRM exports and profiles mix: a code and a
name ("CA", "California"), a local name and an English one ("Bayern", "Bavaria"), with
and without accents ("Thüringen", "Thuringen"). Search treats them as one region in its
country. An import keeps what it was given, and records show it as written.

Covered: US states, Canadian provinces and territories (English and French names),
Australian states and territories, and the first-level regions of Germany, India, Brazil,
Mexico, Spain, Italy, France and the Netherlands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from anyascii import anyascii

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
# A region's spellings, its ISO 3166-2 code first where data uses one (and former codes
# still in use). Accent-free and hyphen-free forms are added by :func:`_variants`; only
# other words are listed here.
REGIONS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "US": tuple(US_STATES.items()),
    "CA": (
        ("AB", "Alberta"),
        ("BC", "British Columbia", "Colombie-Britannique"),
        ("MB", "Manitoba"),
        ("NB", "New Brunswick", "Nouveau-Brunswick"),
        ("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "Newfoundland"),
        ("NS", "Nova Scotia", "Nouvelle-Écosse"),
        ("NT", "Northwest Territories", "Territoires du Nord-Ouest"),
        ("NU", "Nunavut"),
        ("ON", "Ontario"),
        ("PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
        ("QC", "Quebec", "Québec", "PQ"),
        ("SK", "Saskatchewan"),
        ("YT", "Yukon"),
    ),
    "AU": (
        ("NSW", "New South Wales"),
        ("VIC", "Victoria"),
        ("QLD", "Queensland"),
        ("WA", "Western Australia"),
        ("SA", "South Australia"),
        ("TAS", "Tasmania"),
        ("ACT", "Australian Capital Territory"),
        ("NT", "Northern Territory"),
    ),
    "DE": (
        ("BW", "Baden-Württemberg", "Baden-Wuerttemberg"),
        ("BY", "Bayern", "Bavaria"),
        ("BE", "Berlin"),
        ("BB", "Brandenburg"),
        ("HB", "Bremen"),
        ("HH", "Hamburg"),
        ("HE", "Hessen", "Hesse"),
        ("MV", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"),
        ("NI", "Niedersachsen", "Lower Saxony"),
        ("NW", "Nordrhein-Westfalen", "North Rhine-Westphalia", "NRW"),
        ("RP", "Rheinland-Pfalz", "Rhineland-Palatinate"),
        ("SL", "Saarland"),
        ("SN", "Sachsen", "Saxony"),
        ("ST", "Sachsen-Anhalt", "Saxony-Anhalt"),
        ("SH", "Schleswig-Holstein"),
        ("TH", "Thüringen", "Thueringen", "Thuringia"),
    ),
    "IN": (
        ("AP", "Andhra Pradesh"),
        ("AR", "Arunachal Pradesh"),
        ("AS", "Assam"),
        ("BR", "Bihar"),
        ("CG", "Chhattisgarh", "CT"),
        ("GA", "Goa"),
        ("GJ", "Gujarat"),
        ("HR", "Haryana"),
        ("HP", "Himachal Pradesh"),
        ("JH", "Jharkhand"),
        ("KA", "Karnataka"),
        ("KL", "Kerala"),
        ("MP", "Madhya Pradesh"),
        ("MH", "Maharashtra"),
        ("MN", "Manipur"),
        ("ML", "Meghalaya"),
        ("MZ", "Mizoram"),
        ("NL", "Nagaland"),
        ("OD", "Odisha", "OR", "Orissa"),
        ("PB", "Punjab"),
        ("RJ", "Rajasthan"),
        ("SK", "Sikkim"),
        ("TN", "Tamil Nadu"),
        ("TS", "Telangana", "TG"),
        ("TR", "Tripura"),
        ("UP", "Uttar Pradesh"),
        ("UK", "Uttarakhand", "UT", "Uttaranchal"),
        ("WB", "West Bengal"),
        ("AN", "Andaman and Nicobar Islands"),
        ("CH", "Chandigarh"),
        ("DH", "Dadra and Nagar Haveli and Daman and Diu"),
        ("DL", "Delhi", "NCT of Delhi", "National Capital Territory of Delhi"),
        ("JK", "Jammu and Kashmir"),
        ("LA", "Ladakh"),
        ("LD", "Lakshadweep"),
        ("PY", "Puducherry", "Pondicherry"),
    ),
    "BR": (
        ("AC", "Acre"),
        ("AL", "Alagoas"),
        ("AP", "Amapá"),
        ("AM", "Amazonas"),
        ("BA", "Bahia"),
        ("CE", "Ceará"),
        ("DF", "Distrito Federal", "Federal District"),
        ("ES", "Espírito Santo"),
        ("GO", "Goiás"),
        ("MA", "Maranhão"),
        ("MT", "Mato Grosso"),
        ("MS", "Mato Grosso do Sul"),
        ("MG", "Minas Gerais"),
        ("PA", "Pará"),
        ("PB", "Paraíba"),
        ("PR", "Paraná"),
        ("PE", "Pernambuco"),
        ("PI", "Piauí"),
        ("RJ", "Rio de Janeiro"),
        ("RN", "Rio Grande do Norte"),
        ("RS", "Rio Grande do Sul"),
        ("RO", "Rondônia"),
        ("RR", "Roraima"),
        ("SC", "Santa Catarina"),
        ("SP", "São Paulo"),
        ("SE", "Sergipe"),
        ("TO", "Tocantins"),
    ),
    "MX": (
        ("AGU", "Aguascalientes"),
        ("BCN", "Baja California"),
        ("BCS", "Baja California Sur"),
        ("CAM", "Campeche"),
        ("CHP", "Chiapas"),
        ("CHH", "Chihuahua"),
        ("CMX", "Ciudad de México", "Mexico City", "CDMX"),
        ("COA", "Coahuila", "Coahuila de Zaragoza"),
        ("COL", "Colima"),
        ("DUR", "Durango"),
        ("GUA", "Guanajuato"),
        ("GRO", "Guerrero"),
        ("HID", "Hidalgo"),
        ("JAL", "Jalisco"),
        ("MEX", "Estado de México", "State of Mexico", "México"),
        ("MIC", "Michoacán", "Michoacán de Ocampo"),
        ("MOR", "Morelos"),
        ("NAY", "Nayarit"),
        ("NLE", "Nuevo León"),
        ("OAX", "Oaxaca"),
        ("PUE", "Puebla"),
        ("QUE", "Querétaro"),
        ("ROO", "Quintana Roo"),
        ("SLP", "San Luis Potosí"),
        ("SIN", "Sinaloa"),
        ("SON", "Sonora"),
        ("TAB", "Tabasco"),
        ("TAM", "Tamaulipas"),
        ("TLA", "Tlaxcala"),
        ("VER", "Veracruz", "Veracruz de Ignacio de la Llave"),
        ("YUC", "Yucatán"),
        ("ZAC", "Zacatecas"),
    ),
    "ES": (
        ("AN", "Andalucía", "Andalusia"),
        ("AR", "Aragón"),
        ("AS", "Asturias", "Principado de Asturias"),
        ("CN", "Canarias", "Canary Islands", "Islas Canarias"),
        ("CB", "Cantabria"),
        ("CL", "Castilla y León", "Castile and León"),
        ("CM", "Castilla-La Mancha", "Castile-La Mancha"),
        ("CT", "Cataluña", "Catalunya", "Catalonia"),
        ("EX", "Extremadura"),
        ("GA", "Galicia"),
        ("IB", "Illes Balears", "Islas Baleares", "Balearic Islands"),
        ("RI", "La Rioja"),
        ("MD", "Comunidad de Madrid", "Community of Madrid", "Madrid"),
        ("MC", "Región de Murcia", "Region of Murcia", "Murcia"),
        ("NC", "Navarra", "Comunidad Foral de Navarra", "Navarre"),
        ("PV", "País Vasco", "Euskadi", "Basque Country"),
        ("VC", "Comunitat Valenciana", "Comunidad Valenciana", "Valencian Community"),
        ("CE", "Ceuta"),
        ("ML", "Melilla"),
    ),
    # Italy's region codes are numbers no export uses: names only.
    "IT": (
        ("Abruzzo",),
        ("Basilicata",),
        ("Calabria",),
        ("Campania",),
        ("Emilia-Romagna",),
        ("Friuli-Venezia Giulia",),
        ("Lazio", "Latium"),
        ("Liguria",),
        ("Lombardia", "Lombardy"),
        ("Marche", "Marches"),
        ("Molise",),
        ("Piemonte", "Piedmont"),
        ("Puglia", "Apulia"),
        ("Sardegna", "Sardinia"),
        ("Sicilia", "Sicily"),
        ("Toscana", "Tuscany"),
        ("Trentino-Alto Adige", "Trentino-South Tyrol", "Trentino-Alto Adige/Südtirol"),
        ("Umbria",),
        ("Valle d'Aosta", "Aosta Valley", "Vallée d'Aoste"),
        ("Veneto",),
    ),
    "FR": (
        ("ARA", "Auvergne-Rhône-Alpes"),
        ("BFC", "Bourgogne-Franche-Comté", "Burgundy-Franche-Comté"),
        ("BRE", "Bretagne", "Brittany"),
        ("CVL", "Centre-Val de Loire"),
        ("20R", "Corse", "Corsica", "COR"),
        ("GES", "Grand Est"),
        ("HDF", "Hauts-de-France"),
        ("IDF", "Île-de-France"),
        ("NOR", "Normandie", "Normandy"),
        ("NAQ", "Nouvelle-Aquitaine"),
        ("OCC", "Occitanie", "Occitania"),
        ("PDL", "Pays de la Loire"),
        ("PAC", "Provence-Alpes-Côte d'Azur", "PACA"),
    ),
    "NL": (
        ("DR", "Drenthe"),
        ("FL", "Flevoland"),
        ("FR", "Friesland", "Fryslân"),
        ("GE", "Gelderland"),
        ("GR", "Groningen"),
        ("LI", "Limburg"),
        ("NB", "Noord-Brabant", "North Brabant"),
        ("NH", "Noord-Holland", "North Holland"),
        ("OV", "Overijssel"),
        ("UT", "Utrecht"),
        ("ZE", "Zeeland"),
        ("ZH", "Zuid-Holland", "South Holland"),
    ),
}
_SEPARATORS = re.compile(r"[\s-]+")


def _key(spelling: str) -> str:
    """What two spellings of one region share when they differ only in case, accents or
    hyphens ("Île-de-France", "ile de france")."""
    return _SEPARATORS.sub(" ", anyascii(spelling).casefold()).strip()


def _variants(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """The spellings, each also without accents and with spaces for hyphens: what a
    region may be stored as (search compares stored values ignoring ASCII case only)."""
    found: dict[str, None] = {}
    for spelling in spellings:
        for variant in (spelling, anyascii(spelling)):
            found[variant] = None
            found[variant.replace("-", " ")] = None
    return tuple(found)


def _index() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Every spelling's key -> (country, all the region's spellings) for each region
    spelled so (a code such as "WA" names a region in two countries)."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for country, regions in REGIONS.items():
        for region in regions:
            spellings = _variants(region)
            for spelling in spellings:
                places = index.setdefault(_key(spelling), [])
                if (country, spellings) not in places:
                    places.append((country, spellings))
    return index


_BY_SPELLING = _index()


def other_spellings(region: str, country: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(country, the region's other spellings there) for each region ``region`` spells,
    in ``country`` when given: [("US", ("Washington",)), ("AU", ("Western Australia",
    ...))] for "WA". A spelling that differs from ``region`` only in ASCII case is left
    out (search already matches it). Empty when no region is spelled so."""
    wanted = country.upper() if country is not None else None
    given = region.strip().casefold()
    return [
        (place, tuple(spelling for spelling in spellings if spelling.casefold() != given))
        for place, spellings in _BY_SPELLING.get(_key(region), [])
        if wanted is None or place == wanted
    ]
