"""Qualifiers and ranges: the mention takes in the qualifier words, values follow the contract."""

from __future__ import annotations

import pytest

from pipeline.extraction import extract_figures


def only_figure(text: str):
    counts = [f for f in extract_figures(text) if f.kind == "count"]
    assert len(counts) == 1, [(f.mention, f.kind) for f in extract_figures(text)]
    return counts[0]


@pytest.mark.parametrize(
    ("text", "mention", "qualifier", "value", "low", "high"),
    [
        ("Some 300 people fled.", "Some 300", "approximate", 300, None, None),
        ("about 300 people fled", "about 300", "approximate", 300, None, None),
        ("around 300 people fled", "around 300", "approximate", 300, None, None),
        ("roughly 300 people fled", "roughly 300", "approximate", 300, None, None),
        (
            "approximately 500 homes were destroyed",
            "approximately 500",
            "approximate",
            500,
            None,
            None,
        ),
        (
            "an estimated 20,000 people fled",
            "an estimated 20,000",
            "approximate",
            20_000,
            None,
            None,
        ),
        ("nearly 20,000 people fled", "nearly 20,000", "approximate", 20_000, None, None),
        ("almost 70 people died", "almost 70", "approximate", 70, None, None),
        ("close to 400 families fled", "close to 400", "approximate", 400, None, None),
        (
            "some three thousand people fled",
            "some three thousand",
            "approximate",
            3_000,
            None,
            None,
        ),
        (
            "40,000 approximately were displaced",
            "40,000 approximately",
            "approximate",
            40_000,
            None,
            None,
        ),
        ("at least 22 trucks arrived", "at least 22", "at_least", 22, 22, None),
        ("more than 160 people died", "more than 160", "at_least", 160, 160, None),
        ("over 15,000 people were evacuated", "over 15,000", "at_least", 15_000, 15_000, None),
        (
            "well over 700,000 people were evacuated",
            "well over 700,000",
            "at_least",
            700_000,
            700_000,
            None,
        ),
        ("upwards of 5,000 people fled", "upwards of 5,000", "at_least", 5_000, 5_000, None),
        (
            "exceeding 7,000 families were evacuated",
            "exceeding 7,000",
            "at_least",
            7_000,
            7_000,
            None,
        ),
        ("more than a dozen villages were flooded", "more than a dozen", "at_least", 12, 12, None),
        ("Over a thousand houses collapsed.", "Over a thousand", "at_least", 1_000, 1_000, None),
        ("up to 3,000 fighters joined", "up to 3,000", "at_most", 3_000, None, 3_000),
        ("as many as 8 people died", "as many as 8", "at_most", 8, None, 8),
        ("fewer than 50 people were evacuated", "fewer than 50", "at_most", 50, None, 50),
        ("no more than 40 soldiers died", "no more than 40", "at_most", 40, None, 40),
        ("below 100 families were evacuated", "below 100", "at_most", 100, None, 100),
        (
            "between 20,000 and 30,000 fighters",
            "between 20,000 and 30,000",
            "range",
            20_000,
            20_000,
            30_000,
        ),
        ("40,000 to 50,000 people fled", "40,000 to 50,000", "range", 40_000, 40_000, 50_000),
        ("20,000-30,000 people fled", "20,000-30,000", "range", 20_000, 20_000, 30_000),
        ("from 3 to 5 villages were flooded", "from 3 to 5", "range", 3, 3, 5),
        (
            "between 2,000 to 3,000 households",
            "between 2,000 to 3,000",
            "range",
            2_000,
            2_000,
            3_000,
        ),
        ("at least 45 to 50 civilians remain", "at least 45 to 50", "range", 45, 45, 50),
        ("two or three people died", "two or three", "range", 2, 2, 3),
        (
            "between 2 and 3 million people fled",
            "between 2 and 3 million",
            "range",
            2_000_000,
            2_000_000,
            3_000_000,
        ),
        ("hundreds of people fled", "hundreds", "vague", 200, 200, 999),
        ("several dozen troops were captured", "several dozen", "vague", 36, 36, 99),
    ],
)
def test_qualifiers_and_ranges(text, mention, qualifier, value, low, high) -> None:
    f = only_figure(text)
    assert (f.mention, f.qualifier, f.value, f.value_low, f.value_high) == (
        mention,
        qualifier,
        value,
        low,
        high,
    )


def test_a_change_is_not_a_range() -> None:
    figures = extract_figures("The death toll rose from 120 to 180 on Monday.")
    assert [(f.mention, f.qualifier) for f in figures] == [("120", "exact"), ("180", "exact")]


def test_part_of_whole_gives_two_figures() -> None:
    figures = extract_figures('The group has 16 of its 35 "provinces" outside Iraq and Syria.')
    assert [(f.mention, f.value, f.category, f.unit) for f in figures] == [
        ("16", 16, "places", "provinces"),
        ("35", 35, "places", "provinces"),
    ]


def test_total_with_breakdown_gives_every_figure() -> None:
    text = "14 dead: seven in Hunan, five in Jiangxi and two in Guangxi."
    figures = extract_figures(text)
    assert [(f.mention, f.value, f.category) for f in figures] == [
        ("14", 14, "killed"),
        ("seven", 7, "killed"),
        ("five", 5, "killed"),
        ("two", 2, "killed"),
    ]
