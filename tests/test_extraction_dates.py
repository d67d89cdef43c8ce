"""Event dates: explicit, day-month without year, ranges, weekdays and other relative dates
against a published date, no published date, and hostile input."""

from __future__ import annotations

import time
from datetime import date

import pytest

from pipeline.extraction.dates import resolve_event_date

THURSDAY = date(2019, 2, 21)  # a Thursday
JUNE_23 = date(2014, 6, 23)  # FloodList's Hunan report, a Monday


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # Explicit dates resolve with or without a published date.
        ("Deadly floods struck on 11 May 2015 in southern China.", None, date(2015, 5, 11)),
        ("Photo taken on May 10, 2014 shows flooded farmland.", None, date(2014, 5, 10)),
        (
            "American-backed fighters on a rooftop near the village of Baghuz on Feb 2, 2019.",
            None,
            date(2019, 2, 2),
        ),
        ("The 22nd of June, 2014 was the worst day.", None, date(2014, 6, 22)),
        ("Sept. 3, 2019: 40 houses collapsed.", None, date(2019, 9, 3)),
        ("The report dated 2019-02-20 counted 300.", None, date(2019, 2, 20)),
        ("Over 100 People Died in Natural Disasters in May 2015", None, date(2015, 5, 1)),
        ("Since 2011, 300 people have died.", None, date(2011, 1, 1)),
        # Ranges give their first day; the year of "18 June to 2 July 2014" stands at its end.
        (
            "The storms and heavy rainfall from 18 to 22 June 2014 affected nine provinces.",
            None,
            date(2014, 6, 18),
        ),
        ("Rains fell June 18-22, 2014.", None, date(2014, 6, 18)),
        ("Rains fell from 18 June to 2 July 2014.", None, date(2014, 6, 18)),
        ("Rains fell from 28 December to 3 January 2015.", None, date(2014, 12, 28)),
        # All-numeric dates only when unambiguous.
        ("On 13/5/2019, 20 people died.", None, date(2019, 5, 13)),
        ("On 5/13/2019, 20 people died.", None, date(2019, 5, 13)),
        ("On 5/3/2019, 20 people died.", THURSDAY, None),
        # A day and month without a year take the published year, or the nearer neighbour.
        ("The river peaked on June 22.", JUNE_23, date(2014, 6, 22)),
        (
            "JINGGU, Yunnan, Oct. 8 (Xinhua) -- A vigil was held.",
            date(2014, 10, 8),
            date(2014, 10, 8),
        ),
        ("The fire started on December 28.", date(2015, 1, 3), date(2014, 12, 28)),
        ("The river peaked on June 22.", None, None),
        # Weekdays: the most recent such day on or before the published date.
        ("A convoy left the enclave on Wednesday.", THURSDAY, date(2019, 2, 20)),
        ("Officials counted 30 on Thursday.", THURSDAY, THURSDAY),
        ("Officials counted 30 on Friday.", THURSDAY, date(2019, 2, 15)),
        ("Officials counted 30 last Thursday.", THURSDAY, date(2019, 2, 14)),
        ("Officials will count again next Monday.", THURSDAY, date(2019, 2, 25)),
        ("A convoy left the enclave on Wednesday.", None, None),
        # Relative days and periods (periods give their first day).
        ("Yesterday 12 more bodies were found.", THURSDAY, date(2019, 2, 20)),
        ("Twelve more bodies were found today.", THURSDAY, THURSDAY),
        ("Twelve more bodies were found last night.", THURSDAY, date(2019, 2, 20)),
        ("Two weeks ago, 300 families fled.", THURSDAY, date(2019, 2, 7)),
        (
            "In the last two weeks, thousands of people have streamed out.",
            THURSDAY,
            date(2019, 2, 7),
        ),
        ("Last week 30 people died.", THURSDAY, date(2019, 2, 11)),
        ("Earlier this week 30 people died.", THURSDAY, date(2019, 2, 18)),
        ("The storms hit last month.", THURSDAY, date(2019, 1, 1)),
        (
            "In the last month, the group went from three villages to one.",
            THURSDAY,
            date(2019, 1, 21),
        ),
        ("Earlier this month, 20 died.", THURSDAY, date(2019, 2, 1)),
        ("Last year 1,000 homes were destroyed.", THURSDAY, date(2018, 1, 1)),
        ("Over the weekend, 40 homes burned.", THURSDAY, date(2019, 2, 16)),
        ("Yesterday 12 more bodies were found.", None, None),
        ("The storms hit last month.", None, None),
        # A month alone: the most recent such month on or before the published month.
        ("In June, 40 people died.", JUNE_23, date(2014, 6, 1)),
        ("In July, 40 people died.", JUNE_23, date(2013, 7, 1)),
        ("Last June, 40 people died.", JUNE_23, date(2013, 6, 1)),
        ("In June, 40 people died.", None, None),
        # A reporting verb's date yields to the event's date; precision decides next.
        (
            "Yesterday the Chinese government said that the storms from 18 to 22 June 2014 "
            "affected nine provinces.",
            JUNE_23,
            date(2014, 6, 18),
        ),
        (
            "Officials said on Thursday that 27 people had died on Tuesday.",
            THURSDAY,
            date(2019, 2, 19),
        ),
        ("Officials said on Thursday that 27 people had died.", THURSDAY, THURSDAY),
        # No date at all, or words that only look like one.
        ("Some 300 IS militants are believed to be holed up in the enclave.", THURSDAY, None),
        ("The statement of Jan Egeland was read out.", THURSDAY, None),
        ("It may take 20 days to rebuild 2000 homes.", THURSDAY, None),
        ("The 2011 war displaced millions.", THURSDAY, None),
        ("Floods hit on 31 February 2019.", None, None),
    ],
)
def test_resolve_event_date(sentence: str, published: date | None, expected: date | None) -> None:
    assert resolve_event_date(sentence, published) == expected


def test_ap_seed_wednesday_without_published_date() -> None:
    sentence = (
        "BAGHOUZ, Syria — A convoy of trucks carrying hundreds of men, women and children left "
        "the last enclave held by Islamic State militants in eastern Syria on Wednesday, "
        "signaling a possible end to a standoff that has lasted for more than a week."
    )
    assert resolve_event_date(sentence, None) is None
    assert resolve_event_date(sentence, THURSDAY) == date(2019, 2, 20)


def test_deterministic_and_cached() -> None:
    sentence = "A convoy left the enclave on Wednesday."
    first = resolve_event_date(sentence, THURSDAY)
    assert all(resolve_event_date(sentence, THURSDAY) == first for _ in range(3))


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 1_000_000,
        "1" * 1_000_000,
        "1 " * 500_000,
        "May " * 250_000,
        "June 1 to " * 100_000,
        "Monday " * 150_000,
        "last week " * 100_000,
        "1/1/" * 250_000,
        " " * 1_000_000 + "1",
    ],
)
def test_hostile_input_finishes(hostile: str) -> None:
    started = time.process_time()
    resolve_event_date(hostile, THURSDAY)
    assert time.process_time() - started < 5.0
