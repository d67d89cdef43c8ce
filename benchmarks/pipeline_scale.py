"""How the whole pipeline scales with the number of documents, on this machine.

For each N (default 1,000, 10,000 and 100,000 synthetic documents from generate_corpus.py):
- baselines over the same files: `cat` of every file, and one regex pass in Python;
- a full `figures run` into a fresh warehouse: wall time, time per stage from the Dagster run's
  STEP_START/STEP_SUCCESS events, peak memory (sum over the process tree, sampled, and the
  largest single process from GNU time), figures per second;
- a re-run with nothing changed (the fixed cost of a run), then a run after adding 1% new
  documents (the incremental cost), and the same +1% five times in a long-lived
  `figures watch`;
- at 1,000 and 10,000 documents the full run twice more after those (`FULL_RUNS`): the run
  with the median time is reported and the ratios use it, since the machine's speed drifts
  over minutes.
Results are merged by N into benchmarks/.data/scale-results.json, plotted to
benchmarks/scale.png and written into benchmarks/README.md between the `scale` markers.

    .venv/bin/python benchmarks/pipeline_scale.py [--sizes 1000 10000 100000]

Each run is the real CLI (`pipeline.cli.main(["run", ...])`) in a fresh Python process; the
only addition is that the process keeps a handle on the pipeline's Dagster instance so the step
events can be read after the run (see `probe`).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DATA = BENCH / ".data"
RESULTS = DATA / "scale-results.json"
README = BENCH / "README.md"
PLOT = BENCH / "scale.png"
PYTHON = sys.executable
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
NUMBER = re.compile(r"\d[\d,]*")

# Full runs per size (the first, then again after the incremental runs); 100,000 runs once.
FULL_RUNS = {1_000: 3, 10_000: 3}
DOCS_BUILD = "data_docs build"  # from the data_docs materialization, not a step

# Dagster step keys -> the stages the issue asks about.
STAGES = {
    "ingest": ("staged_documents",),
    "validate": (
        "validated_documents",
        "validated_documents_documents_error_rules",
        "validated_figures",
        "validated_figures_figures_error_rules",
    ),
    "extract": ("staged_figures",),
    "publish": ("published_warehouse", "reports_beside_warehouse"),
    # built while the exports are written, in the same step: the build's own time
    "data_docs": (DOCS_BUILD,),
}


# ---------------------------------------------------------------- the probed run (child side)
def probe(input_dir: str, warehouse: str, report: str) -> int:
    """Run `figures run` in this process and write its step durations to `report` (JSON).

    Like the `figures` command it starts the validation worker before Dagster loads, and the
    caller ends the process without interpreter teardown (`pipeline.cli.entry_point`)."""
    from pipeline.validation.worker import start_worker
    from pipeline.warehouse.layout import WarehouseLayout

    start_worker(WarehouseLayout(warehouse).gx_root)  # `figures run` would, before Dagster
    import pipeline.instance
    from pipeline.cli import main

    instances: list = []
    ephemeral = pipeline.instance.ephemeral_instance

    def keep():
        instance = ephemeral()
        instances.append((instance, instance.dispose))
        instance.dispose = lambda: None  # read its events after the run, then dispose
        return instance

    pipeline.instance.ephemeral_instance = keep
    began = time.perf_counter()
    status = main(["run", "--input", input_dir, "--warehouse", warehouse])
    in_process = time.perf_counter() - began
    steps: dict[str, float] = {}
    windows: dict[str, list[float]] = {}  # step -> [start, end] (epoch seconds)
    for instance, dispose in instances:
        for run in instance.get_runs():
            starts: dict[str, float] = {}
            for entry in instance.all_logs(run.run_id):
                event = entry.dagster_event
                if event is None or event.step_key is None:
                    continue
                if event.event_type_value == "STEP_START":
                    starts[event.step_key] = entry.timestamp
                elif event.event_type_value == "ASSET_MATERIALIZATION":
                    materialization = event.step_materialization_data.materialization
                    built = materialization.metadata.get("build_seconds")
                    if built is not None:
                        steps[DOCS_BUILD] = built.value
                elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                    begun = starts.get(event.step_key, entry.timestamp)
                    steps[event.step_key] = entry.timestamp - begun
                    windows[event.step_key] = [begun, entry.timestamp]
        dispose()
    Path(report).write_text(
        json.dumps({"status": status, "steps": steps, "windows": windows, "cli": in_process})
    )
    return status


# ---------------------------------------------------------------- measuring (parent side)
class TreeMemory:
    """Peak of the summed resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.peak = 0
        self.samples: list[tuple[float, int]] = []  # (epoch seconds, bytes)
        self._root = psutil.Process(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                processes = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self.samples.append((time.time(), total))
            self._stop.wait(interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed_run(input_dir: Path, warehouse: Path) -> dict:
    """One probed `figures run`: wall time, stage times, peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        report, rusage = Path(tmp) / "report.json", Path(tmp) / "time.txt"
        command = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(rusage), PYTHON, __file__]
        command.append("--probe")
        command += [str(input_dir), str(warehouse), str(report)]
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, text=True)
        memory = TreeMemory(child.pid)
        output, _ = child.communicate()
        wall = time.perf_counter() - began
        tree_peak = memory.stop()
        if child.returncode != 0:
            raise SystemExit(f"figures run failed ({child.returncode}):\n{output}")
        probed = json.loads(report.read_text())
        largest_kb, user_s, system_s = rusage.read_text().split()[-3:]
    steps = probed["steps"]
    step_peaks = {
        key: round(max((b for t, b in memory.samples if start <= t <= end), default=0) / 2**20)
        for key, (start, end) in probed.get("windows", {}).items()
    }
    stages = {
        stage: round(sum(steps.get(key, 0.0) for key in keys), 2) for stage, keys in STAGES.items()
    }
    in_steps = sum(value for key, value in steps.items() if key != DOCS_BUILD)
    stages["startup_and_orchestration"] = round(wall - in_steps, 2)
    return {
        "wall_s": round(wall, 2),
        "stages_s": stages,
        "steps_s": {key: round(value, 2) for key, value in sorted(steps.items())},
        "peak_tree_rss_mb": round(tree_peak / 2**20),
        "peak_tree_rss_mb_by_step": dict(sorted(step_peaks.items())),
        "peak_single_process_rss_mb": round(int(largest_kb) / 1024),
        # CPU seconds of the run and all its processes: on an idle machine wall >= cpu / cores
        "cpu_s": round(float(user_s) + float(system_s), 1),
    }


class Watcher:
    """A `figures watch --jsonl` process over the corpus, read one run record at a time."""

    def __init__(self, input_dir: Path, warehouse: Path, debounce_ms: int = 500) -> None:
        command = [PYTHON, "-m", "pipeline.cli", "watch", "--jsonl"]
        command += ["--debounce", str(debounce_ms)]
        command += ["--input", str(input_dir), "--warehouse", str(warehouse)]
        self.child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, text=True)
        self.memory = TreeMemory(self.child.pid)

    def next_run(self) -> dict:
        line = self.child.stdout.readline()
        if not line:
            raise SystemExit(f"figures watch ended ({self.child.wait()})")
        run = json.loads(line)
        if not run["success"]:
            raise SystemExit(f"figures watch run failed: {run}")
        return run

    def stop(self) -> int:
        """Stop the watcher (SIGTERM, as a service manager would); its peak tree memory."""
        self.child.terminate()
        self.child.wait(timeout=120)
        return round(self.memory.stop() / 2**20)


def watched_increment(input_dir: Path, warehouse: Path, size: int, increments: int = 3) -> dict:
    """+1% documents in a long-lived `figures watch`, `increments` times (each removed again
    after its run): the runs' own times, and the time from the last file written to the run's
    report (the debounce wait included). The medians are over every change, the first one
    after the watcher started included; that first one is also reported on its own."""
    from generate_corpus import document_path, generate

    added = max(1, size // 100)
    watcher = Watcher(input_dir, warehouse)
    runs, latencies, removals = [], [], []
    try:
        start = watcher.next_run()  # brings the warehouse up to date with the folder
        for _ in range(increments):
            with tempfile.TemporaryDirectory(dir=input_dir.parent) as incoming:
                # Written aside, then moved in, as files usually arrive (one run sees them all).
                generate(Path(incoming), added, start=size)
                for index in range(size, size + added):
                    source = document_path(Path(incoming), index)
                    target = document_path(input_dir, index)
                    target.parent.mkdir(exist_ok=True)
                    for suffix in (".meta.json", ".txt"):  # the sidecar before its text
                        name = source.stem + suffix
                        if source.with_name(name).exists():
                            os.replace(source.with_name(name), target.with_name(name))
            written = time.perf_counter()
            run = watcher.next_run()
            latencies.append(time.perf_counter() - written)
            assert run["new_accepted"] + run["new_rejected"] == added, run
            runs.append(run["seconds"])
            for index in range(size, size + added):
                path = document_path(input_dir, index)
                path.unlink(missing_ok=True)
                path.with_name(path.stem + ".meta.json").unlink(missing_ok=True)
            removals.append(watcher.next_run()["seconds"])
    finally:
        peak = watcher.stop()
    return {
        "added_documents": added,
        "increments": increments,
        "run_s": round(statistics.median(runs), 3),
        "runs_s": runs,
        "first_change_s": runs[0],
        "latency_s": round(statistics.median(latencies), 2),
        "first_run_s": start["seconds"],
        "removal_run_s": round(statistics.median(removals), 3),
        "peak_tree_rss_mb": peak,
    }


def baselines(input_dir: Path) -> dict:
    """Reading every file with `cat`, and one regex pass for numbers in Python."""
    began = time.perf_counter()
    subprocess.run(
        f"find {str(input_dir)!r} -type f -print0 | xargs -0 cat > /dev/null",
        shell=True,
        check=True,
    )
    cat = time.perf_counter() - began
    began = time.perf_counter()
    numbers = 0
    for path in input_dir.rglob("*.txt"):
        numbers += len(NUMBER.findall(path.read_text(encoding="utf-8")))
    regex = time.perf_counter() - began
    return {"cat_s": round(cat, 3), "regex_s": round(regex, 3), "regex_numbers": numbers}


def warehouse_rows(warehouse: Path) -> dict:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "documents_ok": conn.execute(
                "SELECT count(*) FROM documents WHERE status = 'ok'"
            ).fetchone()[0],
            "figures": conn.execute("SELECT count(*) FROM figures").fetchone()[0],
            "counts": conn.execute("SELECT count(*) FROM figures WHERE kind = 'count'").fetchone()[
                0
            ],
            "warehouse_mb": round(warehouse.stat().st_size / 2**20, 1),
        }


def corpus(size: int) -> Path:
    """benchmarks/.data/corpus-N, generated once (a marker beside it says it is complete)."""
    sys.path.insert(0, str(BENCH))
    from generate_corpus import generate

    folder, marker = DATA / f"corpus-{size}", DATA / f"corpus-{size}.complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        began = time.perf_counter()
        generate(folder, size)
        print(f"  generated {size:,} documents in {time.perf_counter() - began:.1f} s")
        marker.touch()
    return folder


def measure(size: int) -> dict:
    sys.path.insert(0, str(BENCH))
    from generate_corpus import document_path, generate

    input_dir = corpus(size)
    result: dict = {"documents": size, "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    result["baseline"] = baselines(input_dir)
    print(f"  baselines: {result['baseline']}")
    warehouse = DATA / f"warehouse-{size}" / "figures.duckdb"
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    result["full"] = timed_run(input_dir, warehouse)
    result["rows"] = warehouse_rows(warehouse)
    print(f"  full run: {result['full']}\n  rows: {result['rows']}")
    result["unchanged"] = timed_run(input_dir, warehouse)
    print(f"  unchanged re-run: {result['unchanged']['wall_s']} s")
    added = max(1, size // 100)
    generate(input_dir, added, start=size)
    try:
        result["incremental"] = timed_run(input_dir, warehouse)
        result["incremental"]["added_documents"] = added
    finally:
        for index in range(size, size + added):
            path = document_path(input_dir, index)
            path.unlink(missing_ok=True)
            path.with_name(path.stem + ".meta.json").unlink(missing_ok=True)
    print(f"  incremental (+{added}): {result['incremental']}")
    result["watched"] = watched_increment(
        input_dir, warehouse, size, increments=5 if size <= 10_000 else 3
    )
    print(f"  in figures watch (+{added}): {result['watched']}")
    # The machine's speed drifts by tens of percent over minutes: small sizes run the full
    # run again after the incremental ones; the run with the median time stands for them all.
    runs = [result["full"]]
    scratch = DATA / f"warehouse-{size}-again" / "figures.duckdb"
    for _ in range(FULL_RUNS.get(size, 1) - 1):
        shutil.rmtree(scratch.parent, ignore_errors=True)
        runs.append(timed_run(input_dir, scratch))
    shutil.rmtree(scratch.parent, ignore_errors=True)
    walls = [run["wall_s"] for run in runs]
    full = result["full"] = sorted(runs, key=lambda run: run["wall_s"])[(len(runs) - 1) // 2]
    full["walls_s"] = walls
    full["figures_per_s"] = round(result["rows"]["figures"] / full["wall_s"])
    full["documents_per_s"] = round(size / full["wall_s"])
    print(f"  full runs: {walls} s, median {full['wall_s']} s")
    for kind, key in (("incremental", "wall_s"), ("watched", "run_s")):
        result[kind]["ratio_to_full"] = round(result[kind][key] / full["wall_s"], 3)
    return result


# ---------------------------------------------------------------- reporting
def plot(results: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["documents"] for r in results]
    fig, (cost, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    cost.plot(sizes, [r["full"]["wall_s"] for r in results], "o-", label="figures run (full)")
    for stage in ("ingest", "extract", "validate", "publish"):
        cost.plot(sizes, [r["full"]["stages_s"][stage] for r in results], ".--", label=stage)
    cost.plot(sizes, [r["incremental"]["wall_s"] for r in results], "s-", label="+1% incremental")
    cost.plot(sizes, [r["baseline"]["regex_s"] for r in results], "x:", label="regex pass")
    cost.plot(sizes, [r["baseline"]["cat_s"] for r in results], "x:", label="cat")
    cost.set(xscale="log", yscale="log", xlabel="documents", ylabel="seconds", title="Cost")
    cost.legend(fontsize=8)
    memory.plot(sizes, [r["full"]["peak_tree_rss_mb"] for r in results], "o-", label="process tree")
    memory.plot(
        sizes, [r["full"]["peak_single_process_rss_mb"] for r in results], "s--", label="largest"
    )
    memory.axhline(2048, color="red", lw=0.8, label="2 GB target")
    memory.set(xscale="log", xlabel="documents", ylabel="MB", title="Peak memory (full run)")
    memory.legend(fontsize=8)
    fig.suptitle(f"figures pipeline on {results[0]['cores']} cores")
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)


def markdown(results: list[dict]) -> str:
    lines = [
        BEGIN,
        "## Pipeline scale (end to end)",
        "",
        "Written by `benchmarks/pipeline_scale.py` (synthetic corpus from",
        "`benchmarks/generate_corpus.py`; plot: `scale.png`). Times in seconds on "
        f"{results[0]['cores']} cores. The full run is the one with the median time of "
        + ", ".join(f"{runs} at {size:,}" for size, runs in FULL_RUNS.items())
        + " (one at other sizes); the ratios divide by it. In a small run (up to "
        "2,000 new documents) the figures are extracted while GX validates the documents, so "
        "at 1,000 the extraction time shows under validate.",
        "",
        "| documents | full run | CPU s | ingest | extract | validate | publish | data docs | startup | "
        "docs/s | figures/s | peak MB (tree / largest) | unchanged re-run | +1% run | +1% / full |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    watched = [r for r in results if "watched" in r]
    for r in results:
        full, stages = r["full"], r["full"]["stages_s"]
        lines.append(
            f"| {r['documents']:,} | {full['wall_s']} | {full.get('cpu_s', '')} | "
            f"{stages['ingest']} | {stages['extract']} | "
            f"{stages['validate']} | {stages['publish']} | {stages['data_docs']} | "
            f"{stages['startup_and_orchestration']} | {full['documents_per_s']:,} | "
            f"{full['figures_per_s']:,} | {full['peak_tree_rss_mb']:,} / "
            f"{full['peak_single_process_rss_mb']:,} | {r['unchanged']['wall_s']} | "
            f"{r['incremental']['wall_s']} | {r['incremental']['ratio_to_full']:.1%} |"
        )
    if watched:
        lines += [
            "",
            "The same +1% in a long-lived `figures watch` (Dagster, pandas and GX loaded once), "
            "added and removed again five times (three at 100,000): the median of the runs' own "
            "times, the first "
            "change after the watcher started, and the median time from the last file written "
            "to the run's report (which adds the 0.5 s debounce):",
            "",
            "| documents | +1% run in watch | +1% / full | first change | file to report | "
            "removal run | watcher peak MB |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in watched:
            w = r["watched"]
            lines.append(
                f"| {r['documents']:,} | {w['run_s']} | {w['ratio_to_full']:.1%} | "
                f"{w.get('first_change_s', w['run_s'])} | {w['latency_s']} | "
                f"{w['removal_run_s']} | {w['peak_tree_rss_mb']:,} |"
            )
    lines += [
        "",
        "Baselines over the same files, and the pipeline's cost relative to them:",
        "",
        "| documents | MB | figures | cat | regex pass | full run / cat | full run / regex |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = r["baseline"]
        lines.append(
            f"| {r['documents']:,} | {r.get('corpus_mb', '')} | {r['rows']['figures']:,} | "
            f"{b['cat_s']} | {b['regex_s']} | {r['full']['wall_s'] / max(b['cat_s'], 1e-3):,.0f}× | "
            f"{r['full']['wall_s'] / max(b['regex_s'], 1e-3):,.0f}× |"
        )
    lines += ["", *targets(results), END]
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    """The issue's targets, each with the measured value and whether it is met."""
    by_size = {r["documents"]: r for r in results}
    lines = ["Targets:", ""]
    if 10_000 in by_size:
        wall = by_size[10_000]["full"]["wall_s"]
        lines.append(
            f"- 10,000 documents end to end < 60 s: **{wall} s** ({'met' if wall < 60 else 'missed'})"
        )
    for r in results:
        ratio = r["incremental"]["ratio_to_full"]
        fixed = r["unchanged"]["wall_s"]
        line = (
            f"- +1% run < 10% of the full run at {r['documents']:,}: `figures run` "
            f"**{ratio:.1%}** ({'met' if ratio < 0.1 else 'missed'}; a fresh process with "
            f"nothing new costs {fixed} s)"
        )
        if "watched" in r:
            kept = r["watched"]["ratio_to_full"]
            line += (
                f"; `figures watch` **{kept:.1%}** (median of "
                f"{r['watched'].get('increments', 1)} changes; "
                f"{'met' if kept < 0.1 else 'missed'})"
            )
        lines.append(line)
    if 100_000 in by_size:
        peak = by_size[100_000]["full"]["peak_tree_rss_mb"]
        lines.append(
            f"- peak memory < 2 GB at 100,000: **{peak:,} MB** ({'met' if peak < 2048 else 'missed'})"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = last["full"]["peak_tree_rss_mb"] / first["full"]["peak_tree_rss_mb"]
        size = last["documents"] / first["documents"]
        lines.append(
            f"- memory sublinear: {size:,.0f}× the documents, **{growth:.1f}×** the peak memory "
            f"({'met' if growth < size else 'missed'})"
        )
    loads = ", ".join(f"{r['load_before']:.1f}" for r in results if "load_before" in r)
    lines += [
        "",
        f"Load average before each size: {loads} (the machine is shared; times are noisy).",
    ]
    return lines


def write_readme(section: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-readme", action="store_true", help="do not touch README.md")
    parser.add_argument(
        "--report-only", action="store_true", help="plot and write the stored results, no runs"
    )
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    stored = (
        {r["documents"]: r for r in json.loads(RESULTS.read_text())} if RESULTS.exists() else {}
    )
    for size in [] if args.report_only else args.sizes:
        print(f"N = {size:,}")
        result = measure(size)
        result["corpus_mb"] = round(sum(p.stat().st_size for p in corpus(size).rglob("*")) / 1e6, 1)
        stored[size] = result
        RESULTS.write_text(
            json.dumps(sorted(stored.values(), key=lambda r: r["documents"]), indent=1)
        )
    results = sorted(stored.values(), key=lambda r: r["documents"])
    plot(results)
    section = markdown(results)
    print(section)
    if not args.no_readme:
        write_readme(section)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--probe":
        status = probe(*sys.argv[2:])
        atexit._run_exitfuncs()  # as `figures` does: exit handlers, then no teardown
        sys.stdout.flush()
        os._exit(status)
    main()
