"""Seniority and department from a job title: a keyword taxonomy, not a model.

A title is folded to lower-case ASCII words with abbreviations expanded ("Sr. Mgr, Mktg" ->
"senior manager marketing"); seniority is the highest level any rule finds, department the
first department rule that matches, most specific phrases first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

SENIORITIES = (
    "owner",
    "founder",
    "c_suite",
    "partner",
    "vp",
    "head",
    "director",
    "manager",
    "senior",
    "entry",
    "intern",
)
DEPARTMENTS = (
    "executive",
    "engineering",
    "sales",
    "marketing",
    "finance",
    "hr",
    "operations",
    "product",
    "design",
    "legal",
    "it",
    "support",
    "data",
    "education",
    "medical",
    "consulting",
    "other",
)

# Short forms a title is read with, also the other spellings search matches a title filter's
# words with (search.title_synonyms).
ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "sen": "senior",
    "jr": "junior",
    "jnr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "dir": "director",
    "asst": "assistant",
    "assoc": "associate",
    "exec": "executive",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "devs": "developers",
    "acct": "account",
    "mktg": "marketing",
    "mkt": "marketing",
    "mkting": "marketing",
    "ops": "operations",
    "biz": "business",
    "bizdev": "business development",
    "bd": "business development",
    "pres": "president",
    "vicepresident": "vice president",
    "cofounder": "co founder",
    "tech": "technology",
    "admin": "administrator",
    "coord": "coordinator",
    "rep": "representative",
    "repr": "representative",
    "spec": "specialist",
    "svcs": "services",
    "svc": "service",
    "intl": "international",
    "gm": "general manager",
    "hrbp": "hr business partner",
    "swe": "software engineer",
    "sde": "software engineer",
    "qa": "quality assurance",
    "ux": "user experience",
    "ui": "user interface",
    "ae": "account executive",
    "sdr": "sales development representative",
    "bdr": "business development representative",
    "revops": "revenue operations",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "bi": "business intelligence",
    "fpa": "financial planning",
    "rn": "registered nurse",
    "ea": "executive assistant",
    "pa": "personal assistant",
}
# What search also matches a C-level title and a few other short forms with: titles are read
# with these kept short (``_C_LEVEL`` and the vp rules place them).
SPELLED_OUT = {
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cmo": "chief marketing officer",
    "cio": "chief information officer",
    "ciso": "chief information security officer",
    "cpo": "chief product officer",
    "cro": "chief revenue officer",
    "cdo": "chief data officer",
    "chro": "chief human resources officer",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "avp": "assistant vice president",
    "hr": "human resources",
}
_C_LEVEL = {
    "ceo": "executive",
    "cto": "engineering",
    "cfo": "finance",
    "coo": "operations",
    "cmo": "marketing",
    "cio": "it",
    "ciso": "it",
    "cso": "executive",
    "cpo": "product",
    "cro": "sales",
    "cdo": "data",
    "chro": "hr",
    "cpto": "engineering",
    "cco": "sales",
    "cao": "finance",
    "clo": "legal",
    "cno": "medical",
    "cxo": "executive",
    "cbo": "sales",
    "cgo": "marketing",
}
_VP_WORDS = frozenset({"vp", "svp", "evp", "avp", "rvp", "gvp", "cvp", "vps"})
_DIRECTOR_WORDS = frozenset({"director", "directors", "directeur", "direktor", "directora"})
_MANAGER_WORDS = frozenset({"manager", "managers", "supervisor", "superintendent", "foreman"})
_SENIOR_WORDS = frozenset({"senior", "principal", "distinguished", "fellow", "iii", "iv"})
_INTERN_WORDS = frozenset({"intern", "interns", "werkstudent", "praktikant", "praktikantin"})
_INTERN_WORDS |= {"stagiaire", "student"}
_FOUNDER_WORDS = frozenset({"founder", "founders", "fondateur", "grunder"})
_C_SUITE_PHRASES = (
    " managing director ",
    " executive director ",
    " general director ",
    " director general ",
    " directeur general ",
    " non executive director ",
    " board member ",
    " member of the board ",
    " board of directors ",
    " chairman ",
    " chairwoman ",
    " chairperson ",
    " chair of the board ",
    " geschaftsfuhrer ",
    " geschaftsfuhrerin ",
    " pdg ",
)
_NOT_OWNER_PREFIX = frozenset({"product", "process", "data", "service", "system", "content"})
_NOT_OWNER_PREFIX |= {"control", "risk", "technical", "application", "platform"}
_NOT_PARTNER_PREFIX = frozenset(
    {
        "business",
        "acquisition",
        "recruiting",
        "recruitment",
        "hr",
        "channel",
        "people",
        "talent",
        "strategic",
        "alliance",
        "alliances",
        "technology",
        "learning",
        "finance",
        "financial",
        "account",
        "sales",
        "implementation",
        "success",
        "customer",
        "client",
        "delivery",
        "solutions",
    }
)
_NOT_PARTNER_SUFFIX = frozenset(
    {
        "manager",
        "management",
        "success",
        "marketing",
        "development",
        "program",
        "programs",
        "relations",
        "relationship",
        "operations",
        "account",
        "enablement",
        "sales",
        "engineer",
        "solutions",
        "ecosystem",
        "specialist",
        "coordinator",
        "director",
        "lead",
        "integration",
        "integrations",
        "support",
        "network",
        "experience",
        "executive",
        "onboarding",
        "associate",
        "representative",
        "recruitment",
    }
)
_NOT_LEAD_SUFFIX = frozenset({"generation", "gen", "qualification", "nurturing", "management"})
_STAFF_ROLES = frozenset(
    {
        "engineer",
        "software",
        "scientist",
        "developer",
        "data",
        "research",
        "researcher",
        "designer",
        "product",
        "machine",
        "security",
        "site",
        "frontend",
        "backend",
        "user",
        "infrastructure",
        "technical",
        "systems",
        "quality",
    }
)
_NO_SENIORITY = (" retired ", " unemployed ", " open to work ", " seeking ", " looking for ")

# Department rules in order: specific phrases first, then words, broad families last.
# Phrases are matched on " padded " text, words against the set of words.
_PHRASE_DEPARTMENTS = (
    ("executive assistant", "operations"),
    ("personal assistant", "operations"),
    ("administrative assistant", "operations"),
    ("chief of staff", "executive"),
    ("product marketing", "marketing"),
    ("marketing operations", "marketing"),
    ("marketing analytics", "marketing"),
    ("sales operations", "sales"),
    ("revenue operations", "sales"),
    ("sales engineer", "sales"),
    ("sales engineering", "sales"),
    ("solutions engineer", "sales"),
    ("solutions consultant", "sales"),
    ("pre sales", "sales"),
    ("account executive", "sales"),
    ("account manager", "sales"),
    ("account director", "sales"),
    ("account management", "sales"),
    ("key account", "sales"),
    ("business development", "sales"),
    ("inside sales", "sales"),
    ("partner manager", "sales"),
    ("channel partner", "sales"),
    ("customer success", "support"),
    ("customer service", "support"),
    ("customer care", "support"),
    ("customer experience", "support"),
    ("customer support", "support"),
    ("technical support", "support"),
    ("support engineer", "support"),
    ("client services", "support"),
    ("help desk", "it"),
    ("desktop support", "it"),
    ("it support", "it"),
    ("information technology", "it"),
    ("information security", "it"),
    ("system administrator", "it"),
    ("systems administrator", "it"),
    ("network administrator", "it"),
    ("database administrator", "it"),
    ("hr business partner", "hr"),
    ("human resources", "hr"),
    ("people operations", "hr"),
    ("learning and development", "hr"),
    ("talent acquisition", "hr"),
    ("investor relations", "finance"),
    ("financial planning", "finance"),
    ("fp and a", "finance"),
    ("accounts payable", "finance"),
    ("accounts receivable", "finance"),
    ("public relations", "marketing"),
    ("social media", "marketing"),
    ("demand generation", "marketing"),
    ("lead generation", "marketing"),
    ("growth marketing", "marketing"),
    ("data engineer", "data"),
    ("data engineering", "data"),
    ("data scientist", "data"),
    ("data science", "data"),
    ("data analyst", "data"),
    ("data analytics", "data"),
    ("machine learning", "data"),
    ("artificial intelligence", "data"),
    ("business intelligence", "data"),
    ("product engineer", "engineering"),
    ("design engineer", "engineering"),
    ("product designer", "design"),
    ("product design", "design"),
    ("user experience", "design"),
    ("user interface", "design"),
    ("art director", "design"),
    ("creative director", "design"),
    ("quality assurance", "engineering"),
    ("site reliability", "engineering"),
    ("full stack", "engineering"),
    ("r and d", "engineering"),
    ("research and development", "engineering"),
    ("office manager", "operations"),
    ("project manager", "operations"),
    ("program manager", "operations"),
    ("supply chain", "operations"),
    ("general manager", "operations"),
)
_WORD_DEPARTMENTS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "legal",
        frozenset(
            {
                "legal",
                "counsel",
                "attorney",
                "lawyer",
                "paralegal",
                "compliance",
                "solicitor",
                "barrister",
                "litigation",
                "contracts",
                "privacy",
                "juriste",
                "notary",
            }
        ),
    ),
    (
        "hr",
        frozenset(
            {
                "hr",
                "people",
                "talent",
                "recruiter",
                "recruiting",
                "recruitment",
                "payroll",
                "compensation",
                "benefits",
                "diversity",
                "learning",
                "personnel",
                "sourcer",
            }
        ),
    ),
    (
        "finance",
        frozenset(
            {
                "finance",
                "financial",
                "accounting",
                "accountant",
                "controller",
                "comptroller",
                "treasury",
                "treasurer",
                "tax",
                "audit",
                "auditor",
                "bookkeeper",
                "bookkeeping",
                "investment",
                "investments",
                "actuary",
                "credit",
                "billing",
                "risk",
                "underwriter",
                "cpa",
            }
        ),
    ),
    (
        "data",
        frozenset({"data", "analytics", "statistician", "bi"}),
    ),
    (
        "marketing",
        frozenset(
            {
                "marketing",
                "marketer",
                "brand",
                "branding",
                "content",
                "seo",
                "sem",
                "communications",
                "comms",
                "growth",
                "copywriter",
                "advertising",
                "events",
                "pr",
                "campaign",
                "campaigns",
                "digital",
                "community",
            }
        ),
    ),
    (
        "sales",
        frozenset(
            {
                "sales",
                "salesperson",
                "revenue",
                "commercial",
                "seller",
                "territory",
                "channel",
                "partnerships",
                "presales",
                "account",
                "accounts",
                "retail",
            }
        ),
    ),
    (
        "design",
        frozenset(
            {
                "design",
                "designer",
                "creative",
                "graphic",
                "illustrator",
                "animator",
                "visual",
                "ux",
                "ui",
            }
        ),
    ),
    ("product", frozenset({"product", "products"})),
    (
        "it",
        frozenset(
            {
                "it",
                "helpdesk",
                "sysadmin",
                "network",
                "networks",
                "security",
                "cybersecurity",
                "information",
                "infosec",
                "erp",
                "sap",
            }
        ),
    ),
    ("support", frozenset({"support", "helpline", "customer", "customers"})),
    (
        "engineering",
        frozenset(
            {
                "engineer",
                "engineers",
                "engineering",
                "software",
                "developer",
                "developers",
                "programmer",
                "devops",
                "sre",
                "architect",
                "frontend",
                "backend",
                "fullstack",
                "firmware",
                "embedded",
                "technical",
                "technology",
                "technologies",
                "scientist",
                "ios",
                "android",
                "mobile",
                "web",
                "cloud",
                "platform",
                "infrastructure",
                "hardware",
                "research",
                "coder",
            }
        ),
    ),
    (
        "medical",
        frozenset(
            {
                "nurse",
                "nursing",
                "physician",
                "doctor",
                "surgeon",
                "medical",
                "clinical",
                "clinician",
                "pharmacist",
                "therapist",
                "dentist",
                "healthcare",
                "health",
                "radiologist",
                "veterinarian",
                "paramedic",
                "psychiatrist",
                "psychologist",
                "physiotherapist",
                "pediatrician",
                "anesthesiologist",
                "hospital",
                "patient",
                "caregiver",
                "midwife",
                "cardiologist",
                "oncologist",
            }
        ),
    ),
    (
        "education",
        frozenset(
            {
                "teacher",
                "professor",
                "lecturer",
                "instructor",
                "tutor",
                "educator",
                "school",
                "dean",
                "faculty",
                "academic",
                "education",
                "teaching",
                "curriculum",
                "university",
                "student",
                "postdoc",
                "postdoctoral",
                "phd",
                "librarian",
            }
        ),
    ),
    (
        "consulting",
        frozenset({"consultant", "consultants", "consulting", "advisor", "adviser", "advisory"}),
    ),
    (
        "operations",
        frozenset(
            {
                "operations",
                "operating",
                "logistics",
                "procurement",
                "purchasing",
                "buyer",
                "facilities",
                "facility",
                "administrative",
                "administration",
                "receptionist",
                "warehouse",
                "fulfillment",
                "manufacturing",
                "production",
                "plant",
                "secretary",
                "office",
                "dispatcher",
                "scheduler",
            }
        ),
    ),
)
_PADDED_PHRASE_DEPARTMENTS = tuple((f" {phrase} ", dept) for phrase, dept in _PHRASE_DEPARTMENTS)
_EXECUTIVE_SENIORITIES = frozenset({"owner", "founder", "c_suite", "partner"})

_JOIN_DOTTED = re.compile(r"\b([a-z])\.(?=[a-z]\b)")
_PUNCTUATION = re.compile(r"[^a-z0-9+#]+")
_AFFILIATION = re.compile(r"\s(?:at|@)\s.*$|@.*$")


def title_facets(title: str | None) -> tuple[str | None, str | None]:
    """(seniority, department) of a job title; (None, None) when there is no title."""
    if not title:
        return None, None
    return _facets(title)


@lru_cache(maxsize=65536)
def _facets(title: str) -> tuple[str | None, str | None]:
    words = _words(title)
    if not words:
        return None, None
    padded = f" {' '.join(words)} "
    seniority = _seniority(words, padded)
    return seniority, _department(words, padded, seniority)


def _words(title: str) -> list[str]:
    text = title if title.isascii() else anyascii(title)
    text = text.lower().replace("&", " and ").replace("'", "")
    text = _AFFILIATION.sub("", _JOIN_DOTTED.sub(r"\1", text))
    words: list[str] = []
    for word in _PUNCTUATION.sub(" ", text).split():
        words.extend(ABBREVIATIONS.get(word, word).split())
    # "v p" (from "V. P.") and "vice president" both read as vp.
    return _merge_vp(words)


def _merge_vp(words: list[str]) -> list[str]:
    merged: list[str] = []
    for word in words:
        if merged and (merged[-1], word) in {("vice", "president"), ("v", "p")}:
            merged[-1] = "vp"
        else:
            merged.append(word)
    return merged


def _seniority(words: list[str], padded: str) -> str | None:
    if any(phrase in padded for phrase in _NO_SENIORITY):
        return None
    levels = _levels(words, padded)
    return next((level for level in SENIORITIES if level in levels), "entry")


def _levels(words: list[str], padded: str) -> set[str]:
    levels: set[str] = set()
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        level = _word_level(word, before, after)
        if level:
            levels.add(level)
    if any(phrase in padded for phrase in _C_SUITE_PHRASES):
        levels.add("c_suite")
    if " assistant to " in padded:
        # "Assistant to the CEO" supports the office without holding it.
        levels -= {"c_suite", "vp", "director", "head"}
        levels.add("entry")
    if " self employed " in padded:
        levels.add("owner")
    return levels


def _word_level(word: str, before: str, after: str) -> str | None:
    if word in _INTERN_WORDS:
        return "intern"
    if word in _FOUNDER_WORDS:
        return "founder"
    if word in {"owner", "owners", "proprietor"}:
        return None if before in _NOT_OWNER_PREFIX else "owner"
    if word == "chief" and after == "of":
        return "director"  # chief of staff
    if word in _C_LEVEL or word in {"president", "chief"}:
        return "c_suite"
    if word in {"partner", "partners"}:
        partner = before not in _NOT_PARTNER_PREFIX and after not in _NOT_PARTNER_SUFFIX
        return "partner" if partner else None
    if word in _VP_WORDS:
        return "vp"
    if word == "head":
        return "head"
    if word in _DIRECTOR_WORDS:
        return "director"
    if word in _MANAGER_WORDS:
        return "manager"
    return _ic_level(word, after)


def _ic_level(word: str, after: str) -> str | None:
    if word in _SENIOR_WORDS:
        return "senior"
    if word == "lead":
        return None if after in _NOT_LEAD_SUFFIX else "senior"
    if word == "staff":
        return "senior" if after in _STAFF_ROLES else None
    return None


def _department(words: list[str], padded: str, seniority: str | None) -> str:
    for phrase, department in _PADDED_PHRASE_DEPARTMENTS:
        if phrase in padded:
            return department
    for word in words:
        if word in _C_LEVEL and word != "ceo":
            return _C_LEVEL[word]
    chosen = set(words)
    for department, keywords in _WORD_DEPARTMENTS:
        if not chosen.isdisjoint(keywords):
            return department
    return "executive" if seniority in _EXECUTIVE_SENIORITIES else "other"
