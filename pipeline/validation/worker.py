"""A Great Expectations process started ahead of need, so a run never waits for GX to import.

Importing GX takes seconds, longer than reading, extracting and staging a few new documents.
`figures run` therefore calls `start_worker(gx_root)` before it loads Dagster: a spawned
process imports GX and opens the file context at `gx_root` on the other core while the run
starts. The validation assets (through `GreatExpectationsResource`) then send each chunk of
rows to it with `in_worker_or_here`, and Data Docs are built there too. There is one worker
per process, reused by later runs of the same process, and stopped when the process exits.

The worker answers a validation first and then stores its result for Data Docs, while the
run goes on with the answer. A validation made ahead of need (`HOLD`) is answered but its
result is stored only when the next request is `store_held` (the caller found the rows it
validated are the ones to validate); any other next request drops it. Requests are served in order, so the next one (another
validation, building Data Docs, stopping) starts only once that result is stored; if storing
failed, the next request gets that error instead of an answer. A run's last validation can
also ask the worker to render the Data Docs right after (`PREPARE_DOCS`): while the run
checks and publishes, the site is rendered into its staging folder, and the run's Data Docs
step then only swaps it in (or renders afresh if anything it shows changed meanwhile).

Where no worker was started (Dagster's own run workers, tests calling assets directly), or it
died, `in_worker_or_here` runs the same task in the calling process: the same functions run
on the same frame either way.

Stopping is safe at any moment: while the worker is still importing it is killed (nothing is
written yet); once it opens the file context it is asked to finish and exit, so GX's files
under `gx_root` are never left half-written.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from filelock import Timeout

from pipeline.validation.context import file_lock

STOP_TIMEOUT_S = 30.0
# A validate request's option: once its result is stored, render the Data Docs of this folder.
PREPARE_DOCS = "prepare_data_docs"
# A validate request's option: answer, but keep the result unstored until `store_held`.
HOLD = "hold_result"
# How long the worker waits for a validation ahead before it stores the result it answered.
AHEAD_WAIT_S = 0.01
_NOTHING = object()  # no request was read ahead
_PREPARED: dict[Path, Any] = {}  # target folder -> the `PreparedSite` rendered there


class WorkerFailed(RuntimeError):
    """The worker process died or could not start; the caller may validate in-process."""


def _serve(conn: Connection, gx_root: str, expectations_dir: str | None) -> None:
    """The worker's main loop: import GX, open the context, then answer requests."""
    from tqdm import tqdm

    from pipeline.validation.context import import_gx, open_context, validation_definition
    from pipeline.validation.suites import SUITE_NAMES

    # GX makes (disabled) tqdm bars, whose default lock is a multiprocessing semaphore that
    # this process's quick exit would leave registered; one thread needs only a thread lock.
    tqdm.set_lock(threading.RLock())
    import_gx()
    # Both write GX files only while they hold the context's file lock (see `stop`).
    context = open_context(Path(gx_root))
    directory = Path(expectations_dir) if expectations_dir else None
    for name in SUITE_NAMES:
        validation_definition(context, name, directory)
    # GX and its context stay loaded for the worker's life: left out of garbage collection,
    # a full collection scans only what requests make (~0.1 s less for each).
    gc.freeze()
    conn.send(("ready", None))
    unstored: str | None = None  # why the last result could not be stored, for the next caller
    held: list[Callable[[], None]] = []  # stores of a result answered with HOLD
    deferred: list[Callable[[], None]] = []  # stores put off for a validation ahead
    waiting: Any = _NOTHING  # a request read before the stores of the last one ran
    while True:
        if waiting is not _NOTHING:
            request, waiting = waiting, _NOTHING
        else:
            try:
                request = conn.recv()
            except EOFError:
                break
        if request is None:
            break
        method, kwargs = request
        if unstored is not None:
            conn.send(("error", unstored))
            unstored = None
            continue
        after_reply, prepare_docs_in, held = _answer(conn, method, kwargs, held)
        after_reply, deferred = deferred + after_reply, []
        # Storing a result for Data Docs waits until the caller has its answer and goes on;
        # the next request is read only once it is done, so what it sees is stored. Only a
        # validation ahead sent right after the answer goes first: it reads nothing stored.
        if after_reply and prepare_docs_in is None and conn.poll(AHEAD_WAIT_S):
            try:
                waiting = conn.recv()
            except EOFError:
                waiting = None  # the caller is gone: stop once the stores are done
            if _is_held_validation(waiting):
                deferred = after_reply
                continue
        for store in after_reply:
            try:
                store()
            except Exception as error:  # noqa: BLE001 - the next caller raises it
                unstored = f"storing the previous validation result failed: {_describe(error)}"
        if prepare_docs_in is not None and unstored is None:
            _prepare_data_docs(gx_root=kwargs["gx_root"], target_dir=prepare_docs_in)
    # Nothing is left to write; skip the second-long teardown of GX's modules, which the
    # parent would otherwise wait for.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _answer(
    conn: Connection, method: str, kwargs: dict[str, Any], held: list[Callable[[], None]]
) -> tuple[list[Callable[[], None]], str | None, list[Callable[[], None]]]:
    """Answer one request. Returns what to do once the caller has the answer (the stores of
    its result, then the Data Docs folder to render, if any) and the stores of the result now
    held: a validation with HOLD holds its own, `store_held` takes the held one, and any other
    request drops it."""
    if method == "store_held":
        # The held result is the one the caller validates after all: stored as if answered
        # just now.
        prepare_docs_in = kwargs.pop(PREPARE_DOCS, None) if held else None
        conn.send(("ok", bool(held)))
        return held, prepare_docs_in, []
    after_reply: list[Callable[[], None]] = []
    held = []
    prepare_docs_in = None
    if method == "validate":
        prepare_docs_in = kwargs.pop(PREPARE_DOCS, None)
        kwargs["store_later"] = after_reply.append
        if kwargs.pop(HOLD, False):
            kwargs["store_later"] = held.append
            prepare_docs_in = None  # for `store_held` to ask
    try:
        conn.send(("ok", _HANDLERS[method](**kwargs)))
    except Exception as error:  # noqa: BLE001 - reported to the caller, who raises it
        conn.send(("error", _describe(error)))
    return after_reply, prepare_docs_in, held


