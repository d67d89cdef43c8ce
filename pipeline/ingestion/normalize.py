"""Normalization of the stored body text (all figure offsets refer to its result): newlines to
"\\n", invisible formatting characters removed, Unicode NFC, trailing spaces stripped per line,
runs of blank lines collapsed to one blank line, the whole stripped. Linear time."""

from __future__ import annotations

import re
import unicodedata

from .tables import EXTRA_LINE_BREAKS, INVISIBLE_CHARS

_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """The canonical form of a document text (idempotent)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in EXTRA_LINE_BREAKS:  # str.replace is much faster than str.translate here
        if ch in text:
            text = text.replace(ch, "\n")
    for ch in INVISIBLE_CHARS:
        if ch in text:
            text = text.replace(ch, "")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip()
