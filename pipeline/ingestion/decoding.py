"""Turning raw bytes into text, or saying why they are not text.

Order: byte-order marks (UTF-32, UTF-8, UTF-16), known binary signatures, NUL bytes, strict
UTF-8, then a single-byte fallback (cp1252, or Latin-1 when no byte is in 0x80-0x9F) only when
the bytes look like text. The encoding used is returned with the text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .tables import (
    BINARY_SIGNATURES,
    LATIN1_MAX_HIGH_BYTE_SHARE,
    LATIN1_MIN_PLAUSIBLE_SHARE,
    LATIN1_PLAUSIBLE_SYMBOLS,
    MAX_CONTROL_CHAR_SHARE,
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Unicode category Cc (C0, DEL, C1) except tab, newline, vertical tab, form feed, return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
# Non-ASCII characters that are neither letters nor common typographic symbols.
_IMPLAUSIBLE = re.compile(
    r"[^\x00-\x7f\w" + "".join(re.escape(ch) for ch in sorted(LATIN1_PLAUSIBLE_SYMBOLS)) + "]"
)
_C1_BYTES = bytes(range(0x80, 0xA0))


@dataclass(frozen=True)
class Decoded:
    """Either `text` with the `encoding` used, or the `reject_reason`."""

    text: str | None
    encoding: str | None
    reject_reason: str | None = None


def _binary_signature(raw: bytes) -> str | None:
    for magic, name in BINARY_SIGNATURES:
        if raw.startswith(magic):
            return name
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def _check_text(text: str, encoding: str) -> Decoded:
    if "\x00" in text:
        return Decoded(None, None, f"binary: NUL characters in text decoded as {encoding}")
    share = _control_share(text)
    if share > MAX_CONTROL_CHAR_SHARE:
        return Decoded(
            None, None, f"binary: {share:.0%} control characters in text decoded as {encoding}"
        )
    return Decoded(text, encoding)


def _single_byte(raw: bytes) -> Decoded:
    """cp1252 / Latin-1 fallback, only when the bytes look like text in such an encoding."""
    high = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    if high / len(raw) > LATIN1_MAX_HIGH_BYTE_SHARE:
        return Decoded(
            None,
            None,
            "not decodable as text: not UTF-8, and too many bytes >= 0x80 "
            f"({high} of {len(raw)}) for a Latin-1/cp1252 text",
        )
    uses_c1 = len(raw.translate(None, _C1_BYTES)) != len(raw)
    encoding = "cp1252" if uses_c1 else "latin-1"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return Decoded(
            None,
            None,
            f"not decodable as text: not UTF-8, and byte 0x{raw[exc.start]:02x} "
            f"at offset {exc.start} is undefined in cp1252",
        )
    implausible = len(_IMPLAUSIBLE.findall(text))
    if high and (high - implausible) / high < LATIN1_MIN_PLAUSIBLE_SHARE:
        return Decoded(
            None,
            None,
            "not decodable as text: not UTF-8, and its bytes >= 0x80 do "
            "not read as letters in Latin-1/cp1252",
        )
    return _check_text(text, encoding)


def decode_bytes(raw: bytes) -> Decoded:
    """Decode `raw` as text, or give the reason it is not text. Never raises."""
    if not raw:
        return Decoded("", "utf-8")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return _check_text(raw.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return Decoded(
                    None,
                    None,
                    f"not decodable as text: starts with a {encoding} "
                    f"byte-order mark but is not valid {encoding} ({exc.reason} "
                    f"at byte {exc.start})",
                )
    signature = _binary_signature(raw)
    if signature:
        return Decoded(None, None, f"binary: {signature}")
    if b"\x00" in raw:
        return Decoded(None, None, "binary: contains NUL bytes (and no UTF-16/32 byte-order mark)")
    try:
        return _check_text(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _single_byte(raw)
