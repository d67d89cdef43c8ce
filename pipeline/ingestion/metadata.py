"""Metadata values from sidecars (`NAME.meta.json`) and JSON records: parsing, coercion to
the column types, and the precedence rule (explicit metadata wins, the text fills the gaps)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .dates import coerce_date
from .header import HeaderInfo
from .tables import METADATA_FIELDS


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published_date: date | None = None
    url: str | None = None


def _clean_str(value: object) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return _clean_str(", ".join(value))  # e.g. several authors
    return None


def coerce_metadata(raw: dict) -> dict:
    """The known metadata fields of `raw` coerced to str / date; unusable values dropped."""
    out: dict = {}
    for key in METADATA_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        coerced = coerce_date(value) if key == "published_date" else _clean_str(value)
        if coerced is not None:
            out[key] = coerced
    return out


def parse_sidecar(raw: bytes) -> tuple[dict | None, str | None]:
    """(metadata, None) from a sidecar's bytes, or (None, reason) if it is not a JSON object."""
    try:
        value = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"sidecar is not valid UTF-8 JSON: {str(exc)[:120]}"
    if not isinstance(value, dict):
        return None, f"sidecar is not a JSON object (found {type(value).__name__})"
    return coerce_metadata(value), None


def merge(*sources: dict, header: HeaderInfo) -> Metadata:
    """Values from `sources` in order of precedence, then from the text's header."""

    def pick(key: str):
        for src in sources:
            if src.get(key) is not None:
                return src[key]
        return getattr(header, key, None)

    return Metadata(**{key: pick(key) for key in METADATA_FIELDS})
