"""HTML reader (.html/.htm): the article text and its metadata (title, author, site name,
date, canonical URL) extracted with trafilatura, offline. Each extracted paragraph becomes a
paragraph of the text, with the headline as the first line."""

from __future__ import annotations

import logging

from ..decoding import decode_bytes
from ..metadata import coerce_metadata
from ..models import RawRecord

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def read_html(raw: bytes) -> RawRecord:
    decoded = decode_bytes(raw)
    if decoded.text is None:
        return RawRecord(None, reject_reason=decoded.reject_reason)
    if not decoded.text.strip():
        return RawRecord(decoded.text, encoding=decoded.encoding)
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            decoded.text, with_metadata=True, include_comments=False, include_tables=True
        )
        body = getattr(doc, "text", None) if doc is not None else None
        if not body:
            body = trafilatura.html2txt(decoded.text) or ""
    except Exception as exc:  # trafilatura / lxml errors on hostile markup
        return RawRecord(None, reject_reason=f"HTML could not be parsed: {type(exc).__name__}")
    body = _paragraphs(body)
    if not body:
        return RawRecord(
            None, reject_reason="HTML page has no article text", encoding=decoded.encoding
        )
    meta = {}
    if doc is not None:
        meta = coerce_metadata(
            {
                "title": getattr(doc, "title", None),
                "byline": getattr(doc, "author", None),
                "outlet": getattr(doc, "sitename", None),
                "published_date": getattr(doc, "date", None),
                "url": getattr(doc, "url", None),
            }
        )
    title = meta.get("title")
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return RawRecord(body, meta=meta, encoding=decoded.encoding)