def _is_held_validation(request: Any) -> bool:
    return request is not None and request[0] == "validate" and bool(request[1].get(HOLD))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}\n{traceback.format_exc()}"


def _validate(*, gx_root: str | Path, **kwargs: Any):
    from pipeline.validation.context import open_context
    from pipeline.validation.validate import validate_table

    kwargs.pop(PREPARE_DOCS, None)  # only a worker prepares Data Docs ahead (see `_serve`)
    return validate_table(context=open_context(Path(gx_root)), **kwargs)


def _prepare_data_docs(*, gx_root: str | Path, target_dir: str | Path) -> None:
    """Render the Data Docs into their staging folder now, while the run goes on; the next
    `build_data_docs` of the same folder only swaps them in if they are still current. A
    failure here only means that build renders them itself."""
    from pipeline.validation.context import open_context
    from pipeline.validation.docs import prepare_data_docs

    _PREPARED.clear()
    with contextlib.suppress(Exception):
        site = prepare_data_docs(open_context(Path(gx_root)), Path(target_dir))
        _PREPARED[site.target_dir] = site


def _build_data_docs(*, gx_root: str | Path, target_dir: str | Path) -> Path:
    from pipeline.validation.context import open_context
    from pipeline.validation.docs import build_data_docs

    prepared = _PREPARED.pop(Path(target_dir).resolve(), None)
    return build_data_docs(open_context(Path(gx_root)), Path(target_dir), prepared=prepared)


def _warm_up(*, gx_root: str | Path) -> None:
    """Validate a small synthetic frame with each suite, storing nothing: GX sets up much of
    its machinery on the first validation of a suite in a process, which would otherwise fall
    on the first real one."""
    from pipeline.validation.context import open_context
    from pipeline.validation.synthetic import documents_frame, figures_frame
    from pipeline.validation.validate import validate_table

    context = open_context(Path(gx_root))
    documents = documents_frame(2)
    for table, frame in (("documents", documents), ("figures", figures_frame(documents, 4))):
        validate_table(
            table,
            frame,
            documents_text=documents[["document_id", "text"]],
            run_id="warm-up",
            context=context,
            store_later=lambda store: None,  # a warm-up stores nothing
        )


_HANDLERS = {"validate": _validate, "build_data_docs": _build_data_docs, "warm_up": _warm_up}


