"""The extractor end to end: place and date from the resolvers, offsets through invisible
marks, document order, and the dev corpus's texts read without error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.contract import CATEGORIES, KINDS, QUALIFIERS, DocumentContext, Figure
from pipeline.extraction import extract_figures

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def test_counts_carry_place_and_date() -> None:
    text = "Floods in Somalia: 3,000 families fled their homes on 3 May."
    context = DocumentContext(published_date=date(2023, 5, 10))
    (f,) = [f for f in extract_figures(text, context) if f.kind == "count"]
    assert (f.mention, f.category) == ("3,000", "households")
    assert f.location == "Somalia"
    assert f.extras["location_iso3"] == "SOM"
    assert f.event_date == date(2023, 5, 3)


def test_extract_without_context() -> None:
    (f,) = extract_figures("Floods killed 12 people.")
    assert isinstance(f, Figure) and f.category == "killed"
    assert "location_iso3" in f.extras


def test_offsets_survive_soft_hyphens() -> None:
    text = "Nearly 1.2 millio\u00adn people are now stayin\u00adg in camps."
    (f,) = extract_figures(text)
    assert f.mention == "Nearly 1.2 millio\u00adn"
    assert text[f.start_char : f.end_char] == f.mention
    assert (f.value, f.qualifier, f.category) == (1_200_000, "approximate", "displaced")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deaths: 12. Injured: 30.", [("12", "killed"), ("30", "injured")]),
        ("Displaced persons: 5,000", [("5,000", "displaced")]),
        ("Over 500,000 people have crossed into Poland.", [("Over 500,000", "evacuees")]),
        ("Violence has uprooted 2.7 million people.", [("2.7 million", "displaced")]),
        ("Rescuers recovered the bodies of 14 miners.", [("14", "killed")]),
        ("Some 1.5m Syrians live in Lebanon.", [("Some 1.5m", "people")]),
        (
            "The hostages were 12 adults and five children.",
            [("12", "detainees"), ("five", "detainees")],
        ),
        (
            "Rebels abducted 27 students and two teachers; five were later released.",
            [("27", "detainees"), ("two", "detainees"), ("five", "detainees")],
        ),
        (
            "It affected 200,000 people, of whom 50,000 are displaced.",
            [("200,000", "people"), ("50,000", "displaced")],
        ),
    ],
)
def test_more_news_grammar(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(f.mention, f.category) for f in extract_figures(text) if f.kind == "count"]
    assert got == expected


@pytest.mark.skipif(not DEV.exists(), reason="dev corpus not available")
def test_dev_corpus_rows_follow_the_contract() -> None:
    for path in sorted(DEV.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        figures = extract_figures(text)
        assert [f.start_char for f in figures] == sorted(f.start_char for f in figures)
        for f in figures:
            assert text[f.start_char : f.end_char] == f.mention
            assert f.kind in KINDS and f.qualifier in QUALIFIERS
            assert f.category in CATEGORIES if f.kind == "count" else f.category is None
            if f.qualifier == "range":
                assert f.value == f.value_low < f.value_high
            if f.qualifier == "at_least":
                assert f.value_low == f.value and f.value_high is None
            if f.qualifier == "at_most":
                assert f.value_high == f.value and f.value_low is None
