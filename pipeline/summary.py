"""The short summary `figures run` prints: documents accepted and rejected, figures per
category, checks passed and failed, and where the warehouse is."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipeline.runner import RunOutcome


@dataclass
class WarehouseCounts:
    documents_ok: int
    documents_rejected: int
    figures_by_category: list[tuple[str, int]]
    quarantined_documents: int
    quarantined_figures: int


def warehouse_counts(warehouse: str) -> WarehouseCounts:
    with duckdb.connect(warehouse, read_only=True) as conn:
        status = dict(
            conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
        )
        categories = conn.execute(
            """
            SELECT coalesce(category, '(none)'), count(*) FROM figures WHERE kind = 'count'
            GROUP BY 1 ORDER BY 2 DESC, 1
            """
        ).fetchall()
        quarantined_documents = conn.execute("SELECT count(*) FROM document_rejects").fetchone()[0]
        quarantined_figures = conn.execute("SELECT count(*) FROM figure_rejects").fetchone()[0]
    return WarehouseCounts(
        documents_ok=status.get("ok", 0),
        documents_rejected=status.get("rejected", 0),
        figures_by_category=categories,
        quarantined_documents=quarantined_documents,
        quarantined_figures=quarantined_figures,
    )


def format_summary(outcome: RunOutcome, counts: WarehouseCounts | None, warehouse: str) -> str:
    lines = []
    if counts is not None:
        lines.append(
            f"documents: {counts.documents_ok} accepted, {counts.documents_rejected} rejected"
        )
        total = sum(count for _, count in counts.figures_by_category)
        lines.append(f"figures: {total}")
        lines.extend(
            f"  {category:<12} {count:>7}" for category, count in counts.figures_by_category
        )
        if counts.quarantined_documents or counts.quarantined_figures:
            lines.append(
                f"quarantined: {counts.quarantined_documents} documents, {counts.quarantined_figures} figures"
            )
    passed = sum(check.passed for check in outcome.checks)
    lines.append(f"checks: {passed} passed, {len(outcome.checks) - passed} failed")
    lines.extend(
        f"  FAILED {check.name} ({check.severity.lower()}): {check.description}"
        for check in outcome.failed_checks
    )
    lines.append(f"warehouse: {warehouse}")
    return "\n".join(lines)
