"""Plain-text reader (.txt, .md and any unknown extension): decode, or say why not."""

from __future__ import annotations

from ..decoding import decode_bytes
from ..models import RawRecord


def read_plain(raw: bytes) -> RawRecord:
    decoded = decode_bytes(raw)
    if decoded.text is None:
        return RawRecord(None, reject_reason=decoded.reject_reason)
    return RawRecord(decoded.text, encoding=decoded.encoding)
