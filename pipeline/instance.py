"""The Dagster instance `figures run` and `figures watch` execute in: Dagster's ephemeral
(in-memory) instance, with its event log reusing one SQLite connection.

Dagster's in-memory event log opens a new SQLite connection (and sets two pragmas) for each
of its operations, about 250 in one run of this job: measured alternately in one watcher,
that is 0.07-0.1 s of a 0.8 s run over a few new documents. This event log does every
operation on the one connection the storage already holds for its life (it keeps the
in-memory database alive), under the lock Dagster's storage already takes for each of them,
so operations stay one at a time as before. SQLite lets a connection be used only in the
thread that opened it: an operation from another thread (a session made in one thread and
run in another) gets a connection of its own, as in the stock storage.

It relies on private parts of `InMemoryEventLogStorage` (`_held_conn`, `_db_lock` and the
column lookup `_has_asset_key_col_on_connection`) as of Dagster 1.13; with any other Dagster
the stock ephemeral instance is used."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.event_log.schema import AssetKeyTable

SUPPORTED_DAGSTER = "1.13."  # the version the reused attributes were read in


class OneConnectionEventLogStorage(InMemoryEventLogStorage):
    """Dagster's in-memory event log, every operation on its one held connection, and its
    schema looked up once: the stock storage asks SQLite whether a table or column exists
    before many operations (~70 lookups a run), though this database's schema is the one
    it created itself and never changes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._tables: dict[str, bool] = {}
        self._held_conn_thread = threading.get_ident()
        self._asset_key_columns: frozenset[str] | None = None
        with self._db_lock, self._held_conn.begin():
            # Set once on this connection; Dagster sets it again on each new connection.
            self._held_conn.execute(db.text("PRAGMA foreign_keys=ON;")).close()

    @contextmanager
    def _connect(self) -> Iterator[db.Connection]:
        if threading.get_ident() != self._held_conn_thread:
            with super()._connect() as conn:
                yield conn
            return
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._tables:
            self._tables[table_name] = super().has_table(table_name)
        return self._tables[table_name]

    def _has_asset_key_col_on_connection(self, conn: db.Connection, column_name: str) -> bool:
        if self._asset_key_columns is None:
            self._asset_key_columns = frozenset(
                column["name"] for column in db.inspect(conn).get_columns(AssetKeyTable.name)
            )
        return column_name in self._asset_key_columns


def ephemeral_instance() -> dg.DagsterInstance:
    """An in-memory Dagster instance, as `DagsterInstance.ephemeral()` makes it, with the
    one-connection event log where this Dagster version allows it."""
    from dagster._core.instance import InstanceType
    from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
    from dagster._core.run_coordinator import DefaultRunCoordinator
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
    from dagster._core.storage.root import TemporaryLocalArtifactStorage
    from dagster._core.storage.runs import InMemoryRunStorage

    if not dg.__version__.startswith(SUPPORTED_DAGSTER):
        return dg.DagsterInstance.ephemeral()
    return dg.DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=OneConnectionEventLogStorage(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
