"""Dagster asset definitions of the figures pipeline, in the order data flows through them:
staged documents, their validation, staged figures, their validation, the published warehouse
and what is published beside it."""

from assets.beside_warehouse import reports_beside_warehouse
from assets.document_validation import validated_documents
from assets.documents import staged_documents
from assets.figure_validation import validated_figures
from assets.figures import staged_figures
from assets.publishing import published_warehouse

ALL_ASSETS = [
    staged_documents,
    validated_documents,
    staged_figures,
    validated_figures,
    published_warehouse,
    reports_beside_warehouse,
]
