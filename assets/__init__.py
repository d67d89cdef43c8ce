"""Dagster asset definitions of the figures pipeline, in the order data flows through them:
staged documents, their validation, staged figures, their validation, the published warehouse
and what is published beside it."""

from assets.document_validation import documents_error_rules, validated_documents
from assets.documents import staged_documents
from assets.exports import warehouse_exports
from assets.figure_validation import figures_error_rules, validated_figures
from assets.figures import staged_figures
from assets.publishing import data_docs, published_warehouse

ALL_ASSETS = [
    staged_documents,
    validated_documents,
    staged_figures,
    validated_figures,
    published_warehouse,
    data_docs,
    warehouse_exports,
]
ALL_ASSET_CHECKS = [documents_error_rules, figures_error_rules]
