"""Progress bars for long work: shown on a terminal, silent when output is piped or logged."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def on_terminal() -> bool:
    return sys.stderr.isatty()


def progress(
    items: Iterable[T], *, desc: str, unit: str = "doc", total: int | None = None
) -> Iterator[T]:
    """Iterate `items`, drawing a bar on stderr only when stderr is a terminal."""
    yield from tqdm(
        items, desc=desc, unit=unit, total=total, disable=not on_terminal(), leave=False
    )


def counter(*, desc: str, unit: str = "doc", total: int | None = None) -> tqdm:
    """A bar advanced by hand (`bar.update(n)` per batch); a no-op when not on a terminal."""
    return tqdm(desc=desc, unit=unit, total=total, disable=not on_terminal(), leave=False)
