"""JSON readers: a `.json` file holds one object with a `text` field or an array of such
objects; a `.jsonl`/`.ndjson` file holds one object per line (blank lines are not records).
Records are numbered from 1 in array / non-blank-line order. Optional fields: title, outlet,
byline, published_date, url (and dateline)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..decoding import decode_bytes
from ..metadata import coerce_metadata
from ..models import RawRecord


def _record(value: object, number: int | None, encoding: str | None, where: str) -> RawRecord:
    if not isinstance(value, dict):
        return RawRecord(
            None,
            reject_reason=f"{where}is not a JSON object (found {type(value).__name__})",
            record_number=number,
        )
    meta = coerce_metadata(value)
    text = value.get("text")
    if text is None:
        reason = f"{where}has no 'text' field" if "text" not in value else f"{where}'text' is null"
        return RawRecord(None, meta=meta, reject_reason=reason, record_number=number)
    if not isinstance(text, str):
        return RawRecord(
            None,
            meta=meta,
            reject_reason=f"{where}'text' is not a string (found {type(text).__name__})",
            record_number=number,
        )
    return RawRecord(text, meta=meta, encoding=encoding, record_number=number)


def _loads(text: str) -> tuple[object, str | None]:
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "invalid JSON: nested too deeply"
    except ValueError as exc:
        return None, f"invalid JSON: {str(exc)[:160]}"


def _one_row_when_nothing_is_a_document(records: list[RawRecord]) -> list[RawRecord]:
    """A file none of whose records is a document (a list of something else, such as answer
    keys or logs) is one rejected row, not one row per record."""
    if len(records) > 1 and all(record.text is None for record in records):
        first = records[0].reject_reason or "no text"
        return [
            RawRecord(
                None,
                reject_reason=f"none of its {len(records)} records is a document (first: {first})",
            )
        ]
    return records


def read_json(raw: bytes) -> Iterator[RawRecord]:
    yield from _one_row_when_nothing_is_a_document(list(_read_json(raw)))


def read_jsonl(raw: bytes) -> Iterator[RawRecord]:
    yield from _one_row_when_nothing_is_a_document(list(_read_jsonl(raw)))


def _read_json(raw: bytes) -> Iterator[RawRecord]:
    decoded = decode_bytes(raw)
    if decoded.text is None:
        yield RawRecord(None, reject_reason=decoded.reject_reason)
        return
    if not decoded.text.strip():
        yield RawRecord(decoded.text, encoding=decoded.encoding)  # judged empty downstream
        return
    value, error = _loads(decoded.text)
    if error:
        yield RawRecord(None, reject_reason=error)
    elif isinstance(value, list):
        if not value:
            yield RawRecord(None, reject_reason="JSON array has no records")
        for number, item in enumerate(value, start=1):
            yield _record(item, number, decoded.encoding, f"record {number} ")
    else:
        yield _record(value, None, decoded.encoding, "JSON value ")


def _read_jsonl(raw: bytes) -> Iterator[RawRecord]:
    decoded = decode_bytes(raw)
    if decoded.text is None:
        yield RawRecord(None, reject_reason=decoded.reject_reason)
        return
    number = 0
    for line_no, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        number += 1
        where = f"record {number} (line {line_no}) "
        value, error = _loads(line)
        if error:
            yield RawRecord(None, reject_reason=where + error, record_number=number)
        else:
            yield _record(value, number, decoded.encoding, where)
    if number == 0:
        yield RawRecord(decoded.text, encoding=decoded.encoding)  # judged empty downstream
