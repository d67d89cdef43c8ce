"""A deterministic synthetic news corpus for the scale benchmarks.

Builds N documents by recombining the sentences of the dev corpus (read at generation time from
`../shared/corpus/dev/*.txt`, or `$FIGURES_DEV_CORPUS`, never copied into the repository) and varying their numbers,
places and dates with a seeded RNG. Document i depends only on (seed, i), so the first 1,000
documents of a 10,000 corpus are the 1,000 corpus, and `--start N --count K` adds K new
documents after an existing N (the benchmark's incremental 1%). Every 20th document gets a
`NAME.meta.json` sidecar, as most dev texts do.

    python benchmarks/generate_corpus.py --out benchmarks/.data/corpus-10000 --count 10000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEV_CORPUS = Path(
    os.environ.get("FIGURES_DEV_CORPUS") or PROJECT.parent / "shared" / "corpus" / "dev"
)
DOCS_PER_FOLDER = 1_000
SIDECAR_EVERY = 20

# Places swapped for one another wherever a sentence names one of them.
PLACES = [
    "Syria", "Iraq", "Afghanistan", "Pakistan", "Yemen", "Somalia", "Sudan", "South Sudan",
    "Ethiopia", "Nigeria", "Mali", "Niger", "Chad", "Libya", "Haiti", "Myanmar", "Bangladesh",
    "Ukraine", "Mozambique", "Cameroon", "Burkina Faso", "Kenya", "Uganda", "Brazil", "India",
    "the Philippines", "Indonesia", "Colombia", "Venezuela", "Honduras", "Lebanon", "Gaza",
    "Aleppo", "Mosul", "Raqqa", "Idlib", "Baghouz", "Deir el-Zour", "Kabul", "Kandahar",
    "Mogadishu", "Darfur", "Khartoum", "Maiduguri", "Goma", "Bangui", "Kaga Bandoro",
    "Cox's Bazar", "Rakhine", "Tigray", "Sindh", "Punjab", "Kerala", "Mindanao", "Port-au-Prince",
]  # fmt: skip
OUTLETS = [
    "The Associated Press", "Reuters", "Agence France-Presse", "Al Jazeera", "The Guardian",
    "The New York Times", "ReliefWeb", "UN News", "IRIN", "BBC News", "The Independent",
]  # fmt: skip
NAMES = [
    "Sarah El Deeb", "Bassem Mroue", "Heather Saul", "Rod Nordland", "Amina Yusuf",
    "Carlos Mendes", "Priya Raman", "Jean-Paul Mbala", "Olena Shevchenko", "Ahmed Farouk",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
_PLACE = re.compile(r"\b(" + "|".join(re.escape(place) for place in PLACES) + r")\b")
_DATE = r"\b(?P<month>" + "|".join(MONTHS) + r")(?P<day>\s+\d{1,2})?(?P<year>,?\s+(?:19|20)\d\d)?\b"
_YEAR = r"\b(?P<yearonly>19[5-9]\d|20[0-2]\d)\b"
_NUMBER = r"(?P<number>(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?![\d,]))"
# Dates first, then years, then other numbers: one pass, so a new date is never varied again.
_DATE_OR_NUMBER = re.compile("|".join((_DATE, _YEAR, _NUMBER)))


@dataclass(frozen=True)
class Pools:
    """What documents are built from: headlines and body sentences of the dev corpus."""

    headlines: list[str]
    sentences: list[str]


def load_pools(corpus: Path = DEV_CORPUS) -> Pools:
    """Headlines (first lines) and body sentences of every text in `corpus`, in name order."""
    headlines: list[str] = []
    sentences: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            continue
        headlines.append(lines[0])
        for paragraph in lines[1:]:
            for sentence in _SENTENCE_END.split(paragraph):
                if 40 <= len(sentence) <= 400 and sentence[-1:] in '.!?”"':
                    sentences.append(sentence)
    if not sentences:
        raise SystemExit(f"no sentences found under {corpus}")
    return Pools(headlines=headlines, sentences=sentences)


def _vary_number(digits_as_written: str, rng: random.Random) -> str:
    digits = digits_as_written.replace(",", "")
    if len(digits) == 1:
        return str(rng.randint(2, 9))
    value = rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1)
    return f"{value:,}" if "," in digits_as_written else str(value)


def _vary_match(match: re.Match[str], rng: random.Random, day: date) -> str:
    if match.group("month"):
        return (
            MONTHS[day.month - 1]
            + (f" {rng.randint(1, 28)}" if match.group("day") else "")
            + (f", {day.year}" if match.group("year") else "")
        )
    if match.group("yearonly"):
        return str(day.year)
    return _vary_number(match.group("number"), rng)


def vary(text: str, rng: random.Random, day: date) -> str:
    """`text` with its places, dates and numbers changed (same shapes, other values)."""
    text = _PLACE.sub(lambda _: rng.choice(PLACES), text)
    return _DATE_OR_NUMBER.sub(lambda m: _vary_match(m, rng, day), text)


def document(index: int, pools: Pools, seed: int) -> tuple[str, dict]:
    """(text, sidecar metadata) of document `index`; the same on every run and machine."""
    rng = random.Random(seed * 1_000_003 + index)
    day = date(2012, 1, 1) + timedelta(days=rng.randrange(14 * 365))
    title = vary(rng.choice(pools.headlines), rng, day)
    place = rng.choice(PLACES)
    outlet = rng.choice(OUTLETS)
    byline = rng.choice(NAMES)
    body = [vary(rng.choice(pools.sentences), rng, day) for _ in range(rng.randint(8, 30))]
    paragraphs = []
    while body:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(body[:take]))
        body = body[take:]
    paragraphs[0] = f"{place.upper()} ({outlet}) — {paragraphs[0]}"
    text = f"{title}\n\nBy {byline}\n\n" + "\n\n".join(paragraphs) + "\n"
    meta = {
        "title": title,
        "outlet": outlet,
        "byline": byline,
        "published_date": day.isoformat(),
        "url": f"https://example.org/news/{seed}/{index:06d}",
    }
    return text, meta


def document_path(out_dir: Path, index: int) -> Path:
    """Where document `index` lives: 1,000 documents per sub-folder."""
    return out_dir / f"part-{index // DOCS_PER_FOLDER:04d}" / f"doc-{index:06d}.txt"


def generate(out_dir: Path, count: int, *, start: int = 0, seed: int = 7) -> int:
    """Write documents start..start+count-1 under `out_dir`; return the bytes written."""
    pools = load_pools()
    written = 0
    for index in range(start, start + count):
        text, meta = document(index, pools, seed)
        path = document_path(out_dir, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written += len(data)
        if index % SIDECAR_EVERY == 0:
            path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, indent=1))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--count", type=int, required=True, help="documents to write")
    parser.add_argument("--start", type=int, default=0, help="index of the first document")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    began = time.perf_counter()
    size = generate(args.out, args.count, start=args.start, seed=args.seed)
    elapsed = time.perf_counter() - began
    print(f"wrote {args.count:,} documents ({size / 1e6:.1f} MB) to {args.out} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
