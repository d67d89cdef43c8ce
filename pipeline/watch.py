"""`figures watch`: one long-lived process that keeps the warehouse up to date with its input
folder, running the pipeline again whenever files are added, changed or removed.

A `figures run` process spends seconds loading Dagster, pandas and Great Expectations before it
does any work, more than a run over a few new documents needs. The watcher loads them once
(`PipelineSession`), so each later run costs only its own work. Changes come from the
operating system's file events (watchfiles; polling where events are unavailable), grouped
until the folder has been quiet for `debounce_ms`, so a copy of many files makes one run.

Each run is an ordinary run: it takes the warehouse's run lock, and a failed run leaves the
previous warehouse as it was; the watcher reports it and keeps watching."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue
from threading import Event, Thread

from pipeline.runner import PipelineSession, RunOutcome
from pipeline.settings import DEFAULT_DEBOUNCE_MS
from pipeline.warehouse.layout import WarehouseLayout

# While files keep arriving without a pause, still run at least this often.
MAX_GROUP_MS = 30_000


class InputFolderGone(RuntimeError):
    """The watched folder was removed: its file events would never come again."""


@dataclass
class WatchedRun:
    """One run of the watcher and what set it off."""

    number: int
    changed_paths: int  # file events that set it off (0 for the run at start)
    seconds: float
    outcome: RunOutcome | None  # None when the run could not start
    error: str | None = None

    @property
    def success(self) -> bool:
        return self.outcome is not None and self.outcome.success

    def as_record(self) -> dict:
        """The run as a flat JSON-able record (what `figures watch --jsonl` prints)."""
        outcome = self.outcome
        staged = outcome.materializations.get("staged_documents", {}) if outcome else {}
        published = outcome.materializations.get("published_warehouse", {}) if outcome else {}
        return {
            "run": self.number,
            "changed_paths": self.changed_paths,
            "success": self.success,
            "seconds": round(self.seconds, 3),
            "new_accepted": staged.get("new_accepted"),
            "new_rejected": staged.get("new_rejected"),
            "removed_files": staged.get("removed_files"),
            "documents": published.get("rows_documents"),
            "figures": published.get("rows_figures"),
            "error": self.error
            or (outcome.failure_message() if outcome and not outcome.success else None),
            "run_id": outcome.run_id if outcome else None,
        }

    def describe(self) -> str:
        """One line for a person watching the terminal."""
        record = self.as_record()
        trigger = (
            "at start" if not self.changed_paths else f"after {self.changed_paths} file changes"
        )
        if not self.success:
            return (
                f"run {self.number} ({trigger}) FAILED in {self.seconds:.1f} s: {record['error']}"
            )
        return (
            f"run {self.number} ({trigger}) published in {self.seconds:.1f} s: "
            f"{record['new_accepted']} new documents accepted, {record['new_rejected']} rejected, "
            f"{record['removed_files']} files gone; warehouse holds {record['documents']} "
            f"documents, {record['figures']} figures"
        )


def written_by_runs(layout: WarehouseLayout) -> tuple[Path, ...]:
    """Every file and folder a run writes, so a warehouse kept inside the input folder does not
    set off runs of its own."""
    paths = [layout.staging.parent, layout.exports_dir, layout.data_docs_dir, layout.gx_root]
    if layout.is_local_file:
        published = layout.published
        paths += [published, published.with_name(published.name + ".wal")]
    return tuple(path.resolve() for path in paths)


def ignoring(paths: tuple[Path, ...]) -> Callable[[object, str], bool]:
    """A watchfiles filter that drops events on `paths` and under them."""

    def keep(_change: object, path: str) -> bool:
        changed = Path(path).resolve()
        return not any(changed.is_relative_to(own) for own in paths)

    return keep


class FolderChanges:
    """The input folder's file events, collected on a thread from before the first run on, so
    files that arrive while a run is busy set off the next one."""

    def __init__(
        self,
        input_dir: Path,
        *,
        ignore: tuple[Path, ...] = (),
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
        stop: Event,
        force_polling: bool | None = None,
    ) -> None:
        self._events: Queue[int | None] = Queue()
        self.error: BaseException | None = None  # why watching ended, if not by `stop`
        self._thread = Thread(
            target=self._collect,
            args=(input_dir, ignore, debounce_ms, stop, force_polling),
            name="figures-watch",
            daemon=True,
        )
        self._thread.start()

    def _collect(
        self,
        input_dir: Path,
        ignore: tuple[Path, ...],
        debounce_ms: int,
        stop: Event,
        force_polling: bool | None,
    ) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(
                input_dir,
                watch_filter=ignoring(ignore),
                step=debounce_ms,  # yield once no event came for this long
                debounce=max(debounce_ms, MAX_GROUP_MS),
                stop_event=stop,
                force_polling=force_polling,
            ):
                self._events.put(len(changes))
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self.error = error
        finally:
            self._events.put(None)  # stopped (or the folder went away)

    def next_group(self) -> int | None:
        """Wait for changes; return how many file events arrived since the last call, or None
        once watching has stopped."""
        count = self._events.get()
        while count is not None:
            try:
                more = self._events.get_nowait()
            except Empty:
                return count
            if more is None:
                self._events.put(None)  # report the changes first, the stop next time
                return count
            count += more
        return None


def watch(
    session: PipelineSession,
    report: Callable[[WatchedRun], None],
    *,
    debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    stop: Event | None = None,
    force_polling: bool | None = None,
    lock_timeout: float = -1,
) -> None:
    """Run `session` now, then after each group of changes to its input folder, until `stop` is
    set (or Ctrl-C). `report` receives every run, failed ones included.

    Raises InputFolderGone when the input folder is removed (a folder made again under the
    same name would not be watched)."""
    stop = stop or Event()
    changes = FolderChanges(
        session.input_dir,
        ignore=written_by_runs(session.layout),
        debounce_ms=debounce_ms,
        stop=stop,
        force_polling=force_polling,
    )

    def run_once(number: int, changed_paths: int) -> None:
        began = time.perf_counter()
        try:
            outcome, error = session.run(lock_timeout=lock_timeout), None
        except Exception as exc:  # noqa: BLE001 - one bad run must not end the watch
            outcome, error = None, f"{type(exc).__name__}: {exc}"
        report(WatchedRun(number, changed_paths, time.perf_counter() - began, outcome, error))

    try:
        run_once(1, 0)
        # Only an optimisation: whatever made it fail, the next run meets and reports it.
        with contextlib.suppress(Exception):
            session.warm_up()
        number = 1
        while not stop.is_set():
            changed_paths = changes.next_group()
            if not session.input_dir.is_dir():
                raise InputFolderGone(f"input folder {session.input_dir} was removed")
            if changed_paths is None:
                if stop.is_set():
                    break
                raise RuntimeError("watching the input folder failed") from changes.error
            number += 1
            run_once(number, changed_paths)
    finally:
        stop.set()
