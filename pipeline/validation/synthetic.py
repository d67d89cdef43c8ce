"""Synthetic, contract-shaped `documents` and `figures` frames for tests and timing.

`python -m pipeline.validation.synthetic [n_docs] [n_figures]` times a full validation
(import, both suites, Data Docs) in a temporary folder and prints the timings.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline import contract

_SENTENCE = "Some 300 militants and at least 22 civilians were killed; 1,500 families fled. "


def documents_frame(n_docs: int) -> pd.DataFrame:
    """`n_docs` ok documents, each text = the same sentence repeated 20 times."""
    text = _SENTENCE * 20
    frame = pd.DataFrame(
        {
            "document_id": [f"d{i:07d}" for i in range(n_docs)],
            "source_path": [f"in/{i}.txt" for i in range(n_docs)],
            "title": "A title",
            "outlet": "The Associated Press",
            "byline": None,
            "dateline": "BAGHOUZ, Syria",
            "published_date": date(2019, 3, 1),
            "text": text,
            "status": "ok",
            "reject_reason": None,
        }
    )
    return frame[list(contract.DOCUMENT_COLUMNS)]


def figures_frame(documents: pd.DataFrame, n_figures: int) -> pd.DataFrame:
    """`n_figures` valid figures spread over the documents (mention "Some 300", offsets 0..8)."""
    n_docs = len(documents)
    doc_ids = documents["document_id"].to_numpy()
    rows = range(n_figures)
    frame = pd.DataFrame(
        {
            "figure_id": [f"f{i:08d}" for i in rows],
            "document_id": [doc_ids[i % n_docs] for i in rows],
            "start_char": 0,
            "end_char": 8,
            "mention": "Some 300",
            "sentence": "Some 300 militants and at least 22 civilians were killed;",
            "kind": "count",
            "value": 300,
            "value_low": pd.array([None] * n_figures, dtype="Int64"),
            "value_high": pd.array([None] * n_figures, dtype="Int64"),
            "qualifier": "approximate",
            "category": "fighters",
            "unit": "militants",
            "location": None,
            "event_date": None,
        }
    )
    frame["start_char"] = frame["start_char"].astype("int32")
    frame["end_char"] = frame["end_char"].astype("int32")
    frame["value"] = frame["value"].astype("Int64")
    return frame[list(contract.FIGURE_COLUMNS)]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    n_docs = int(args[0]) if args else 10_000
    n_figures = int(args[1]) if len(args) > 1 else 200_000
    t0 = time.perf_counter()
    import pipeline.validation as v

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(start: tuple[float, float]) -> str:
        wall, cpu = clock()
        return f"{wall - start[0]:.2f}s (cpu {cpu - start[1]:.2f}s)"

    documents = documents_frame(n_docs)
    figures = figures_frame(documents, n_figures)
    with tempfile.TemporaryDirectory() as tmp:
        t = clock()
        context = v.open_context(Path(tmp) / ".gx")
        print(f"import GX + open context: {since(t)}")
        for _ in range(2):
            t = clock()
            d = v.validate_table("documents", documents, run_id="bench", context=context)
            print(f"documents ({n_docs} rows): {since(t)}, passed {len(d.passed)}")
            t = clock()
            f = v.validate_table(
                "figures", figures, documents_text=documents, run_id="bench", context=context
            )
            print(f"figures ({n_figures} rows): {since(t)}, passed {len(f.passed)}")
        bad = figures.copy()
        bad.loc[::2, "category"] = "aliens"
        t = clock()
        f = v.validate_table(
            "figures", bad, documents_text=documents, run_id="bench", context=context
        )
        print(f"figures, half failing a critical rule: {since(t)}, rejected {len(f.rejected)}")
        t = clock()
        v.build_data_docs(context, Path(tmp) / "data_docs")
        print(f"data docs: {since(t)}")
    print(f"total: {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main()
