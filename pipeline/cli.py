"""The `figures` command line: `figures run` materializes the pipeline, `figures extract`
prints the figures of texts without touching the warehouse.

Heavy libraries (Dagster, Great Expectations) are imported inside the commands that need
them, so `figures extract` and `--help` start quickly."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pipeline.cli_sql import add_sql_command
from pipeline.settings import (
    DEFAULT_DEBOUNCE_MS,
    INPUT_DIR_ENV,
    WAREHOUSE_ENV,
    input_dir_from_env,
    warehouse_from_env,
)


def _locations(args: argparse.Namespace) -> tuple[Path, str] | None:
    """The input folder and warehouse of `args` (or their defaults); None, with the reason on
    stderr, when the input folder does not exist."""
    input_dir = Path(args.input) if args.input else input_dir_from_env()
    if not input_dir.is_dir():
        print(f"figures {args.command}: input folder {input_dir} does not exist", file=sys.stderr)
        return None
    return input_dir, args.warehouse or warehouse_from_env()


def _run(args: argparse.Namespace) -> int:
    from pipeline.runner import WarehouseBusy, run_pipeline
    from pipeline.summary import format_summary, warehouse_counts
    from pipeline.warehouse.layout import WarehouseLayout

    if (locations := _locations(args)) is None:
        return 2
    input_dir, warehouse = locations
    try:
        outcome = run_pipeline(input_dir, warehouse, lock_timeout=args.wait)
    except WarehouseBusy as error:
        print(f"figures run: {error}", file=sys.stderr)
        return 3
    layout = WarehouseLayout(warehouse)
    published = not layout.is_local_file or layout.published.exists()
    counts = warehouse_counts(warehouse) if published else None
    print(format_summary(outcome, counts, warehouse))
    if not outcome.success:
        kept = "the previous warehouse is unchanged" if published else "nothing was published"
        print(f"figures run: run failed: {outcome.failure_message()}; {kept}", file=sys.stderr)
        return 1
    return 0


def _watch(args: argparse.Namespace) -> int:
    from pipeline.runner import PipelineSession
    from pipeline.watch import InputFolderGone, WatchedRun, watch

    if (locations := _locations(args)) is None:
        return 2
    input_dir, warehouse = locations

    def report(run: WatchedRun) -> None:
        line = json.dumps(run.as_record()) if args.jsonl else run.describe()
        print(line, flush=True)

    if not args.jsonl:
        print(f"figures watch: keeping {warehouse} up to date with {input_dir} (Ctrl-C stops)")
    # A service manager stops with SIGTERM: end like Ctrl-C, so exit handlers stop the GX
    # worker. A run cut short either way leaves the previous warehouse as it was.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt), PipelineSession(input_dir, warehouse) as session:
        try:
            watch(session, report, debounce_ms=args.debounce)
        except InputFolderGone as gone:
            print(f"figures watch: {gone}; stopping", file=sys.stderr)
            return 2
    return 0


def _read_inputs(paths: Sequence[str]):
    for name in paths:
        if name == "-":
            yield "stdin.txt", sys.stdin.buffer.read()
        else:
            yield name, Path(name).read_bytes()


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _extract(args: argparse.Namespace) -> int:
    from pipeline.figure_rows import figure_rows
    from pipeline.ingestion import document_from_bytes

    status = 0
    table_rows: list[tuple[str, dict]] = []
    for name, raw in _read_inputs(args.files):
        document = document_from_bytes(raw, Path(name).name)
        if document.status != "ok":
            print(f"figures extract: {name}: rejected: {document.reject_reason}", file=sys.stderr)
            status = 1
            continue
        rows = figure_rows(document.as_row())
        if not args.all_kinds:
            rows = [row for row in rows if row["kind"] == "count"]
        for row in rows:
            if args.jsonl:
                print(json.dumps(row, default=_json_default, ensure_ascii=False))
            else:
                table_rows.append((name, row))
    if not args.jsonl:
        print(_figure_table(table_rows))
    return status


def _figure_table(rows: list[tuple[str, dict]]) -> str:
    headers = (
        "file",
        "mention",
        "value",
        "low",
        "high",
        "qualifier",
        "category",
        "unit",
        "location",
        "date",
    )
    cells = [
        (
            Path(name).name,
            row["mention"],
            row["value"],
            row["value_low"],
            row["value_high"],
            row["qualifier"],
            row["category"],
            row["unit"],
            row["location"],
            row["event_date"],
        )
        for name, row in rows
    ]
    text = [["" if cell is None else str(cell)[:40] for cell in line] for line in cells]
    widths = [
        max([len(header)] + [len(line[i]) for line in text]) for i, header in enumerate(headers)
    ]
    out = ["  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True))]
    out += [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in text
    ]
    out.append(f"({len(rows)} figures)")
    return "\n".join(out)


def _add_locations(command: argparse.ArgumentParser) -> None:
    """--input and --warehouse, for the commands that run the pipeline."""
    command.add_argument(
        "--input", metavar="DIR", help=f"input folder (default: ${INPUT_DIR_ENV}, else seeds/)"
    )
    command.add_argument(
        "--warehouse",
        metavar="FILE",
        help=f"DuckDB file or connection string (default: ${WAREHOUSE_ENV}, else warehouse/displacement.duckdb)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="figures",
        description="Extract the figures of crisis and displacement reports into a validated DuckDB warehouse.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the whole pipeline over a folder of texts",
        description="Materialize every asset and check in-process: read the input folder, extract and "
        "validate figures, publish the warehouse and print a summary. Exit status 1 when a step or a "
        "blocking check fails (the previous warehouse is then left as it was).",
    )
    _add_locations(run)
    run.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="how long to wait for another run on the same warehouse to finish (default: 0, fail at once)",
    )
    run.set_defaults(handler=_run)

    watch = commands.add_parser(
        "watch",
        help="keep the warehouse up to date with the input folder",
        description="Run the pipeline now, then again whenever files are added, changed or removed in "
        "the input folder, in one long-lived process: Dagster and Great Expectations load once, so "
        "a run over a few new documents takes about a second. Each run is a normal `figures run` "
        "(same lock, same checks; a failed run leaves the previous warehouse as it was). Prints a "
        "line per run; Ctrl-C stops.",
    )
    _add_locations(watch)
    watch.add_argument(
        "--debounce",
        type=int,
        default=DEFAULT_DEBOUNCE_MS,
        metavar="MS",
        help=f"run once the folder has been quiet this long (default: {DEFAULT_DEBOUNCE_MS} ms)",
    )
    watch.add_argument("--jsonl", action="store_true", help="print one JSON object per run")
    watch.set_defaults(handler=_watch)

    extract = commands.add_parser(
        "extract",
        help="print the figures of texts, without touching the warehouse",
        description="Read each FILE (or standard input for '-') as the pipeline would and print its figures: "
        "a table for a person, or JSON lines with the `figures` columns for a program.",
    )
    extract.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="text, HTML or JSON files; '-' reads standard input",
    )
    extract.add_argument("--jsonl", action="store_true", help="print one JSON object per figure")
    extract.add_argument(
        "--all-kinds",
        action="store_true",
        help="also print ages, durations, money and other non-counts",
    )
    extract.set_defaults(handler=_extract)
    add_sql_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


def entry_point() -> None:
    """The `figures` command: `main()`, then exit without tearing the interpreter down.

    Freeing every module and object of Dagster, pandas and GX one by one takes about a second
    after a run has finished, longer than a small incremental run's own work. Exit handlers
    still run (they stop the validation worker, flush logs and join pools) and the output is
    flushed; only that teardown is skipped."""
    status = main()
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    entry_point()
