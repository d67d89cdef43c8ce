"""`figures watch`: one long-lived process runs the real Dagster job at start and again after
each group of file changes in the input folder, reports every run, survives a run that cannot
start, and ignores what its own runs write."""

from __future__ import annotations

import gc
import json
import shutil
import signal
import subprocess
import sys
import threading

import psutil
import pytest
from conftest import AP_SEED, NYT_SEED, PROJECT, copy_seeds, read_table
from filelock import FileLock

from pipeline.runner import PipelineSession
from pipeline.validation.worker import stop_worker
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.watch import InputFolderGone, WatchedRun, ignoring, watch, written_by_runs

NEW_REPORT = (
    "Floods displace hundreds in the north\n\n"
    "NAIROBI, Kenya (AP) - Floods forced 1,200 people from their homes on Tuesday, officials said.\n"
)
GIVE_UP_S = 240  # a hung watcher fails the test instead of hanging the suite


def watch_until(session: PipelineSession, steps: list, *, debounce_ms: int = 200) -> list:
    """Run the watcher in this thread; after run k, call steps[k-1](run) (it changes the input
    folder); stop after the last step. Returns every WatchedRun."""
    runs: list[WatchedRun] = []
    stop = threading.Event()
    timer = threading.Timer(GIVE_UP_S, stop.set)
    timer.start()

    def report(run: WatchedRun) -> None:
        runs.append(run)
        if len(runs) <= len(steps):
            steps[len(runs) - 1](run)
        if len(runs) >= len(steps):
            stop.set()

    try:
        watch(session, report, debounce_ms=debounce_ms, stop=stop, lock_timeout=0)
    finally:
        timer.cancel()
        stop_worker()
    return runs


def test_runs_at_start_and_after_each_change(tmp_path):
    input_dir = copy_seeds(tmp_path / "in")
    warehouse = tmp_path / "wh" / "figures.duckdb"
    session = PipelineSession(input_dir, str(warehouse))

    runs = watch_until(
        session,
        [
            lambda run: (input_dir / "new-report.txt").write_text(NEW_REPORT),
            lambda run: (input_dir / NYT_SEED).unlink(),
            lambda run: None,
        ],
    )

    assert [run.number for run in runs] == [1, 2, 3]
    assert all(run.success for run in runs), [run.as_record() for run in runs]
    first, added, removed = (run.as_record() for run in runs)
    assert first["changed_paths"] == 0 and first["new_accepted"] == 2
    assert added["changed_paths"] >= 1 and added["new_accepted"] == 1
    assert added["documents"] == 3
    assert removed["removed_files"] == 1 and removed["new_accepted"] == 0
    assert removed["documents"] == 2
    paths = read_table(warehouse, "SELECT source_path FROM documents ORDER BY 1")
    assert paths["source_path"].tolist() == [AP_SEED, "new-report.txt"]
    new_values = read_table(
        warehouse,
        "SELECT value FROM figures JOIN documents USING (document_id) WHERE source_path = ?",
        ["new-report.txt"],
    )["value"].tolist()
    assert 1200 in new_values
    # One Dagster instance served the three runs and holds only the last one's events.
    assert [run.run_id for run in session._instance.get_runs()] == [runs[-1].outcome.run_id]
    # What the session loaded is left out of garbage collection until it is closed.
    assert gc.get_freeze_count() > 0
    session.close()
    assert gc.get_freeze_count() == 0


def test_a_run_that_cannot_start_is_reported_and_watching_goes_on(tmp_path):
    input_dir = copy_seeds(tmp_path / "in")
    warehouse = tmp_path / "wh" / "figures.duckdb"
    session = PipelineSession(input_dir, str(warehouse))
    lock = FileLock(str(WarehouseLayout(str(warehouse)).run_lock))

    def hold_the_lock_and_add(run: WatchedRun) -> None:
        lock.acquire()  # as another `figures run` writing the same warehouse would
        (input_dir / "new-report.txt").write_text(NEW_REPORT)

    def release_and_touch(run: WatchedRun) -> None:
        lock.release()
        (input_dir / "another.txt").write_text(NEW_REPORT.replace("1,200", "3,400"))

    try:
        runs = watch_until(session, [hold_the_lock_and_add, release_and_touch, lambda run: None])
    finally:
        session.close()

    assert [run.success for run in runs] == [True, False, True]
    assert "another run is writing" in runs[1].as_record()["error"]
    assert "FAILED" in runs[1].describe()
    # The blocked run's file is not lost: the next run reads it with the newer one.
    assert runs[2].as_record()["new_accepted"] == 2
    assert runs[2].as_record()["documents"] == 4


def test_watching_stops_with_a_clear_error_when_the_input_folder_is_removed(tmp_path):
    input_dir = copy_seeds(tmp_path / "in")
    warehouse = tmp_path / "wh" / "figures.duckdb"
    session = PipelineSession(input_dir, str(warehouse))
    runs: list[WatchedRun] = []

    def report(run: WatchedRun) -> None:
        runs.append(run)
        shutil.rmtree(input_dir)

    try:
        with pytest.raises(InputFolderGone, match="was removed"):
            watch(session, report, debounce_ms=200, lock_timeout=0)
    finally:
        stop_worker()
        session.close()
    assert len(runs) == 1 and runs[0].success
    # The published warehouse is the one the last run made.
    assert len(read_table(warehouse, "SELECT * FROM documents")) == 2


def test_the_runs_own_writes_are_not_changes(tmp_path):
    input_dir = tmp_path / "in"
    layout = WarehouseLayout(str(input_dir / "warehouse" / "figures.duckdb"))
    own = written_by_runs(layout)
    keep = ignoring(own)
    for path in (
        layout.published,
        layout.published.with_name("figures.duckdb.wal"),
        layout.staging,
        layout.run_lock,
        layout.gx_root / "validations" / "result.json",
        layout.data_docs_dir / "index.html",
        layout.exports_dir / "figures" / "part-0.parquet",
    ):
        assert not keep(None, str(path)), path
    for path in (input_dir / "report.txt", input_dir / "warehouse" / "notes.txt"):
        assert keep(None, str(path)), path


def test_the_command_prints_a_json_line_per_run_and_stops_on_sigterm(tmp_path):
    input_dir = copy_seeds(tmp_path / "in")
    warehouse = tmp_path / "wh" / "figures.duckdb"
    command = [sys.executable, "-m", "pipeline.cli", "watch", "--jsonl", "--debounce", "200"]
    command += ["--input", str(input_dir), "--warehouse", str(warehouse)]
    child = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        first = json.loads(child.stdout.readline())
        assert first["run"] == 1 and first["success"] and first["documents"] == 2
        shutil.copy(input_dir / AP_SEED, input_dir / "copy-of-ap.txt")
        second = json.loads(child.stdout.readline())
        # A byte-identical copy is read and rejected as a duplicate: still a row of its own.
        assert second["run"] == 2 and second["success"] and second["new_rejected"] == 1
        helpers = psutil.Process(child.pid).children(recursive=True)
        assert helpers, "the GX worker should be running beside the watcher"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 0, child.stderr.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    # Stopping also stopped the GX worker: nothing of the watcher's is left running.
    _, alive = psutil.wait_procs(helpers, timeout=30)
    assert not alive


def test_watch_is_a_documented_command():
    out = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "watch", "--help"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--debounce" in out and "--jsonl" in out
