"""Throughput of `extract_figures` on the dev corpus, beside baselines measured in the same run.

    .venv/bin/python benchmarks/extraction_throughput.py [--corpus DIR] [--mb 3] [--write-readme]

Prints MB/s of extract_figures (full: with place and date resolution; core: with the place
and date stage stubbed out), a one-regex baseline over the same texts and the ratio, quantulum3
on a sample, the hostile inputs, the place gazetteer's build and cache-load times, and peak
traced memory while streaming a growing corpus. Throughput is CPU time (time.process_time) of
one process, the median of several repetitions, so that other jobs on a shared machine weigh
less on it (they still slow it through shared caches: compare with the baseline of the same
run). With --write-readme the output replaces the "Extraction throughput" section of
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extraction import extract as extract_module  # noqa: E402
from pipeline.extraction import extract_figures, gazetteer  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
BASELINE = re.compile(r"\d[\d,.]*")
HEADING = "## Extraction throughput"


def load_texts(corpus: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt files in {corpus}")
    return texts


def repeat_to(texts: list[str], megabytes: float) -> list[str]:
    out: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        for t in texts:
            out.append(t)
            size += len(t.encode("utf-8"))
    return out


def mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


REPETITIONS = 5


def timed(fn, texts: list[str], repetitions: int = REPETITIONS) -> float:
    """Median CPU seconds of `repetitions` runs over `texts` (the machine may be shared)."""
    runs = []
    for _ in range(repetitions):
        gc.collect()
        start = time.process_time()
        for t in texts:
            fn(t)
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def gazetteer_times() -> tuple[float, float | None]:
    """CPU seconds to build the place gazetteer from its packages, and to load it from the
    cache file (None when there is no cache)."""
    start = time.process_time()
    gazetteer._build()
    build = time.process_time() - start
    start = time.process_time()
    cached = gazetteer.load_cached()
    load = time.process_time() - start
    return build, (load if cached is not None else None)


class _NoContext:
    """Stands in for the place and date stage, to time the extractor's own stages."""

    def __init__(self, *args) -> None:
        pass

    def lookup(self, start: int, end: int):
        return None, None, None


def core_extract(text: str):
    real = extract_module.SentenceContext
    extract_module.SentenceContext = _NoContext
    try:
        return extract_figures(text)
    finally:
        extract_module.SentenceContext = real


def hostile_inputs() -> dict[str, str]:
    return {
        "100,000 digits in a row": "7" * 100_000,
        "1 MB without spaces or stops": "ab" * 500_000,
        "repeated qualifier words": "at least about nearly some " * 20_000 + "5 people",
        "a million commas": "," * 1_000_000,
        "a million full stops": "." * 1_000_000,
        "100,000 number words": "one two three " * 33_334,
        "50,000 figures on one line": "12 people fled, " * 50_000,
        "repeated vague quantities": "hundreds of thousands of " * 20_000,
    }


def memory_profile(texts: list[str], steps: int = 4) -> list[tuple[float, float]]:
    """(MB streamed, peak traced MB) after streaming 1x, 2x, ... the corpus."""
    rows = []
    tracemalloc.start()
    streamed = 0.0
    for _ in range(steps):
        for t in texts:
            for _ in extract_figures(t):
                pass
            streamed += len(t.encode("utf-8")) / 1e6
        _, peak = tracemalloc.get_traced_memory()
        rows.append((streamed, peak / 1e6))
        gc.collect()  # a full collection empties CPython's (bounded) free lists, which
        tracemalloc.reset_peak()  # tracemalloc would otherwise count as growth
    tracemalloc.stop()
    return rows


def run(corpus: Path, megabytes: float) -> str:
    lines: list[str] = []
    say = lines.append
    texts = load_texts(corpus)
    extract_figures(texts[0])  # build the place gazetteer once, outside the timings
    big = repeat_to(texts, megabytes)
    size = mb(big)
    say(f"corpus: {len(texts)} texts from {corpus.name}/, repeated to {size:.2f} MB")
    say(f"timing: CPU time of one process, median of {REPETITIONS} repetitions")
    base = timed(lambda t: sum(1 for _ in BASELINE.finditer(t)), big)
    full = timed(extract_figures, big)
    core = timed(core_extract, big)
    figures = sum(len(extract_figures(t)) for t in texts)
    say(f"baseline (one regex pass {BASELINE.pattern!r}): {size / base:8.2f} MB/s")
    say(f"extract_figures, full (with places and dates):  {size / full:8.2f} MB/s")
    say(f"extract_figures, core (place/date stage stubbed): {size / core:8.2f} MB/s")
    say(f"ratio full / baseline: {base / full:.3f}   core / baseline: {base / core:.3f}")
    say(f"figures per pass over the dev corpus: {figures}")
    try:
        from quantulum3 import parser as quantulum
    except ImportError:
        say("quantulum3: not installed")
    else:
        sample = texts[:10]
        q = timed(quantulum.parse, sample, 1)
        say(f"quantulum3.parse on a {mb(sample):.3f} MB sample: {mb(sample) / q:8.3f} MB/s")
    say("hostile inputs (extract_figures, full):")
    for name, text in hostile_inputs().items():
        start = time.process_time()
        found = len(extract_figures(text))
        elapsed = max(time.process_time() - start, 1e-6)
        say(
            f"  {name:32} {len(text) / 1e6:5.2f} MB  {elapsed:7.3f} s  {len(text) / 1e6 / elapsed:8.2f} MB/s  {found} figures"
        )
    build, load = gazetteer_times()
    loaded = f"{load:.3f} s" if load is not None else "no cache file"
    say(f"place gazetteer: build from packages {build:.3f} s CPU, load from cache {loaded}")
    say("peak traced memory while streaming a growing corpus:")
    for streamed, peak in memory_profile(texts):
        say(f"  after {streamed:6.2f} MB streamed: peak {peak:6.2f} MB")
    return "\n".join(lines)


def write_readme(report: str) -> None:
    path = Path(__file__).with_name("README.md")
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = (
        f"{HEADING}\n\n`benchmarks/extraction_throughput.py` (latest run):\n\n```\n{report}\n```\n"
    )
    # up to the next section, or the marker opening a section another benchmark writes
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |^<!-- |\Z)", re.S | re.M)
    found = pattern.search(old)
    if found:
        # Only this section changes: the rest of the file is kept byte for byte (other
        # benchmarks write their own sections).
        rest = old[found.end() :]
        new = old[: found.start()] + section + ("\n" + rest if rest else "")
    else:
        new = old.rstrip() + "\n\n" + section
    path.write_text(new, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--mb", type=float, default=3.0, help="repeat the corpus to this many MB")
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    report = run(args.corpus, args.mb)
    print(report)
    if args.write_readme:
        write_readme(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
