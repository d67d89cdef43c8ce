"""Property-based tests: numbers written in digits or in English words parse back to
themselves, and every figure's offsets point at its mention, on any text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extraction import extract_figures
from pipeline.extraction.numbers import parse_number

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n: int, hyphen: bool = True, use_and: bool = False) -> str:
    """English words for 0 <= n < 10**12 ("one hundred and fifty", "twenty-two")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (("-" if hyphen else " ") + ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = ONES[hundreds] + " hundred"
        if not rest:
            return head
        return head + (" and " if use_and else " ") + to_words(rest, hyphen, use_and)
    for scale, word in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            high, rest = divmod(n, scale)
            head = to_words(high, hyphen, use_and) + " " + word
            return head + (" " + to_words(rest, hyphen, use_and) if rest else "")
    raise ValueError(n)


def with_separators(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from([",", " ", ""]))
def test_digits_round_trip(n: int, sep: str) -> None:
    assert parse_number(with_separators(n, sep)) == n


@given(st.integers(min_value=1, max_value=10**12 - 1), st.booleans(), st.booleans())
def test_words_round_trip(n: int, hyphen: bool, use_and: bool) -> None:
    assert parse_number(to_words(n, hyphen, use_and)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million", "billion"]))
def test_digits_with_scale_words(n: int, scale: str) -> None:
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9}[scale]
    assert parse_number(f"{n} {scale}") == n * factor


WORDS = st.sampled_from(
    [
        "people",
        "killed",
        "fled",
        "some",
        "about",
        "at",
        "least",
        "more",
        "than",
        "300",
        "1,200",
        "3.5",
        "million",
        "twenty-two",
        "hundreds",
        "of",
        "thousands",
        "a",
        "dozen",
        "half",
        "a",
        ",",
        ".",
        ";",
        ":",
        "-",
        "—",
        "(",
        ")",
        '"',
        "'",
        "’",
        "\n",
        "\xad",
        "\u200b",
        "2019",
        "between",
        "and",
        "to",
        "families",
        "villages",
        "Mr.",
        "U.S.",
        "one",
        "no",
        "several",
        "%",
        "$",
        "km",
        "aged",
        "22-year-old",
    ]
)


# No deadline: the first call builds the place gazetteer once, which a shared machine may
# make slow.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=60), st.sampled_from([" ", "", "\n"])
)
def test_offsets_point_at_mentions(parts: list[str], glue: str) -> None:
    text = glue.join(parts)
    figures = extract_figures(text)
    for f in figures:
        assert text[f.start_char : f.end_char] == f.mention
        assert f.mention and f.mention in f.sentence
    starts = [f.start_char for f in figures]
    assert starts == sorted(starts)


@settings(deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_deterministically(text: str) -> None:
    first = [f.as_row() for f in extract_figures(text)]
    assert first == [f.as_row() for f in extract_figures(text)]
