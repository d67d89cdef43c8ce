"""The validation worker: a spawned process running the same GX validations as in-process,
stopped safely at any moment, with the resource falling back to in-process validation when it
is gone; and a real run that validates in it without importing GX in the run's own process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import date

import pandas as pd
import pytest
from conftest import PROJECT, copy_seeds

from pipeline.resources import GreatExpectationsResource
from pipeline.validation import open_context, validate_table
from pipeline.validation.worker import (
    HOLD,
    PREPARE_DOCS,
    ValidationWorker,
    running_worker,
    start_worker,
    stop_worker,
    warm_up_worker,
)

TEXT = "Some 300 militants fled. At least 22 civilians were killed."


def _texts() -> pd.DataFrame:
    return pd.DataFrame({"document_id": ["d1"], "text": [TEXT]})


def _figures() -> pd.DataFrame:
    base = {
        "document_id": "d1",
        "sentence": None,
        "kind": "count",
        "value_low": None,
        "value_high": None,
        "qualifier": "exact",
        "unit": None,
        "location": None,
        "event_date": None,
    }
    rows = [
        {"figure_id": "ok", "start_char": 0, "mention": "Some 300", "value": 300,
         "category": "fighters"},
        {"figure_id": "badcat", "start_char": 25, "mention": "At least 22", "value": 22,
         "category": "aliens"},
        {"figure_id": "badmention", "start_char": 0, "mention": "Some 400", "value": 400,
         "category": "fighters"},
    ]  # fmt: skip
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["end_char"] = frame["start_char"] + frame["mention"].str.len()
    for column in ("value", "value_low", "value_high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _arguments() -> dict:
    return {
        "table": "figures",
        "frame": _figures(),
        "documents_text": _texts(),
        "run_id": "r1",
        "today": date(2026, 11, 22),
    }


def _outcome(validation) -> tuple:
    results = validation.results[["expectation", "severity", "success", "unexpected_count"]]
    return (
        sorted(validation.passed["figure_id"]),
        dict(
            zip(validation.rejected["figure_id"], validation.rejected["failed_rules"], strict=True)
        ),
        results.sort_values("expectation").to_dict("records"),
        validation.table_error,
    )


def test_worker_validates_like_the_run_process(tmp_path):
    worker = ValidationWorker(tmp_path / "worker" / ".gx")
    try:
        in_worker = worker.validate(gx_root=tmp_path / "worker" / ".gx", **_arguments())
        site = worker.build_data_docs(
            gx_root=tmp_path / "worker" / ".gx", target_dir=tmp_path / "docs"
        )
    finally:
        worker.stop()
    in_process = validate_table(context=open_context(tmp_path / "here" / ".gx"), **_arguments())
    assert _outcome(in_worker) == _outcome(in_process)
    assert sorted(in_worker.rejected["figure_id"]) == ["badcat", "badmention"]
    assert site.name == "index.html" and site.exists()
    assert worker._process.exitcode == 0  # asked to finish, not killed


def test_the_last_validation_has_the_docs_rendered_for_the_build_to_swap_in(tmp_path):
    root, target = tmp_path / ".gx", tmp_path / "docs"
    worker = ValidationWorker(root)
    try:
        worker.validate(gx_root=root, **_arguments(), **{PREPARE_DOCS: str(target)})
        staging = target.with_name(f".{target.name}.building")
        deadline = time.monotonic() + 60
        while not (staging / "index.html").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # rendered after the answer, while the caller goes on
        assert (staging / "index.html").exists() and not target.exists()
        site = worker.build_data_docs(gx_root=root, target_dir=target)
    finally:
        worker.stop()
    assert site == target.resolve() / "index.html" and site.exists()
    assert not staging.exists()
    pages = [p.name for p in (target / "validations").rglob("*.html")]
    assert len(pages) == 1


def test_without_a_worker_the_docs_option_is_ignored(tmp_path):
    stop_worker()
    validation = GreatExpectationsResource().validate(
        gx_root=tmp_path / ".gx",
        then_prepare_data_docs=tmp_path / "docs",
        **{k: v for k, v in _arguments().items() if k != "today"},
    )
    assert sorted(validation.rejected["figure_id"]) == ["badcat", "badmention"]
    assert not list(tmp_path.glob(".docs*")) and not (tmp_path / "docs").exists()


def test_stop_during_the_import_kills_before_anything_is_written(tmp_path):
    worker = ValidationWorker(tmp_path / ".gx")
    worker.stop()
    assert worker._process.exitcode is not None and worker._process.exitcode < 0
    assert not (tmp_path / ".gx" / "gx").exists()  # the GX project was never started


def test_errors_in_the_worker_reach_the_caller(tmp_path):
    worker = ValidationWorker(tmp_path / ".gx")
    try:
        with pytest.raises(RuntimeError, match="validation worker: .*no_such_table"):
            worker.validate(gx_root=tmp_path / ".gx", **{**_arguments(), "table": "no_such_table"})
        # the worker still answers after a failed call
        assert worker.validate(gx_root=tmp_path / ".gx", **_arguments()).table_error is None
    finally:
        worker.stop()


def test_results_are_stored_after_the_answer_and_a_failure_reaches_the_next_call(tmp_path):
    root = tmp_path / ".gx"
    worker = ValidationWorker(root)
    try:
        worker.validate(gx_root=root, **_arguments())
        # the next request is served only once the first result is stored
        site = worker.build_data_docs(gx_root=root, target_dir=tmp_path / "docs")
        assert list((site.parent / "validations" / "figures").rglob("*.html"))
        stored = root / "gx" / "uncommitted" / "validations" / "figures"
        assert list(stored.rglob("*.json"))
        shutil.rmtree(stored)
        stored.write_text("not a folder")  # storing the next result fails
        assert worker.validate(gx_root=root, **_arguments()).table_error is None  # answered
        with pytest.raises(RuntimeError, match="storing the previous validation result failed"):
            worker.validate(gx_root=root, **_arguments())
        stored.unlink()
        assert worker.validate(gx_root=root, **_arguments()).table_error is None
    finally:
        worker.stop()
    assert worker._process.exitcode == 0


def _stored(root) -> int:
    return len(list((root / "gx" / "uncommitted" / "validations").rglob("*.json")))


def test_a_result_validated_ahead_is_stored_only_once_kept(tmp_path):
    root, target = tmp_path / ".gx", tmp_path / "docs"
    worker = ValidationWorker(root)
    try:
        ahead = worker.validate(gx_root=root, **_arguments(), **{HOLD: True})
        assert sorted(ahead.rejected["figure_id"]) == ["badcat", "badmention"]
        worker.build_data_docs(gx_root=root, target_dir=tmp_path / "before")
        assert _stored(root) == 0  # answered, held unstored, then dropped by the build
        assert worker.store_held(gx_root=root) is False
        worker.validate(gx_root=root, **_arguments(), **{HOLD: True})
        assert worker.store_held(gx_root=root, prepare_data_docs=target) is True
        site = worker.build_data_docs(gx_root=root, target_dir=target)
        assert worker.store_held(gx_root=root) is False  # kept once
    finally:
        worker.stop()
    assert _stored(root) == 1
    assert len(list((site.parent / "validations").rglob("*.html"))) == 1


def test_a_validation_ahead_right_after_an_answer_is_served_before_its_result_is_stored(
    tmp_path,
):
    root = tmp_path / ".gx"
    worker = ValidationWorker(root)
    try:
        worker.validate(gx_root=root, **_arguments())
        # sent as soon as the answer is in: the worker answers it first, then stores both
        worker.validate(gx_root=root, **_arguments(), **{HOLD: True})
        assert worker.store_held(gx_root=root) is True
        worker.validate(gx_root=root, **_arguments())
        worker.validate(gx_root=root, **_arguments(), **{HOLD: True})
        worker.validate(gx_root=root, **_arguments())  # drops the one held
        worker.build_data_docs(gx_root=root, target_dir=tmp_path / "docs")
    finally:
        worker.stop()
    assert _stored(root) == 4


def test_a_warm_up_validates_each_suite_and_stores_nothing(tmp_path):
    root = tmp_path / ".gx"
    start_worker(root)
    try:
        warm_up_worker(root)
        assert running_worker() is not None  # it answered, it did not fail
        assert not list((root / "gx" / "uncommitted" / "validations").rglob("*.json"))
        validation = GreatExpectationsResource().validate(
            gx_root=root, **{k: v for k, v in _arguments().items() if k != "today"}
        )
        assert sorted(validation.rejected["figure_id"]) == ["badcat", "badmention"]
    finally:
        stop_worker()
    assert list((root / "gx" / "uncommitted" / "validations").rglob("*.json"))


def test_resource_validates_in_process_when_the_worker_died(tmp_path):
    worker = start_worker(tmp_path / ".gx")
    worker._process.kill()
    worker._process.join()
    assert running_worker() is None
    arguments = _arguments()
    arguments.pop("today")
    validation = GreatExpectationsResource().validate(gx_root=tmp_path / ".gx", **arguments)
    assert sorted(validation.rejected["figure_id"]) == ["badcat", "badmention"]
    stop_worker()


RUN_SCRIPT = """
import json, sys
from pipeline.runner import run_pipeline
if __name__ == "__main__":
    outcome = run_pipeline(sys.argv[1], sys.argv[2])
    print(json.dumps({"success": outcome.success,
                      "gx_in_run_process": "great_expectations" in sys.modules}))
"""


def test_a_run_validates_in_the_worker_not_in_its_own_process(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(RUN_SCRIPT)
    warehouse = tmp_path / "warehouse" / "figures.duckdb"
    done = subprocess.run(
        [sys.executable, str(script), str(copy_seeds(tmp_path / "input")), str(warehouse)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"success": True, "gx_in_run_process": False}
    assert (warehouse.parent / "data_docs" / "index.html").exists()
    assert list((warehouse.parent / ".gx" / "gx" / "uncommitted" / "validations").rglob("*.json"))
