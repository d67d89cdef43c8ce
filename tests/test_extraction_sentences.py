"""Sentence splitting with offsets: lines stand alone, abbreviations do not end sentences."""

from __future__ import annotations

from pipeline.extraction.sentences import MAX_SENTENCE, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_headline_and_short_lines_are_sentences() -> None:
    text = "Floods kill 12 in Kenya\n\nBy Jane Doe\nNAIROBI - Floods killed 12. Police said so."
    assert sentences(text) == [
        "Floods kill 12 in Kenya",
        "By Jane Doe",
        "NAIROBI - Floods killed 12.",
        "Police said so.",
    ]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "The U.S. Gov. Smith said on Feb. 2 that 300 fled. Dr. Ali agreed. Then it rained."
    assert sentences(text) == [
        "The U.S. Gov. Smith said on Feb. 2 that 300 fled.",
        "Dr. Ali agreed.",
        "Then it rained.",
    ]


def test_quotes_and_digits_may_open_a_sentence() -> None:
    text = 'He said "Yes." 12 people died. "We fled," she said.'
    assert sentences(text) == ['He said "Yes."', "12 people died.", '"We fled," she said.']


def test_overlong_runs_are_cut() -> None:
    text = "word " * 2_000
    spans = split_sentences(text)
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    assert spans[0][0] == 0
