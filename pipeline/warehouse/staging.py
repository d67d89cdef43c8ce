"""The staging database of a run: a copy of the published warehouse that the run changes,
checks and then publishes whole, so readers never see a half-written state."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb

from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.schema import TABLES, drop_staging_tables, ensure_schema
from pipeline.warehouse.views import comment_schema, create_views


def _remove_database_files(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def prepare_staging(layout: WarehouseLayout) -> Path:
    """Start a run's staging database from the last published warehouse (or empty), so a run
    only has to add what is new. A staging file left by a killed run is discarded."""
    staging = layout.staging
    staging.parent.mkdir(parents=True, exist_ok=True)
    _remove_database_files(staging)
    if layout.is_local_file:
        if layout.published.exists():
            shutil.copyfile(layout.published, staging)
        with duckdb.connect(str(staging)) as conn:
            drop_staging_tables(conn)
            ensure_schema(conn)
    else:
        with duckdb.connect(str(staging)) as conn:
            ensure_schema(conn)
            conn.execute("ATTACH ? AS published (READ_ONLY)", [layout.database])
            published_tables = {
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'published'"
                ).fetchall()
            }
            for name in TABLES:
                if name in published_tables:
                    conn.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM published."{name}"')
            conn.execute("DETACH published")
    return staging


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_staging(layout: WarehouseLayout) -> None:
    """Make the staging database the published warehouse in one step.

    A local warehouse is replaced by an atomic rename: a reader holding the old file keeps
    reading the old state, a new reader sees the new one, and a crash leaves one or the other.
    A remote warehouse (MotherDuck `md:`) gets its tables replaced in one transaction."""
    staging = layout.staging
    with duckdb.connect(str(staging)) as conn:
        drop_staging_tables(conn)
        conn.execute("CHECKPOINT")
    if layout.is_local_file:
        published = layout.published
        published.parent.mkdir(parents=True, exist_ok=True)
        _fsync(staging)
        os.replace(staging, published)
        _fsync(published.parent)
        return
    with duckdb.connect(layout.database) as conn:
        conn.execute("ATTACH ? AS staged (READ_ONLY)", [str(staging)])
        conn.execute("BEGIN TRANSACTION")
        for name in TABLES:
            conn.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM staged."{name}"')
        create_views(conn)
        comment_schema(conn)
        conn.execute("COMMIT")
        conn.execute("DETACH staged")
    _remove_database_files(staging)