class ValidationWorker:
    """One spawned GX process and the pipe to it; calls are answered in order."""

    def __init__(self, gx_root: Path, expectations_dir: Path | None = None) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._conn, child = spawn.Pipe()
        self._gx_root = Path(gx_root)
        self._process = spawn.Process(
            target=_serve,
            args=(child, str(gx_root), expectations_dir and str(expectations_dir)),
            name="figures-gx-worker",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._ready = False
        self._lock = threading.Lock()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def _receive(self) -> tuple[str, Any]:
        try:
            return self._conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerFailed(
                f"the validation worker exited ({self._process.exitcode})"
            ) from error

    def _call(self, method: str, **kwargs: Any) -> Any:
        with self._lock:
            if not self._ready:
                status, _ = self._receive()
                self._ready = status == "ready"
            try:
                self._conn.send((method, kwargs))
            except (BrokenPipeError, OSError) as error:
                raise WorkerFailed("the validation worker is gone") from error
            status, value = self._receive()
        if status == "error":
            raise RuntimeError(f"validation worker: {value}")
        return value

    def validate(self, *, gx_root: Path, **kwargs: Any):
        """`validate_table(**kwargs)` in the worker, on the file context at `gx_root`. With
        `HOLD: True` its result is not stored (for Data Docs) until `store_held`, and never
        if another request comes first."""
        return self._call("validate", gx_root=str(gx_root), **kwargs)

    def store_held(self, *, gx_root: Path, prepare_data_docs: Path | None = None) -> bool:
        """Store the result the last request validated with HOLD (then render the Data Docs
        of `prepare_data_docs`, as a validate request with PREPARE_DOCS would); False when no
        result was held (nothing is stored or rendered)."""
        kwargs = {PREPARE_DOCS: str(prepare_data_docs)} if prepare_data_docs else {}
        return self._call("store_held", gx_root=str(gx_root), **kwargs)

    def build_data_docs(self, *, gx_root: Path, target_dir: Path) -> Path:
        """`build_data_docs` in the worker, for the file context at `gx_root`."""
        return self._call("build_data_docs", gx_root=str(gx_root), target_dir=str(target_dir))

    def stop(self) -> None:
        """End the worker: kill it while it only imports, else let it finish and exit."""
        if not self._process.is_alive():
            return
        with contextlib.suppress(Timeout), file_lock(self._gx_root).acquire(timeout=0):
            # Not writing GX files now, and with the lock held it cannot start to.
            if not self._ready and not self._conn.poll():
                self._process.kill()
                self._process.join()
                return
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(None)
        self._process.join(STOP_TIMEOUT_S)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()


_WORKER: ValidationWorker | None = None


def start_worker(gx_root: Path, expectations_dir: Path | None = None) -> ValidationWorker:
    """Start this process's validation worker (or keep the running one), warming `gx_root`."""
    global _WORKER
    if _WORKER is None or not _WORKER.alive:
        _WORKER = ValidationWorker(gx_root, expectations_dir)
        atexit.register(stop_worker)
    return _WORKER


def running_worker() -> ValidationWorker | None:
    """This process's validation worker, if one was started and is still running."""
    return _WORKER if _WORKER is not None and _WORKER.alive else None


def stop_worker() -> None:
    """Stop this process's validation worker, if any."""
    global _WORKER
    if _WORKER is not None:
        _WORKER.stop()
        _WORKER = None


def warm_up_worker(gx_root: Path) -> None:
    """Have this process's running worker, if any, validate a synthetic frame with each suite
    (nothing is stored), so that the first real validation is as fast as later ones. Without
    a worker this does nothing: GX is not imported here for it."""
    worker = running_worker()
    if worker is not None:
        with contextlib.suppress(WorkerFailed):
            worker._call("warm_up", gx_root=str(gx_root))


def in_worker_or_here(task: str, **kwargs: Any) -> Any:
    """Run `task` ("validate": `validate_table`, "build_data_docs") on the file context at
    `kwargs["gx_root"]`: in this process's worker when one is running, else in this process
    (also when the worker died)."""
    worker = running_worker()
    if worker is not None:
        with contextlib.suppress(WorkerFailed):
            return worker._call(task, **kwargs)
    return _HANDLERS[task](**kwargs)
