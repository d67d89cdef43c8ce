"""Every figure of the project's two sample texts, and nothing that is not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.contract import DocumentContext
from pipeline.extraction import extract_figures

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AP = "ap-children-flee-islamic-state.txt"
NYT = "nyt-desperate-exodus-from-isis-final-village.txt"

# (mention, start of the context that locates it, value, low, high, qualifier, category, unit)
AP_FIGURES = [
    ("hundreds", "hundreds of men", 200, 200, 999, "vague", "evacuees", "men, women and children"),
    ("Some 300", "Some 300 IS", 300, None, None, "approximate", "fighters", "militants"),
    (
        "several hundred",
        "several hundred civilians",
        300,
        300,
        999,
        "vague",
        "civilians",
        "civilians",
    ),
    ("at least 22", "at least 22 trucks", 22, 22, None, "at_least", "vehicles", "trucks"),
    ("nearly 20,000", "nearly 20,000 have", 20_000, None, None, "approximate", "evacuees", None),
]
NYT_FIGURES = [
    ("Several", "Several of the escapees", 3, 3, 9, "vague", "injured", "escapees"),
    ("thousands", "thousands of people", 2_000, 2_000, 9_999, "vague", "evacuees", "people"),
    ("three", "three villages", 3, None, None, "exact", "places", "villages"),
    ("two", "two to just", 2, None, None, "exact", "places", None),
    ("one", "just one.", 1, None, None, "exact", "places", None),
    (
        "some 40,000",
        "some 40,000 recruits",
        40_000,
        None,
        None,
        "approximate",
        "recruits",
        "recruits",
    ),
    ("100", "100 countries", 100, None, None, "exact", "places", "countries"),
    ("several", "several detention camps", 3, 3, 9, "vague", "places", "detention camps"),
    ("three", "three US officials", 3, None, None, "exact", "people", "officials"),
    ("two", "two militia commanders", 2, None, None, "exact", "troops", "commanders"),
    ("several dozen", "several dozen of", 36, 36, 99, "vague", "detainees", "troops"),
    ("16", "16 of its", 16, None, None, "exact", "places", "provinces"),
    ("35", '35 "provinces"', 35, None, None, "exact", "places", "provinces"),
    (
        "between 20,000 and 30,000",
        "between 20,000 and 30,000 fighters",
        20_000,
        20_000,
        30_000,
        "range",
        "fighters",
        "fighters",
    ),
    ("two", "two toddlers", 2, None, None, "exact", "people", "toddlers"),
    ("dozens", "dozens of other ISIS wives", 24, 24, 99, "vague", "people", "wives"),
]


def counts(name: str) -> list:
    text = (SEEDS / name).read_text(encoding="utf-8")
    return text, [f for f in extract_figures(text, DocumentContext()) if f.kind == "count"]


@pytest.mark.parametrize(("name", "expected"), [(AP, AP_FIGURES), (NYT, NYT_FIGURES)])
def test_every_seed_figure(name: str, expected: list) -> None:
    text, figures = counts(name)
    got = {}
    for f in figures:
        got[f.start_char] = f
    for mention, context, value, low, high, qualifier, category, unit in expected:
        start = text.index(context) + context.index(mention)
        assert start in got, f"missed {mention!r} in {context!r}"
        f = got[start]
        assert (f.mention, f.value, f.value_low, f.value_high, f.qualifier, f.category, f.unit) == (
            mention,
            value,
            low,
            high,
            qualifier,
            category,
            unit,
        ), context


@pytest.mark.parametrize(("name", "expected"), [(AP, AP_FIGURES), (NYT, NYT_FIGURES)])
def test_no_other_counts_in_the_seeds(name: str, expected: list) -> None:
    text, figures = counts(name)
    wanted = {text.index(c) + c.index(m) for m, c, *_ in expected}
    extra = [(f.mention, f.sentence[:60]) for f in figures if f.start_char not in wanted]
    assert extra == []


def test_seed_non_counts() -> None:
    text = (SEEDS / NYT).read_text(encoding="utf-8")
    kinds = {(f.mention, f.kind) for f in extract_figures(text) if f.kind != "count"}
    for expected in [("22", "age"), ("six", "age"), ("about 300", "distance"), ("3", "distance")]:
        assert expected in kinds
