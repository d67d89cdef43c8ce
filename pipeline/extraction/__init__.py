"""Figure extraction: read the figures an analyst would tabulate out of a report's text.

The entry point is `extract_figures(text, context)`; the stages live one per module
(`sentences`, `numbers`, `qualifiers`, `nouns`, `events`, `categories`, `kinds`,
`context_stage`), and their vocabulary in `lexicon`.
"""

from .extract import extract_figures

__all__ = ["extract_figures"]
