"""Progress bars for long work: shown on a terminal, silent when output is piped or logged."""

from __future__ import annotations

import sys

from tqdm import tqdm


def on_terminal() -> bool:
    return sys.stderr.isatty()


def counter(*, desc: str, unit: str = "doc", total: int | None = None) -> tqdm:
    """A bar advanced by hand (`bar.update(n)` per batch); a no-op when not on a terminal."""
    return tqdm(desc=desc, unit=unit, total=total, disable=not on_terminal(), leave=False)
