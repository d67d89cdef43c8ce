"""The in-memory Dagster instance of `figures run` and `figures watch`: runs record the same
events as on Dagster's stock ephemeral instance, without opening a database connection per
event-log operation; another Dagster version gets the stock instance."""

from concurrent.futures import ThreadPoolExecutor

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log import InMemoryEventLogStorage

import pipeline.instance as instance_module
from pipeline.instance import OneConnectionEventLogStorage, ephemeral_instance


@dg.asset
def upstream(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    context.log.info("made upstream")
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset(deps=[upstream], check_specs=[dg.AssetCheckSpec("positive", asset="downstream")])
def downstream() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={"rows": 2}, check_results=[dg.AssetCheckResult(passed=True)]
    )


def _events(instance: dg.DagsterInstance) -> list[tuple]:
    result = dg.materialize([upstream, downstream], instance=instance)
    assert result.success
    records = instance.get_records_for_run(result.run_id).records
    return [
        (record.event_log_entry.dagster_event_type, record.event_log_entry.step_key)
        for record in records
        if record.event_log_entry.is_dagster_event
    ]


def _event_types(events: list[tuple]) -> list[tuple]:
    return sorted(events, key=repr)


def test_runs_record_what_the_stock_instance_records():
    ours, stock = ephemeral_instance(), dg.DagsterInstance.ephemeral()
    assert isinstance(ours.event_log_storage, OneConnectionEventLogStorage)
    for _ in "first run", "second run":  # the second reads what the first stored
        assert _event_types(_events(ours)) == _event_types(_events(stock))
    upstream_key = dg.AssetKey("upstream")
    latest = ours.get_latest_materialization_event(upstream_key)
    assert latest.asset_materialization.metadata["rows"].value == 3
    assert len(ours.get_runs()) == 2
    ours.dispose()
    stock.dispose()


def test_runs_from_another_thread_than_the_one_that_made_the_instance():
    # SQLite connections belong to the thread that opened them: a session made in one thread
    # and run in another (a watcher on a thread of a service) must still run.
    instance = ephemeral_instance()
    first = _events(instance)
    with ThreadPoolExecutor(max_workers=1) as pool:
        elsewhere = pool.submit(_events, instance).result()
    assert _event_types(elsewhere) == _event_types(first)
    assert len(instance.get_runs()) == 2
    instance.dispose()


def _connections_opened(instance: dg.DagsterInstance) -> int:
    opened = []
    db.event.listen(instance.event_log_storage._engine, "connect", lambda *_: opened.append(1))
    assert len(_events(instance)) > 10
    instance.dispose()
    return len(opened)


def test_the_event_log_opens_no_connection_per_operation():
    # Stock: one per operation (~40 for this run); ours: only Dagster's few table lookups.
    ours, stock = (
        _connections_opened(ephemeral_instance()),
        _connections_opened(dg.DagsterInstance.ephemeral()),
    )
    assert ours * 5 < stock


def test_another_dagster_version_gets_the_stock_instance(monkeypatch):
    monkeypatch.setattr(instance_module, "SUPPORTED_DAGSTER", "0.0.")
    instance = ephemeral_instance()
    assert type(instance.event_log_storage) is InMemoryEventLogStorage
    instance.dispose()
