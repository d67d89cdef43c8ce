"""Property tests: any bytes under any name give exactly one row, never an exception; the
stored text is a fixed point of normalization."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingestion import IngestedDocument, document_from_bytes, normalize_text

NAMES = st.sampled_from(["a.txt", "b.md", "c.html", "d.json", "e.jsonl", "f", "g.bin", ".x"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=2_000), name=NAMES)
def test_random_bytes_always_give_a_row(raw, name):
    doc = document_from_bytes(raw, name)
    assert isinstance(doc, IngestedDocument)
    assert doc.status in ("ok", "rejected")
    assert len(doc.document_id) == 16 and len(doc.source_fingerprint) == 64
    if doc.status == "ok":
        assert doc.text and doc.reject_reason is None
        assert normalize_text(doc.text) == doc.text
        doc.text.encode("utf-8")
    else:
        assert doc.reject_reason and doc.text is None


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=500), name=NAMES)
def test_random_text_always_gives_a_row(text, name):
    doc = document_from_bytes(text.encode("utf-8", "surrogatepass"), name)
    assert doc.status in ("ok", "rejected")
    if doc.status == "ok":
        assert normalize_text(doc.text) == doc.text
