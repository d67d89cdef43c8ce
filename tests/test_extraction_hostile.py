"""Hostile inputs finish, and in time that grows with their size, not faster."""

from __future__ import annotations

import time

import pytest

from pipeline.extraction import extract_figures

HOSTILE = {
    "digits": lambda n: "7" * n,
    "no spaces or stops": lambda n: "ab" * (n // 2),
    "repeated qualifiers": lambda n: "at least about nearly some " * (n // 27) + "5 people",
    "commas": lambda n: "," * n,
    "full stops": lambda n: "." * n,
    "number words": lambda n: "one two three " * (n // 14),
    "figures on one line": lambda n: "12 people fled, " * (n // 16),
    "vague quantities": lambda n: "hundreds of thousands of " * (n // 25),
    "hyphens and digits": lambda n: "1-" * (n // 2),
    "spaced digits": lambda n: "1 000 " * (n // 6),
    "two-digit groups": lambda n: "1" + ",00" * (n // 3),
    "open brackets": lambda n: "(" * n + "5 people",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_completes(name: str) -> None:
    text = HOSTILE[name](20_000)
    figures = extract_figures(text)
    for f in figures:
        assert text[f.start_char : f.end_char] == f.mention


@pytest.mark.parametrize(
    "name", ["digits", "full stops", "repeated qualifiers", "figures on one line"]
)
def test_hostile_time_grows_linearly(name: str) -> None:
    texts = {n: HOSTILE[name](n) for n in (10_000, 40_000)}
    best = {n: float("inf") for n in texts}
    extract_figures(HOSTILE[name](1_000))  # warm the caches the first call fills
    # CPU time of this process, the best of three, the sizes taking turns: another process
    # (a parallel test worker) busy on the same cores neither adds to it nor favours a size.
    for _ in range(3):
        for n, text in texts.items():
            start = time.process_time()
            extract_figures(text)
            best[n] = min(best[n], time.process_time() - start)
    small, large = best[10_000], best[40_000]
    assert large < 4 * max(small, 0.002) * 3  # 4x the input; generous for a shared machine


def test_empty_and_blank_texts() -> None:
    assert extract_figures("") == []
    assert extract_figures("   \n\n ") == []
