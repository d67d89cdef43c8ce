"""Load the suite files (`expectations/<name>.json`) with GX's own deserialisation.

The files are the only place rules live; this module reads them, names each expectation
readably ("expect_column_values_to_be_in_set(category)") and lists the columns a suite reads.
GX is imported inside functions only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
SUITE_NAMES: tuple[str, ...] = ("documents", "figures")
ID_COLUMNS: dict[str, str] = {"documents": "document_id", "figures": "figure_id"}
_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")


def suite_path(name: str, expectations_dir: Path | None = None) -> Path:
    return Path(expectations_dir or EXPECTATIONS_DIR) / f"{name}.json"


def read_suite_dict(name: str, expectations_dir: Path | None = None) -> dict[str, Any]:
    """The raw JSON of a suite file (ids, if a person pasted some in, are dropped)."""
    data = json.loads(suite_path(name, expectations_dir).read_text(encoding="utf-8"))
    data.pop("id", None)
    for exp in data.get("expectations", []):
        exp.pop("id", None)
    return data


def load_suite(name: str, expectations_dir: Path | None = None) -> ExpectationSuite:
    """Build a `gx.ExpectationSuite` from `<expectations_dir>/<name>.json`."""
    import great_expectations as gx

    return gx.ExpectationSuite(**read_suite_dict(name, expectations_dir))


def _condition_text(cond: Any) -> str:
    if cond is None:
        return ""
    if isinstance(cond, dict):
        if "column" in cond and "operator" in cond:
            param = cond.get("parameter")
            if isinstance(param, list) and len(param) > 3:
                param = f"[{param[0]!r}, ... {len(param)} values]"
            else:
                param = repr(param)
            return f"{cond['column'].get('name')} {cond['operator']} {param}"
        if "conditions" in cond:
            joiner = f" {cond.get('type', 'and')} "
            return joiner.join(_condition_text(c) for c in cond["conditions"])
        return json.dumps(cond, sort_keys=True, default=str)
    return str(cond)


def expectation_label(type_: str, kwargs: dict[str, Any], meta: dict | None = None) -> str:
    """Readable name: `meta.name` if the file gives one, else `type(columns)`, plus
    ` where <condition>` for a conditional rule."""
    if meta and meta.get("name"):
        return str(meta["name"])
    cols: list[str] = []
    for key in _COLUMN_KWARGS:
        value = kwargs.get(key)
        if isinstance(value, (list, tuple)):
            cols.extend(map(str, value))
        elif value is not None:
            cols.append(str(value))
    label = f"{type_}({', '.join(cols)})"
    cond = kwargs.get("row_condition")
    if cond:
        if hasattr(cond, "dict"):
            cond = cond.dict()
        label += f" where {_condition_text(cond)}"
    return label


def suite_columns(suite_dict: dict[str, Any]) -> list[str]:
    """Every column a suite reads (expectation columns and row-condition columns), in order."""
    seen: dict[str, None] = {}

    def walk_condition(cond: Any) -> None:
        if isinstance(cond, dict):
            if isinstance(cond.get("column"), dict):
                seen.setdefault(cond["column"]["name"])
            for sub in cond.get("conditions", []):
                walk_condition(sub)

    for exp in suite_dict.get("expectations", []):
        kwargs = exp.get("kwargs", {})
        for key in _COLUMN_KWARGS:
            value = kwargs.get(key)
            if isinstance(value, list):
                for v in value:
                    seen.setdefault(v)
            elif isinstance(value, str):
                seen.setdefault(value)
        walk_condition(kwargs.get("row_condition"))
    return list(seen)
