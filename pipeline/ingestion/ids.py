"""Stable identifiers: the content id of an accepted document, the id of a rejected row, and
the fingerprint of a source file (used to skip unchanged files)."""

from __future__ import annotations

import hashlib

ID_HEX_CHARS = 16


def content_id(text: str) -> str:
    """Id of an accepted document: first 16 hex chars of sha256 of its normalized UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_HEX_CHARS]


def rejected_id(raw: bytes, source_path: str) -> str:
    """Id of a rejected row, from its bytes and its source path (two bad files never collide,
    and a rejected id never equals a content id of the same bytes)."""
    h = hashlib.sha256(b"rejected\x00")
    h.update(source_path.encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(raw)
    return h.hexdigest()[:ID_HEX_CHARS]


def fingerprint(raw: bytes, sidecar_raw: bytes | None = None) -> str:
    """sha256 hex of the file's bytes plus its sidecar's bytes (if any)."""
    h = hashlib.sha256(raw)
    if sidecar_raw is not None:
        h.update(b"\x00sidecar\x00")
        h.update(sidecar_raw)
    return h.hexdigest()
