"""Memoisation of the GX 1.24 validator's hot spots, where a small validation spends its time.

Validating a few hundred rows costs GX about 10 ms per expectation, most of it redoing the
same work rather than computing on the data:
- `Expectation.configuration` builds a new `ExpectationConfiguration` from the pydantic model
  on each read, and the validator reads it dozens of times per expectation (once per domain,
  success and runtime kwarg); `ExpectationConfiguration.to_domain_obj` builds the expectation
  model again for each pass over the suite;
- `IDDict.to_id`, the id of each metric's kwargs, converts them value by value (numpy type
  checks and all) before hashing, though they are plain JSON values already;
- the pandas engine filters the batch (`DataFrame.query` for a `row_condition`, `dropna` for
  a column pair) again for every metric of the same domain;
- the validator builds each expectation's metric dependency graph (about a third of a small
  validation) again on every validation, though it depends only on the expectations, the
  result format and the batch id, not on the rows: the graphs of the last `GRAPHS_KEPT`
  suites are kept across validations (without the execution engine they were built with,
  which holds the batch: a graph is never resolved itself, only its edges are copied into
  the suite's graph, bound to the engine of the validation at hand).

`install()` (run by `import_gx`) patches these on the GX version they were read in only
(elsewhere, or with `FIGURES_GX_SPEEDUPS=0`, GX runs unchanged). The id is computed exactly as
GX does, only faster. The rest memoise only inside `memoised()`, around one GX validation
call: in it GX reads expectations and filtered frames without changing them (the filtered
frame is shared between metrics as GX shares the unfiltered batch frame), and outside it
every call computes afresh (graphs kept from earlier validations are used only inside it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

SUPPORTED_GX = "1.24."  # the version prefix the patched functions were read in
SWITCH_ENV = "FIGURES_GX_SPEEDUPS"  # "0": leave GX unpatched
# Filtered frames are kept for later metrics only up to this many rows: small batches are
# where the repeated filtering dominates; large ones keep GX's memory profile.
KEPT_RECORDS_MAX_ROWS = 20_000
GRAPHS_KEPT = 8  # suites (with their result format) whose metric graphs are kept

_SCOPE = threading.local()
_ORIGINALS: dict[str, Callable[..., Any]] = {}  # patched name -> GX's function
_DICT_TYPES: set[type] = {dict}  # and GX's IDDict, once patched
_GRAPHS: OrderedDict[tuple, tuple[list, list]] = OrderedDict()  # key -> (graphs, configs)
_GRAPHS_LOCK = threading.Lock()


@contextlib.contextmanager
def memoised() -> Iterator[None]:
    """Within (per thread): each expectation model and configuration is built once, and each
    filter of the batch applied once. Wrap exactly one GX validation call in it."""
    if getattr(_SCOPE, "memo", None) is not None:
        yield
        return
    _SCOPE.memo = {}
    try:
        yield
    finally:
        _SCOPE.memo = None


def _remembered(
    kind: str,
    owner: Any,
    extra: Any,
    compute: Callable[[], Any],
    keep: Callable[[Any], bool] = lambda _: True,
) -> Any:
    """`compute()`, once per (kind, owner, extra) inside `memoised()` (if `keep` accepts the
    value), every time outside. The memo holds `owner`, so its id is not reused meanwhile."""
    memo = getattr(_SCOPE, "memo", None)
    if memo is None:
        return compute()
    key = (kind, id(owner), extra)
    hit = memo.get(key)
    if hit is not None and hit[0] is owner:
        return hit[1]
    value = compute()
    if keep(value):
        memo[key] = (owner, value)
    return value


def _small(records: Any) -> bool:
    return len(records) <= KEPT_RECORDS_MAX_ROWS


def _is_plain_json(value: Any) -> bool:
    """Whether GX's `convert_to_json_serializable` returns `value` as it is (an equal copy)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return not math.isnan(value)
    if kind is list:
        return all(_is_plain_json(item) for item in value)
    if kind in _DICT_TYPES:
        return all(type(k) is str and _is_plain_json(v) for k, v in value.items())
    return False


def _patch(owner: type, name: str, make: Callable[[Any], Any]) -> None:
    original = owner.__dict__[name]
    _ORIGINALS[f"{owner.__name__}.{name}"] = original
    setattr(owner, name, make(original))


