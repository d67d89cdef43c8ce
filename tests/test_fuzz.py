"""Fuzzing ingestion and extraction with Hypothesis: random bytes and number-heavy texts never
crash or hang them (a deadline per example), and every figure's offsets point at its mention
(`text[start_char:end_char] == mention`), also on the text ingestion stores."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contract import DocumentContext
from pipeline.extraction import extract_figures
from pipeline.ingestion import document_from_bytes

# A deadline per example: a regular expression that backtracks badly shows up as a failure.
FUZZ = settings(
    max_examples=150,
    deadline=2_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

EXTENSIONS = st.sampled_from(["txt", "md", "html", "htm", "json", "jsonl", "csv", "", "bin"])
TOKENS = [
    "300", "22", "1,200", "20,000", "3.5", "1.2 million", "2,082", "0", "007", "12,34,567",
    "twenty-two", "a dozen", "dozens", "hundreds", "several thousand", "tens of thousands",
    "hundreds of thousands", "one", "No one", "a few", "scores",
    "some", "about", "at least", "more than", "up to", "between", "and", "to", "-", "–", "—",
    "people", "families", "civilians", "militants", "trucks", "villages", "killed", "fled",
    "displaced", "were", "evacuated", "in", "Aleppo", "Syria", "on", "Monday", "March 3, 2019",
    "%", "$", "km", "year-old", "per cent", ".", ",", ";", ":", "\n", "\n\n", " ", "  ", "\t",
    '"', "“", "”", "(", ")", "'", "’", "\u00a0", "\u200b", "\ufeff", "é", "٣", "３", "🙂",
]  # fmt: skip
NEWS_LIKE = st.lists(st.sampled_from(TOKENS), max_size=80).map(" ".join)
ANY_TEXT = st.one_of(NEWS_LIKE, st.text(max_size=400), NEWS_LIKE.map(lambda t: t.replace(" ", "")))
CONTEXTS = st.builds(
    DocumentContext,
    published_date=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))),
    dateline=st.one_of(st.none(), st.sampled_from(["BAGHOUZ, Syria", "ALEPPO", ""])),
    title=st.one_of(st.none(), NEWS_LIKE),
)


def assert_offsets_hold(text: str, context: DocumentContext | None = None) -> None:
    figures = extract_figures(text, context) if context is not None else extract_figures(text)
    for figure in figures:
        assert 0 <= figure.start_char < figure.end_char <= len(text), figure
        assert text[figure.start_char : figure.end_char] == figure.mention, figure


@FUZZ
@given(raw=st.binary(max_size=4_000), extension=EXTENSIONS)
def test_ingestion_never_raises_on_random_bytes(raw: bytes, extension: str):
    document = document_from_bytes(raw, f"fuzz.{extension}" if extension else "fuzz")
    assert document.status in {"ok", "rejected"}
    if document.status == "ok":
        assert document.text and document.text.strip()
    else:
        assert document.reject_reason and document.reject_reason.strip()


@FUZZ
@given(text=ANY_TEXT, extension=EXTENSIONS, encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_ingested_text_extracts_with_true_offsets(text: str, extension: str, encoding: str):
    raw = text.encode(encoding, errors="surrogatepass")
    document = document_from_bytes(raw, f"fuzz.{extension}" if extension else "fuzz")
    if document.status == "ok":
        assert_offsets_hold(document.text)


@FUZZ
@given(text=ANY_TEXT)
def test_extraction_offsets_point_at_the_mention(text: str):
    assert_offsets_hold(text)


@FUZZ
@given(text=NEWS_LIKE, context=CONTEXTS)
def test_extraction_with_context_never_raises(text: str, context: DocumentContext):
    assert_offsets_hold(text, context)


@settings(max_examples=20, deadline=5_000, derandomize=True)
@given(token=st.sampled_from(TOKENS), repeat=st.integers(1_000, 5_000))
def test_repeated_tokens_stay_fast(token: str, repeat: int):
    """Long runs of one token (a classic trigger of catastrophic backtracking)."""
    assert_offsets_hold((token + " ") * repeat)
    assert_offsets_hold(token * repeat)
