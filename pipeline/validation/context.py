"""The GX file context the pipeline validates in, built once per root and per process.

`open_context(root)` opens (creating on first use) `gx.get_context(mode="file",
project_root_dir=root)`, i.e. `<root>/gx/great_expectations.yml`, with analytics and progress
bars off, one pandas datasource `pipeline` and one dataframe asset + whole-dataframe batch
definition per suite. Setup runs under a file lock (`<root>/gx.lock`) because Dagster may
start several check steps at once on the same root. Suites are (re)registered from the suite
files by `validation_definition()` only when their content changed; until then the process
reuses the definition it registered. `import_gx` also installs `speedups`.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.validation.suites import SUITE_NAMES, read_suite_dict

if TYPE_CHECKING:
    from great_expectations.core.validation_definition import ValidationDefinition
    from great_expectations.data_context import AbstractDataContext

DATASOURCE = "pipeline"
KEEP_RESULTS_PER_SUITE = 10
_CONTEXTS: dict[Path, AbstractDataContext] = {}
# (id(context), suite name) -> (context, suite file content, its validation definition)
_REGISTERED: dict[tuple[int, str], tuple[Any, str, Any]] = {}
_LOCK = threading.Lock()


def file_lock(root: Path | None):
    if root is None:
        return contextlib.nullcontext()
    from filelock import FileLock

    root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / "gx.lock"))


# Imported by GX at import time but only used by expectations and renderers the suites here
# do not use (KL divergence and its charts); loading them is about 1.5 s of GX's 4 s import.
DEFERRED_MODULES: tuple[str, ...] = ("scipy.stats", "altair")


class _DeferredModule(types.ModuleType):
    """Stands in `sys.modules` for a module until an attribute of it is first read; then the
    real module is imported and takes its place, so code that does use it still works."""

    def __getattr__(self, attribute: str) -> Any:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def import_gx():
    """Import GX quietly (no analytics, no network), deferring `DEFERRED_MODULES`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if "great_expectations" not in sys.modules:
        for name in DEFERRED_MODULES:
            if name not in sys.modules:
                sys.modules[name] = _DeferredModule(name)
    import great_expectations as gx

    from pipeline.validation.speedups import install

    install()
    return gx


def _setup(context: AbstractDataContext) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    variables = context.variables
    if variables.analytics_enabled is not False or variables.progress_bars is None:
        variables.analytics_enabled = False
        variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        variables.save()
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        datasource = context.data_sources.add_pandas(DATASOURCE)
    for name in SUITE_NAMES:
        try:
            asset = datasource.get_asset(name)
        except LookupError:
            asset = datasource.add_dataframe_asset(name)
        if name not in {b.name for b in asset.batch_definitions}:
            asset.add_batch_definition_whole_dataframe(name)


def open_context(root: Path) -> AbstractDataContext:
    """The file context rooted at `root` (created if absent), cached per root."""
    root = Path(root).resolve()
    with _LOCK:
        context = _CONTEXTS.get(root)
        if context is not None:
            return context
        gx = import_gx()
        with file_lock(root):
            context = gx.get_context(mode="file", project_root_dir=str(root))
            _setup(context)
        _CONTEXTS[root] = context
        return context


def context_root(context: AbstractDataContext) -> Path | None:
    """The folder passed to `open_context` (None for an in-memory context)."""
    directory = getattr(context, "root_directory", None)
    return Path(directory).parent if directory else None


def validation_definition(
    context: AbstractDataContext, name: str, expectations_dir: Path | None = None
) -> ValidationDefinition:
    """The validation definition `name` (suite from the file + the suite's batch definition).

    The suite in the context is replaced whenever the file's content differs from what this
    process last registered, so editing a suite file takes effect on the next run; until then
    the definition registered is reused as is.
    """
    gx = import_gx()
    suite_dict = read_suite_dict(name, expectations_dir)
    digest = json.dumps(suite_dict, sort_keys=True)
    key = (id(context), name)
    with _LOCK:
        registered = _REGISTERED.get(key)
        if registered is not None and registered[0] is context and registered[1] == digest:
            return registered[2]
        with file_lock(context_root(context)):
            suite = context.suites.add_or_update(gx.ExpectationSuite(**suite_dict))
            batch = context.data_sources.get(DATASOURCE).get_asset(name).get_batch_definition(name)
            vd = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
        _REGISTERED[key] = (context, digest, vd)
        return vd


def _over_limit(store: Any, keep: int) -> bool:
    """Whether some suite has more than `keep` stored results, from the raw key tuples
    (`(*suite name parts, run name, run time, batch)`), which are cheaper than parsed keys."""
    counts: dict[tuple, int] = {}
    for key in store.store_backend.list_keys():
        if len(key) > 3:
            counts[key[:-3]] = counts.get(key[:-3], 0) + 1
    return any(count > keep for count in counts.values())


def prune_results(context: AbstractDataContext, keep: int = KEEP_RESULTS_PER_SUITE) -> int:
    """Delete all but the newest `keep` stored validation results per suite; return deleted."""
    store = context.validation_results_store
    if not _over_limit(store, keep):
        return 0
    by_suite: dict[str, list[Any]] = {}
    for key in store.list_keys():
        by_suite.setdefault(key.expectation_suite_identifier.name, []).append(key)
    deleted = 0
    for keys in by_suite.values():
        keys.sort(key=lambda k: str(k.run_id.run_time), reverse=True)
        for key in keys[keep:]:
            store.remove_key(key)
            deleted += 1
    directory = getattr(context, "root_directory", None)
    if deleted and directory:  # remove_key leaves the run folders behind
        base = Path(directory) / "uncommitted" / "validations"
        for folder in sorted(base.glob("**/"), key=lambda p: len(p.parts), reverse=True):
            if folder != base and not any(folder.iterdir()):
                folder.rmdir()
    return deleted


def open_ephemeral_context() -> AbstractDataContext:
    """An in-memory context (nothing stored), cached per process: for tests and ad hoc use."""
    with _LOCK:
        context = _CONTEXTS.get(Path("<ephemeral>"))
        if context is None:
            gx = import_gx()
            context = gx.get_context(mode="ephemeral")
            _setup(context)
            _CONTEXTS[Path("<ephemeral>")] = context
        return context