def _to_id(original: Callable[..., Any]) -> Callable[..., Any]:
    def to_id(self, id_keys=None, id_ignore_keys=None):
        if id_keys is None and id_ignore_keys is None:
            keys = self.keys() - set(self._id_ignore_keys)
            if len(keys) > 1:
                data = {key: self[key] for key in keys}
                if _is_plain_json(data):
                    text = json.dumps(data, sort_keys=True).encode("utf-8")
                    return hashlib.md5(text, usedforsecurity=False).hexdigest()
        return original(self, id_keys, id_ignore_keys)

    return to_id


def _configuration(original: property) -> property:
    build = original.fget

    def configuration(self):
        return _remembered("configuration", self, None, lambda: build(self))

    return property(configuration, doc=original.__doc__)


def _to_domain_obj(original: Callable[..., Any]) -> Callable[..., Any]:
    def to_domain_obj(self):
        return _remembered("expectation", self, None, lambda: original(self))

    return to_domain_obj


def _get_domain_records(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_domain_records(self, domain_kwargs: dict):
        domain = repr(sorted(domain_kwargs.items()))
        compute = lambda: original(self, domain_kwargs)  # noqa: E731
        return _remembered("records", self, domain, compute, keep=_small)

    return get_domain_records


def _apply_row_condition_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    def apply_row_condition_filter(self, data, row_condition, domain_kwargs):
        condition = (repr(row_condition), domain_kwargs.get("condition_parser"))
        compute = lambda: original(self, data, row_condition, domain_kwargs)  # noqa: E731
        return _remembered("filter", data, condition, compute, keep=_small)

    return apply_row_condition_filter


def _graph_key(validator: Any, configurations: list, catch: bool, runtime: Any) -> tuple | None:
    """What a suite's metric graphs depend on: the engine's kind, the batch id, the result
    format and each expectation as configured (None when some part is not plain JSON)."""
    try:
        return (
            type(validator._execution_engine).__qualname__,
            validator.active_batch_id,
            catch,
            json.dumps(runtime, sort_keys=True),
            tuple(json.dumps(c.to_json_dict(), sort_keys=True) for c in configurations),
        )
    except (TypeError, ValueError):
        return None


def _metric_graphs(original: Callable[..., Any]) -> Callable[..., Any]:
    def generate(
        self,
        expectation_configurations,
        processed_configurations,
        catch_exceptions,
        runtime_configuration=None,
    ):
        key = None
        if getattr(_SCOPE, "memo", None) is not None:
            key = _graph_key(
                self, expectation_configurations, catch_exceptions, runtime_configuration
            )
        if key is None:
            return original(
                self,
                expectation_configurations,
                processed_configurations,
                catch_exceptions,
                runtime_configuration,
            )
        with _GRAPHS_LOCK:
            kept = _GRAPHS.get(key)
            if kept is not None:
                _GRAPHS.move_to_end(key)
        if kept is not None:
            graphs, configurations = kept
            processed_configurations.extend(configurations)
            return list(graphs), [], processed_configurations
        graphs, results, processed = original(
            self,
            expectation_configurations,
            processed_configurations,
            catch_exceptions,
            runtime_configuration,
        )
        if results:  # some expectation's graph could not be built: nothing is kept
            return graphs, results, processed
        for graph in graphs:
            graph.graph._execution_engine = None  # it holds the batch; only the edges are used
        with _GRAPHS_LOCK:
            _GRAPHS[key] = (list(graphs), list(processed))
            while len(_GRAPHS) > GRAPHS_KEPT:
                _GRAPHS.popitem(last=False)
        return graphs, results, processed

    return generate


def install() -> list[str]:
    """Patch GX once per process, if it is the supported version and the switch is not off;
    return the names of the functions patched."""
    import great_expectations as gx

    if _ORIGINALS or os.environ.get(SWITCH_ENV) == "0":
        return sorted(_ORIGINALS)
    if not gx.__version__.startswith(SUPPORTED_GX):
        return []
    from great_expectations.core.id_dict import IDDict
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )
    from great_expectations.validator.validator import Validator

    _DICT_TYPES.add(IDDict)
    _patch(IDDict, "to_id", _to_id)
    _patch(Expectation, "configuration", _configuration)
    _patch(ExpectationConfiguration, "to_domain_obj", _to_domain_obj)
    _patch(PandasExecutionEngine, "get_domain_records", _get_domain_records)
    _patch(PandasExecutionEngine, "_apply_row_condition_filter", _apply_row_condition_filter)
    subgraphs = "_generate_metric_dependency_subgraphs_for_each_expectation_configuration"
    _patch(Validator, subgraphs, _metric_graphs)
    return sorted(_ORIGINALS)
