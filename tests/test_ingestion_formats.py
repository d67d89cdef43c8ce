"""Format readers: HTML through trafilatura (offline), JSON objects and arrays, JSON lines,
and the precedence of metadata (record / sidecar over the text)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipeline.ingestion import document_from_bytes, documents_from_bytes, ingest_folder

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Floods displace 3,000 in Rivertown | Daily Planet</title>
<meta name="author" content="Jane Roe">
<meta property="og:site_name" content="Daily Planet">
<meta property="og:title" content="Floods displace 3,000 in Rivertown">
<meta name="date" content="2020-03-04">
<script>var tracking = "Some 999 people clicked";</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Floods displace 3,000 in Rivertown</h1>
<p>RIVERTOWN, Exampleland — Some 3,000 people fled their homes on Tuesday after the river
burst its banks, officials said, and at least 12 villages were cut off by the water.</p>
<p>Relief workers said 400 families were sheltering in two schools and a stadium on the edge
of the town, where they were given food, blankets and clean water by volunteers.</p>
<p>The regional government said it would send 20 trucks of supplies on Wednesday.</p>
</article>
<footer>Copyright 2020 Daily Planet. All rights reserved.</footer>
</body></html>
"""


def test_html_article_text_and_metadata():
    doc = document_from_bytes(ARTICLE_HTML.encode(), "news/flood.html")
    assert doc.status == "ok", doc.reject_reason
    assert doc.title == "Floods displace 3,000 in Rivertown"
    assert doc.text.split("\n")[0] == "Floods displace 3,000 in Rivertown"
    assert "Some 3,000 people fled" in doc.text
    assert "20 trucks of supplies" in doc.text
    assert "999" not in doc.text and "Sport" not in doc.text
    assert doc.byline == "Jane Roe"
    assert doc.outlet == "Daily Planet"
    assert doc.published_date == date(2020, 3, 4)
    assert doc.dateline == "RIVERTOWN, Exampleland"


def test_html_without_text_is_rejected():
    doc = document_from_bytes(b"<html><head><title></title></head><body></body></html>", "a.htm")
    assert doc.status == "rejected"


def test_json_single_object_keeps_plain_path_and_metadata():
    record = {
        "text": "Storm hits coast\n\nAt least 40 people were killed.",
        "title": "Storm hits the coast",
        "outlet": "Wire",
        "byline": ["A. Writer", "B. Writer"],
        "published_date": "2021-07-08T10:00:00Z",
        "url": "https://example.org/storm",
    }
    doc = document_from_bytes(json.dumps(record).encode(), "feed/storm.json")
    assert doc.status == "ok"
    assert doc.source_path == "feed/storm.json"
    assert doc.title == "Storm hits the coast"  # the record wins over the text's headline
    assert doc.outlet == "Wire" and doc.byline == "A. Writer, B. Writer"
    assert doc.published_date == date(2021, 7, 8)
    assert doc.url == "https://example.org/storm"
    assert doc.text.startswith("Storm hits coast")


def test_json_array_gives_one_document_per_record():
    records = [{"text": "First report\n\n10 killed."}, {"title": "no text"}, {"text": "Two\n\n2."}]
    docs = documents_from_bytes(json.dumps(records).encode(), "batch.json")
    assert [d.source_path for d in docs] == ["batch.json#1", "batch.json#2", "batch.json#3"]
    assert [d.status for d in docs] == ["ok", "rejected", "ok"]
    assert "has no 'text' field" in docs[1].reject_reason
    assert {d.source_file for d in docs} == {"batch.json"}


def test_jsonl_malformed_line_among_good_ones(tmp_path):
    lines = [
        json.dumps({"text": "Quake strikes\n\n300 houses destroyed.", "outlet": "AFP"}),
        "",
        '{"text": "broken line',
        json.dumps({"text": "Flood\n\n5,000 evacuated.", "published_date": "2019-05-01"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Quake strikes\n\n300 houses destroyed."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    docs = list(ingest_folder(tmp_path))
    assert [d.source_path for d in docs] == [f"feed.jsonl#{n}" for n in range(1, 6)]
    assert [d.status for d in docs] == ["ok", "rejected", "ok", "rejected", "rejected"]
    assert docs[0].outlet == "Agence France-Presse" or docs[0].outlet == "AFP"
    assert "record 2 (line 3) invalid JSON" in docs[1].reject_reason
    assert docs[2].published_date == date(2019, 5, 1)
    assert "not a JSON object" in docs[3].reject_reason
    assert docs[4].reject_reason == "duplicate of feed.jsonl#1"
    assert len({d.document_id for d in docs}) == 5


def test_ndjson_extension_and_unknown_extension_as_text():
    doc = document_from_bytes(b'{"text": "A\\n\\nB 3 killed."}\n', "x.ndjson")
    assert doc.source_path == "x.ndjson#1" and doc.status == "ok"
    plain = document_from_bytes(b"Report title\n\nSome 20 people fled.", "notes.weird")
    assert plain.status == "ok" and plain.title == "Report title"


def test_sidecar_metadata_wins_and_null_falls_back_to_text(tmp_path):
    seed = Path(__file__).resolve().parent.parent / "seeds" / "ap-children-flee-islamic-state.txt"
    (tmp_path / "ap.txt").write_bytes(seed.read_bytes())
    (tmp_path / "ap.meta.json").write_text(
        json.dumps(
            {
                "title": "Sidecar title",
                "outlet": None,
                "byline": "Someone Else",
                "published_date": "2019-02-20",
                "url": "https://apnews.com/x",
            }
        )  # fmt: skip
    )
    [doc] = ingest_folder(tmp_path)
    assert doc.title == "Sidecar title"
    assert doc.byline == "Someone Else"
    assert doc.outlet == "The Associated Press"  # null in the sidecar: read from the text
    assert doc.dateline == "BAGHOUZ, Syria"
    assert doc.published_date == date(2019, 2, 20)
    assert doc.url == "https://apnews.com/x"
    assert doc.text.startswith("Children flee Islamic State\n")  # the text keeps its headline


def test_sidecar_dict_in_document_from_bytes():
    doc = document_from_bytes(b"Title here\n\nBody 3 text.", "a.txt", {"outlet": "X News"})
    assert doc.outlet == "X News" and doc.title == "Title here"


def test_a_records_file_without_any_document_is_one_rejected_row():
    answers = b"\n".join(json.dumps({"doc": f"d{i}.txt", "value": i}).encode() for i in range(5))
    (row,) = documents_from_bytes(answers, "answers.jsonl")
    assert row.status == "rejected"
    assert row.source_path == "answers.jsonl"
    assert row.reject_reason.startswith("none of its 5 records is a document")
    array = json.dumps([{"id": 1}, {"id": 2}]).encode()
    (row,) = documents_from_bytes(array, "list.json")
    assert row.status == "rejected" and "none of its 2 records" in row.reject_reason
