"""Inputs that try to break the pipeline, and how long it takes over them.

`build_hostile_folder` writes a folder of hostile files (random bytes, one huge single-line
text, SQL in file names, many empty files, UTF-16 and Latin-1 texts, symbolic-link loops) and
returns the `source_path` every file must appear under; tests/test_hostile_inputs.py runs the
pipeline over a small one. Run as a script it times the full-size case (a 50 MB single line,
10,000 empty files) end to end, then ingestion + extraction of single-line texts of growing
size to show the cost stays linear:

    .venv/bin/python benchmarks/hostile_inputs.py [--big-mb 50] [--empty-files 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

SQL_NAMES = (
    'it\'s "quoted"; DROP TABLE documents; --.txt',
    "'); DELETE FROM figures WHERE ('1'='1.txt",
    "back\\slash `tick` $(echo pwned) %s %n.txt",
)
SAMPLE = (
    "Some 300 families fled the village of Baghouz on Monday, and at least 22 civilians were "
    "killed, officials said. Between 20,000 and 30,000 people remain displaced. "
)
FILLER_WORDS = [
    "the",
    "of",
    "and",
    "convoy",
    "village",
    "camp",
    "road",
    "people",
    "reported",
    "said",
    "officials",
    "near",
]


def single_line_text(size: int, seed: int = 0) -> bytes:
    """About `size` bytes of words on one line, with no sentence end: a number every ~40 words."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = str(rng.randint(2, 90_000)) if rng.random() < 0.025 else rng.choice(FILLER_WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words).encode("ascii")[:size]


def build_hostile_folder(root: Path, *, big_bytes: int, empty_files: int) -> dict[str, str]:
    """Write the hostile files under `root`; return {expected source_path: what it is}."""
    root.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def write(relative: str, data: bytes, kind: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[relative] = kind

    rng = random.Random(1)
    write("random.bin", rng.randbytes(64_000), "random bytes")
    write("random.txt", rng.randbytes(64_000), "random bytes named .txt")
    write("random.html", rng.randbytes(8_000), "random bytes named .html")
    write("random.json", rng.randbytes(8_000), "random bytes named .json")
    write("nul-in-text.txt", SAMPLE.encode() + b"\x00\x00" + SAMPLE.encode(), "NUL bytes")
    write("single-line.txt", single_line_text(big_bytes), f"{big_bytes:,} bytes on one line")
    for number, name in enumerate(SQL_NAMES):
        text = f"{SAMPLE} About {100 + number} trucks arrived."
        write(name, text.encode(), "SQL and quotes in the name")
    write("new\nline name.txt", (SAMPLE + " Another 12 trucks.").encode(), "newline in the name")
    write("utf16-bom.txt", ("\ufeff" + SAMPLE + " Over 500 tents.").encode("utf-16-le"), "UTF-16")
    write("latin1.txt", ("Café réfugiés: " + SAMPLE + " 40 maisons.").encode("latin-1"), "Latin-1")
    write("utf8-bom.txt", b"\xef\xbb\xbf" + (SAMPLE + " Nearly 90 boats.").encode(), "UTF-8 BOM")
    write("truncated.json", b'{"title": "Cut off", "text": "About 300 pe', "truncated JSON")
    write("deep.json", b"[" * 100_000 + b"]" * 100_000, "deeply nested JSON")
    for index in range(empty_files):
        write(f"empty/{index:05d}.txt", b"", "empty")
    (root / "loop.txt").symlink_to("loop.txt")
    expected["loop.txt"] = "symbolic link to itself"
    (root / "ping.txt").symlink_to("pong.txt")
    (root / "pong.txt").symlink_to("ping.txt")
    expected["ping.txt"] = expected["pong.txt"] = "symbolic link loop of two"
    (root / "up").symlink_to(".")
    expected["up"] = "symbolic link to the folder itself"
    bad_name = os.fsdecode(b"bad-\xff-name.txt")
    (root / bad_name).write_bytes(f"{SAMPLE} Some 70 buses left.".encode())
    expected["bad-\\xff-name.txt"] = "file name not valid UTF-8"
    return expected


def _time(label: str, action) -> float:
    began = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - began
    print(f"{label:<58} {elapsed:8.2f} s")
    return result


def time_single_lines(sizes_mb: list[float]) -> None:
    """Ingestion then extraction of one-line texts of each size (linear means constant s/MB)."""
    from pipeline.extraction import extract_figures
    from pipeline.ingestion import document_from_bytes

    for size_mb in sizes_mb:
        raw = single_line_text(int(size_mb * 1_000_000))
        began = time.perf_counter()
        document = document_from_bytes(raw, "single-line.txt", max_bytes=len(raw) + 1)
        ingested = time.perf_counter() - began
        figures = extract_figures(document.text) if document.text else []
        extracted = time.perf_counter() - began - ingested
        print(
            f"single line {size_mb:5.1f} MB: ingest {ingested:6.2f} s, extract {extracted:6.2f} s "
            f"({(ingested + extracted) / size_mb:5.2f} s/MB, {len(figures):,} figures)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=float, default=50)
    parser.add_argument("--empty-files", type=int, default=10_000)
    parser.add_argument("--line-sizes-mb", type=float, nargs="*", default=[0.5, 1, 2, 4, 8])
    args = parser.parse_args()

    from pipeline.runner import run_pipeline
    from pipeline.summary import warehouse_counts

    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        expected = _time(
            "building the folder",
            lambda: build_hostile_folder(
                root / "input", big_bytes=int(args.big_mb * 1e6), empty_files=args.empty_files
            ),
        )
        warehouse = str(root / "warehouse" / "hostile.duckdb")
        outcome = _time(
            f"pipeline over {len(expected):,} hostile files",
            lambda: run_pipeline(root / "input", warehouse),
        )
        print(
            f"run succeeded: {outcome.success} {outcome.failure_message() if not outcome.success else ''}"
        )
        if outcome.success:
            print(f"warehouse: {warehouse_counts(warehouse)}")
    time_single_lines(args.line_sizes_mb)


if __name__ == "__main__":
    main()
