"""The ways one person's records differ between CRM exports.

Each function takes the generator's ``random.Random`` and returns a variant; none of them
changes who the record is about, so a matcher is expected to see through all of them.
"""

from __future__ import annotations

import random

from anyascii import anyascii

from leadbase.server.catalog.nicknames import NICKNAMES, NICKNAMES_OF
from leadbase.server.catalog.synthetic.data import TITLE_VARIANTS

# Neighbouring keys on a QWERTY keyboard, for substitution typos.
_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a swap, a dropped, doubled or neighbouring letter.

    The first letter stays (people rarely mistype it), so words under four letters,
    where one edit changes too much of the name, are returned as they are.
    """
    if len(word) < 4:
        return word
    position = rng.randrange(1, len(word) - 1)
    letter = word[position]
    kind = rng.randrange(4)
    if kind == 0 and word[position + 1] != letter:
        return word[:position] + word[position + 1] + letter + word[position + 2 :]
    if kind == 1:
        return word[:position] + word[position + 1 :]
    if kind == 2:
        return word[:position] + letter + word[position:]
    neighbours = _NEIGHBOURS.get(letter.lower())
    if not neighbours:
        return word[:position] + word[position + 1 :]
    replacement = rng.choice(neighbours)
    if letter.isupper():
        replacement = replacement.upper()
    return word[:position] + replacement + word[position + 1 :]


def nickname(rng: random.Random, first: str) -> str | None:
    """A nickname that resolves back to ``first`` ("Robert" -> "Bob"), or None."""
    options = _nicknames(first.lower())
    return rng.choice(options).capitalize() if options else None


def _nicknames(first: str) -> tuple[str, ...]:
    cached = _NICKNAME_CACHE.get(first)
    if cached is None:
        # Only nicknames the shared table resolves to this very name: "Kate" would do for
        # Catherine but not for Katherine.
        cached = tuple(nick for nick in NICKNAMES_OF.get(first, ()) if NICKNAMES.get(nick) == first)
        _NICKNAME_CACHE[first] = cached
    return cached


_NICKNAME_CACHE: dict[str, tuple[str, ...]] = {}


def has_nickname(first: str) -> bool:
    return bool(_nicknames(first.lower()))


def person_name(rng: random.Random, first: str, last: str, kinds: list[str]) -> tuple[str, str]:
    """The name as-is, with a typo, a nickname, in another case or without accents.

    The kind of noise applied, if any, is appended to ``kinds``.
    """
    draw = rng.random()
    if draw < 0.35:
        return first, last
    if draw < 0.6 or (draw < 0.78 and not has_nickname(first)):
        in_last = len(last) >= 4 and (rng.random() < 0.6 or len(first) < 4)
        if not in_last and len(first) < 4:
            return first, last
        kinds.append("name_typo")
        return (first, typo(rng, last)) if in_last else (typo(rng, first), last)
    if draw < 0.78:
        kinds.append("nickname")
        return nickname(rng, first) or first, last
    if draw < 0.88 or (first.isascii() and last.isascii()):
        kinds.append("name_case")
        if rng.random() < 0.5:
            return first.upper(), last.upper()
        return first.lower(), last.lower()
    kinds.append("name_ascii")
    return fold(first), fold(last)


def fold(text: str) -> str:
    """ASCII without accents, as another system might have stored the name."""
    return anyascii(text)


def company_name(rng: random.Random, base: str, shown: str, suffixes: tuple[str, ...]) -> str:
    """The company as another export spells it: its legal form added, dropped or changed."""
    if shown == base:
        suffix = rng.choice(suffixes)
        return f"{base}, {suffix}" if rng.random() < 0.2 else f"{base} {suffix}"
    others = [suffix for suffix in suffixes if not shown.endswith(" " + suffix)]
    if others and rng.random() < 0.4:
        return f"{base} {rng.choice(others)}"
    return base


def title(rng: random.Random, text: str) -> str:
    """The same job spelt another way ("Vice President of Sales" -> "VP of Sales")."""
    for old, new in rng.sample(TITLE_VARIANTS, len(TITLE_VARIANTS)):
        if old in text:
            return text.replace(old, new, 1)
    return text.upper() if rng.random() < 0.3 else text


_LINKEDIN_HOSTS = ("www.linkedin.com", "linkedin.com", "de.linkedin.com", "uk.linkedin.com",
                   "fr.linkedin.com", "in.linkedin.com", "m.linkedin.com", "ca.linkedin.com")  # fmt: skip
_LINKEDIN_TAILS = ("", "/", "/?originalSubdomain=uk", "?trk=public_profile_browsemap",
                   "/en", "/?utm_source=share&utm_medium=member_desktop", "#experience")  # fmt: skip


def linkedin_profile(slug: str) -> str:
    """The canonical profile URL."""
    return f"https://www.linkedin.com/in/{slug}"


def linkedin_variant(rng: random.Random, slug: str) -> str:
    """The same profile under a locale host, without scheme, with a query or a slash."""
    host = rng.choice(_LINKEDIN_HOSTS)
    scheme = rng.choice(("https://", "https://", "http://", ""))
    tail = rng.choice(_LINKEDIN_TAILS)
    shown = slug.upper() if rng.random() < 0.05 else slug
    return f"{scheme}{host}/in/{shown}{tail}"


def email_case(email: str) -> str:
    """ "Jane.Doe@Acme.com": mail systems ignore case, exports keep it."""
    local, _, domain = email.partition("@")
    parts = [part.capitalize() for part in local.split(".")]
    return ".".join(parts) + "@" + domain.capitalize()


def website(rng: random.Random, domain: str) -> str:
    """The company's domain written as a website address."""
    return rng.choice(("https://www.{}", "http://{}", "www.{}", "https://{}/", "{}/")).format(
        domain
    )
