"""Letters that IGNORECASE patterns match to ASCII ones ("ſ", the Kelvin sign, dotted and
dotless I) are folded the same way before word-table lookups: no crash, same reading."""

from __future__ import annotations

import re

import pytest

from pipeline.extraction import extract_figures
from pipeline.extraction.casefold import IGNORECASE_TWINS, fold


def test_the_twin_table_is_complete():
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {
        chr(cp) for cp in range(0x80, 0x110000) if cp < 0xD800 or cp > 0xDFFF
        if letter.fullmatch(chr(cp))
    }  # fmt: skip
    assert found == set(IGNORECASE_TWINS)
    for twin, ascii_letter in IGNORECASE_TWINS.items():
        assert re.fullmatch(ascii_letter, twin, re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thousands", "thousands"),
        ("thouſands", "thousands"),
        ("\u212aILLED", "killed"),
        ("İN DECEMBER", "in december"),
        ("Şehir", "şehir"),  # not a twin: lowered only
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        ("tens of thouſands of people fled", "tens of thouſands", 20_000),
        ("Some 300 people fled last ſunday.", "Some 300", 300),
        ("twenty-two people died on 3 Auguſt 2019.", "twenty-two", 22),
        ("more than 500 people were evacuated, offİcials said", "more than 500", 500),
    ],
)
def test_twin_letters_read_like_their_ascii_letters(text, mention, value):
    figures = [f for f in extract_figures(text) if f.kind == "count"]
    assert [(f.mention, f.value) for f in figures] == [(mention, value)]
    assert all(text[f.start_char : f.end_char] == f.mention for f in figures)


@pytest.mark.parametrize(
    "text",
    [
        "tens of millionſ",
        "hundredſ of thouſands",
        "\u212a",
        "ſince Decemᏼer",
        "ıı 3 ſ",
        "ſome 300 people fled.",
        "at leaſt 40 people were killed",
    ],
)
def test_no_crash_on_twin_letters(text):
    for figure in extract_figures(text):
        assert text[figure.start_char : figure.end_char] == figure.mention
