"""Number forms: digits with separators, decimals with scale words, number words, fractions of
scale words and vague quantities, read by `pipeline.extraction.numbers`."""

from __future__ import annotations

import pytest

from pipeline.extraction.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("22", 22),
        ("20,000", 20_000),
        ("3,343", 3_343),
        ("10 000", 10_000),
        ("2 000", 2_000),
        ("1,250,000", 1_250_000),
        ("5,00,000", 500_000),  # Indian grouping
        ("1,23,45,678", 12_345_678),
        ("3.5 million", 3_500_000),
        ("1.2m", 1_200_000),
        ("3bn", 3_000_000_000),
        ("2.3 lakh", 230_000),
        ("20 thousand", 20_000),
        ("18 million", 18_000_000),
        ("three", 3),
        ("Seven", 7),
        ("twenty-two", 22),
        ("Fifty-three", 53),
        ("a dozen", 12),
        ("a hundred", 100),
        ("Hundred", 100),
        ("one hundred and fifty", 150),
        ("two million", 2_000_000),
        ("four thousand", 4_000),
        ("five hundred thousand", 500_000),
        ("a million", 1_000_000),
        ("half a million", 500_000),
        ("a quarter of a million", 250_000),
        ("three quarters of a million", 750_000),
    ],
)
def test_number_forms(expression: str, value: int) -> None:
    assert parse_number(expression) == value


@pytest.mark.parametrize(
    ("text", "mention", "low", "high"),
    [
        ("hundreds of people", "hundreds", 200, 999),
        ("several hundred civilians", "several hundred", 300, 999),
        ("dozens of families", "dozens", 24, 99),
        ("several dozen troops", "several dozen", 36, 99),
        ("scores of villages", "scores", 40, 99),
        ("thousands fled", "thousands", 2_000, 9_999),
        ("several thousand people", "several thousand", 3_000, 9_999),
        ("tens of thousands of people", "tens of thousands", 20_000, 99_999),
        ("hundreds of thousands of people", "hundreds of thousands", 200_000, 999_999),
        ("millions of children", "millions", 2_000_000, 9_999_999),
        ("a few houses", "a few", 2, 9),
        ("a handful of soldiers", "a handful", 2, 9),
        ("several villages", "several", 3, 9),
    ],
)
def test_vague_quantities(text: str, mention: str, low: int, high: int) -> None:
    (core,) = list(find_numbers(text))
    assert text[core.start : core.end] == mention
    assert (core.value, core.low, core.high, core.form) == (low, low, high, "vague")


@pytest.mark.parametrize(
    "text",
    [
        "scores",  # "scores" is a quantity only with "of"
        "COVID-19",
        "Sh4.48Billion",
        "3.5km",
        "someone often attends",
        "7" * 40,  # longer than any figure
    ],
)
def test_not_numbers(text: str) -> None:
    assert list(find_numbers(text)) == []


def test_number_word_sequences_stop_where_grammar_does() -> None:
    cores = list(find_numbers("one two"))
    assert [c.value for c in cores] == [1]


def test_digits_followed_by_scale_word_are_one_core() -> None:
    cores = list(find_numbers("3 hundred families"))
    assert [(c.value, c.start, c.end) for c in cores] == [(300, 0, 9)]
