"""What is not a count: ages, durations, dates, times, distances, measures, money, percentages,
ratios, labels, abstract things, narrative singulars and negations."""

from __future__ import annotations

import pytest

from pipeline.extraction import extract_figures


def kinds(text: str) -> dict[str, str]:
    return {f.mention: f.kind for f in extract_figures(text)}


@pytest.mark.parametrize(
    ("text", "mention", "kind"),
    [
        ("Amal Mohammed al-Soussi, 22, arrived in the desert.", "22", "age"),
        ("Sham Kumar, 54, lost his home.", "54", "age"),
        ("A six-year-old boy was rushed to a clinic.", "six", "age"),
        ("The 60-year-old man is missing.", "60", "age"),
        ("Two children, aged 5 and 7, drowned.", "5", "age"),
        ("Two children, aged 5 and 7, drowned.", "7", "age"),
        ("Children under five are at risk.", "five", "age"),
        ("Syria's eight-year civil war goes on.", "eight", "duration"),
        ("In the last two weeks, thousands fled.", "two", "duration"),
        ("She was held for 45 days.", "45", "duration"),
        ("They prayed a five-second prayer.", "five", "duration"),
        ("The battle is now more than four-year-old.", "more than four", "age"),
        ("The rains started at 2 a.m. on Saturday.", "2", "date"),
        ("The floods struck on 18 June.", "18", "date"),
        ("The storm hit on Feb. 15 at dawn.", "15", "date"),
        ("He was killed during the battle for Raqqa in 2017.", "2017", "date"),
        ("The 2015-16 budget was cut.", "2015-16", "date"),
        ("Storms from 18 to 22 June 2014 affected nine provinces.", "from 18 to 22", "date"),
        ("Storms from 18 to 22 June 2014 affected nine provinces.", "2014", "date"),
        ("A berm about 300 yards from the first position.", "about 300", "distance"),
        ("One of them was just 3 feet long.", "3", "distance"),
        ("The village lies 3.5km (2 miles) away.", "2", "distance"),
        ("Rainfall hit 186 mm by noon.", "186", "distance"),
        ("The government pledged US$ 20 million in aid.", "20 million", "money"),
        ("It cost 5,000 dollars.", "5,000", "money"),
        ("Prices rose 70 percent.", "70", "percent"),
        ("Prices rose 12% in a month.", "12", "percent"),
    ],
)
def test_non_counts_get_their_kind(text: str, mention: str, kind: str) -> None:
    assert kinds(text).get(mention) == kind


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("One man carried a crutch.", "One"),
        ("He was ordered to sit behind one of two orange lines.", "two"),
        ("Three reports issued last year estimated the group's size.", "Three"),
        ("She was surrendering for the second time.", "second"),
        ("One of the women turned herself in.", "One"),
        ("No one was killed in the blast.", "one"),
        ("The families live in Square 5 near the market.", "5"),
        ("Three in 10 children are malnourished.", "Three"),
        ("Chapter 11 of the report lists the cases.", "11"),
        ("Some 42,000 hectares of crops were destroyed.", "Some 42,000"),
        ("The 1951 Refugee Convention still applies.", "1951"),
        ("The UN Security Council voted 13-0 with 2 abstentions.", "2"),
        ("A woman in her 20s made it to the processing point.", "20s"),
        ("The site is 8746566.html on the web.", "8746566"),
    ],
)
def test_not_counts(text: str, mention: str) -> None:
    assert all(f.kind != "count" for f in extract_figures(text) if f.mention == mention)


def test_non_counts_have_no_category() -> None:
    for f in extract_figures("Amal, 22, fled 300 yards in two weeks at 2 a.m. in 2019 for $5."):
        if f.kind != "count":
            assert f.category is None and f.unit is None
