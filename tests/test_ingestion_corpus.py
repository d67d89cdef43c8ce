"""The dev corpus read end to end: every gold context must still be found in the stored text
(captions and promotional lines removed, nothing else), and headlines match the sidecars."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.ingestion import ingest_folder, parse_header

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"
TOOLS = DEV.parent.parent / "tools"

pytestmark = pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason="no dev corpus")


@pytest.fixture(scope="module")
def dev_docs():
    return {d.source_path: d for d in ingest_folder(DEV) if d.status == "ok"}


def test_every_gold_context_is_in_the_stored_text(dev_docs):
    sys.path.insert(0, str(TOOLS))
    try:
        from score_figures import locate
    finally:
        sys.path.remove(str(TOOLS))
    missing = []
    for line in (DEV / "gold.jsonl").read_text().splitlines():
        g = json.loads(line)
        if locate(dev_docs[g["doc"]].text, g["context"], g["mention"]) is None:
            missing.append((g["doc"], g["context"]))
    assert not missing


def test_headlines_read_from_text_match_sidecar_titles(dev_docs):
    for path, doc in dev_docs.items():
        sidecar = DEV / (path[: -len(".txt")] + ".meta.json")
        if sidecar.exists():
            expected = json.loads(sidecar.read_text()).get("title")
            assert parse_header(doc.text).title == expected, path
