"""Readers never break a run: the read-only helpers, their retries while a writer holds the
file, a reader in another process during a real run (which must succeed while the reader only
ever sees whole states), and a run killed part-way (the last warehouse stays whole)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT, copy_seeds
from test_exports import make_warehouse

from pipeline.runner import run_pipeline
from pipeline.settings import WAREHOUSE_ENV
from pipeline.warehouse import WarehouseUnavailable, connect_read_only, query, read_table, relations
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.views import VIEWS

STATE_SQL = """
    SELECT
        (SELECT count(*) FROM documents),
        (SELECT count(*) FROM figures),
        (SELECT count(*) FROM figures WHERE document_id NOT IN (SELECT document_id FROM documents)),
        (SELECT count(*) FROM figures_enriched)
"""

# Reads the published warehouse in a loop and prints what it sees. Mode "held" keeps one
# read-only connection for its whole life; mode "fresh" opens a short-lived one on every loop.
# (They must be separate processes: within one process DuckDB hands every new connection to a
# file the database instance already open, so a held connection pins the state for all.)
READER = textwrap.dedent(
    """
    import json, os, sys, time
    from pipeline.warehouse import connect_read_only
    warehouse, stop, mode = sys.argv[1:4]
    SQL = sys.stdin.read()
    held = connect_read_only(warehouse) if mode == "held" else None
    while not os.path.exists(stop):
        if held is not None:
            seen = held.execute(SQL).fetchone()
        else:
            with connect_read_only(warehouse) as fresh:
                seen = fresh.execute(SQL).fetchone()
        print(json.dumps(seen), flush=True)
        time.sleep(0.02)
    if held is not None:
        held.close()
    """
)

# Holds the warehouse open read-write (what a careless script could do) for argv[2] seconds.
WRITER = textwrap.dedent(
    """
    import sys, time, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.close()
    """
)


def add_reports(folder: Path, count: int, *, start: int = 0) -> None:
    """Short, distinct reports, so a run has new documents and figures to add."""
    for number in range(start, start + count):
        (folder / f"report-{number:04d}.txt").write_text(
            f"Report {number}\n\nAbout {300 + number} people fled the village of Hajin on "
            f"Monday, and at least {12 + number} civilians were killed, officials said.\n",
            encoding="utf-8",
        )


def state(warehouse: Path) -> tuple[int, int, int, int]:
    with connect_read_only(warehouse) as conn:
        return tuple(conn.execute(STATE_SQL).fetchone())


def wait_for(predicate, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.01)


def start(script: str, *args: str, stdout, stdin_text: str | None = None) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )
    if stdin_text is not None:
        process.stdin.write(stdin_text)
    process.stdin.close()
    return process


# --- the helpers ------------------------------------------------------------------------------


def test_read_table_finds_the_warehouse_from_the_environment(seeded_run, monkeypatch):
    _, _, warehouse = seeded_run
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    figures = read_table("figures")
    assert len(figures) > 0
    assert list(figures.columns[:3]) == ["figure_id", "document_id", "start_char"]
    # tables come back in their published order
    assert list(figures.document_id) == sorted(figures.document_id)
    assert len(read_table("figures_enriched")) == len(figures)
    assert set(VIEWS) | {"documents", "figures"} <= set(relations())
    counted = query("SELECT count(*) AS n FROM figures WHERE kind = ?", ["count"])
    assert counted.n[0] == (figures.kind == "count").sum()


def test_read_table_names_what_exists_when_asked_for_something_else(tmp_path):
    warehouse = make_warehouse(tmp_path / "displacement.duckdb")
    with pytest.raises(KeyError, match="figure_summary"):
        read_table("figures; DROP TABLE figures", warehouse)
    assert len(read_table("figures", warehouse)) == 3


def test_a_missing_warehouse_says_how_to_make_one(tmp_path):
    with pytest.raises(WarehouseUnavailable, match="figures run"):
        read_table("figures", tmp_path / "nothing.duckdb")


def test_a_read_write_connection_in_the_same_process_is_named(tmp_path):
    warehouse = make_warehouse(tmp_path / "displacement.duckdb")
    with duckdb.connect(str(warehouse)), pytest.raises(WarehouseUnavailable, match="this process"):
        connect_read_only(warehouse)


@contextlib.contextmanager
def held_by_a_writer(warehouse: Path) -> Iterator[None]:
    """Another process holds `warehouse` open read-write for the duration."""
    writer = start(WRITER, str(warehouse), "30", stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == "ready"
        yield
    finally:
        writer.kill()
        writer.wait()


def test_a_reader_gives_up_with_a_clear_message_while_a_writer_holds_the_file(tmp_path):
    warehouse = make_warehouse(tmp_path / "displacement.duckdb")
    with held_by_a_writer(warehouse):
        began = time.monotonic()
        with pytest.raises(WarehouseUnavailable, match="held open for writing") as raised:
            connect_read_only(warehouse, attempts=4, first_delay=0.01)
        assert time.monotonic() - began < 5
        assert "lock" in str(raised.value).lower()


def test_a_reader_retries_until_a_writer_lets_go(tmp_path):
    warehouse = make_warehouse(tmp_path / "displacement.duckdb")
    writer = start(WRITER, str(warehouse), "0.5", stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == "ready"
        frame = read_table("documents", warehouse)  # retries with backoff for about 6 s
        assert len(frame) == 2
    finally:
        writer.wait(timeout=30)


# --- readers during a real run ----------------------------------------------------------------


def seen(log: Path) -> list[tuple]:
    """The states a reader printed (complete lines only: it may be writing the last one)."""
    complete = log.read_text().rpartition("\n")[0]
    return [tuple(json.loads(line)) for line in complete.splitlines() if line.strip()]


def test_readers_in_other_processes_never_break_a_run_and_see_only_whole_states(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "warehouse" / "displacement.duckdb"
    first = run_pipeline(input_dir, str(warehouse))
    assert first.success, first.failure_message()
    old = state(warehouse)

    stop = tmp_path / "stop-reading"
    logs = {mode: tmp_path / f"{mode}.jsonl" for mode in ("held", "fresh")}
    readers, outputs = {}, []
    try:
        for mode, log in logs.items():
            outputs.append(log.open("w"))
            readers[mode] = start(
                READER, str(warehouse), str(stop), mode, stdout=outputs[-1], stdin_text=STATE_SQL
            )
        for mode, log in logs.items():
            wait_for(
                lambda log=log: log.exists() and seen(log), 60, f"the {mode} reader did not start"
            )
        add_reports(input_dir, 5)
        second = run_pipeline(input_dir, str(warehouse))  # while both readers hold the file
        assert second.success, second.failure_message()
        new = state(warehouse)
        assert new[0] == old[0] + 5 and new[1] > old[1]
        wait_for(lambda: new in seen(logs["fresh"]), 60, "the fresh reader never saw the new state")
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=60)
        for output in outputs:
            output.close()
    for mode, reader in readers.items():
        assert reader.returncode == 0, (mode, reader.stderr.read())

    held, fresh = seen(logs["held"]), seen(logs["fresh"])
    assert set(held) == {old}  # an open connection keeps the state it opened, whole
    assert set(fresh) <= {old, new}  # a new connection sees the old state or the new, never half
    assert fresh[0] == old and fresh[-1] == new
    for _documents, figures, orphans, enriched in [*held, *fresh]:
        assert orphans == 0 and enriched == figures


def test_a_run_killed_part_way_leaves_the_last_warehouse_whole(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "warehouse" / "displacement.duckdb"
    first = run_pipeline(input_dir, str(warehouse))
    assert first.success, first.failure_message()
    old = state(warehouse)
    old_figures = read_table("figures", warehouse)

    add_reports(input_dir, 200)
    staging = WarehouseLayout(str(warehouse)).staging
    assert not staging.exists()
    with (tmp_path / "run.log").open("w") as out:
        run = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline.cli",
                "run",
                "--input",
                str(input_dir),
                "--warehouse",
                str(warehouse),
            ],
            cwd=PROJECT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            # the run has started writing its staging copy: kill it before it can publish
            wait_for(
                lambda: staging.exists() or run.poll() is not None, 120, "the run never started"
            )
            time.sleep(0.2)
            assert run.poll() is None, "the run ended before it could be killed"
            os.kill(run.pid, signal.SIGKILL)
        finally:
            run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL
    assert staging.exists(), "killed after publishing: the test did not kill the run part-way"

    # the published warehouse is the last one, readable and whole
    assert state(warehouse) == old
    assert read_table("figures", warehouse).equals(old_figures)
    assert len(read_table("figure_summary", warehouse)) > 0

    # and the next run completes, over the leftovers of the killed one
    again = run_pipeline(input_dir, str(warehouse))
    assert again.success, again.failure_message()
    documents, figures, orphans, enriched = state(warehouse)
    assert documents == old[0] + 200 and figures > old[1]
    assert orphans == 0 and enriched == figures
    assert not staging.exists()
