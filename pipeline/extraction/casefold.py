"""Lower-casing that agrees with the patterns' IGNORECASE matching.

Python's `re` with IGNORECASE also matches four non-ASCII letters to ASCII ones ("ſ" to "s",
the Kelvin sign to "k", dotted and dotless I to "i"), which `str.lower()` keeps apart. A word
found by a pattern and then looked up in a word table must be lowered with `fold`, or such a
spelling matches the pattern but misses the table."""

from __future__ import annotations

# Every character outside ASCII that an IGNORECASE pattern matches to an ASCII letter
# (tests/test_extraction_casefold.py checks the list is complete).
IGNORECASE_TWINS: dict[str, str] = {"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"}
_TWINS = str.maketrans(IGNORECASE_TWINS)


def fold(text: str) -> str:
    """`text` lower-cased, with the IGNORECASE twins of ASCII letters made ASCII."""
    return text.lower() if text.isascii() else text.translate(_TWINS).lower()
