"""Data Docs work offline: no page loads scripts, stylesheets or images from the web, every
local asset a page references exists, and the URL rewriting handles depth, query strings and
unknown URLs."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.validation import build_data_docs, open_context, validate_table
from pipeline.validation.docs import (
    _BUILDERS,
    LOCAL_ASSETS,
    SITE_FORMAT,
    SITE_RECORD,
    SITE_VENDOR,
    TEMPLATE_CACHE,
    VENDOR_DIR,
    localise_site,
    localise_text,
)
from pipeline.validation.suites import EXPECTATIONS_DIR

TODAY = date(2026, 11, 22)
REMOTE = ("http://", "https://", "//")


class _Assets(HTMLParser):
    """(tag, url, attrs) of every <script src>, <link href> and <img src> in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        key = {"script": "src", "img": "src", "link": "href"}.get(tag)
        if key and attr.get(key):
            self.found.append((tag, attr[key], attr))


def _assets(page: Path) -> list[tuple[str, str, dict[str, str | None]]]:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("warehouse")
    context = open_context(root / ".gx")
    documents = pd.DataFrame(
        {
            "document_id": ["d1", "d2"],
            "source_path": ["a.txt", "b.bin"],
            "title": [None, None],
            "outlet": ["AP", None],
            "byline": [None, None],
            "dateline": [None, None],
            "published_date": [date(2019, 3, 1), None],
            "text": ["Some 300 militants fled.", None],
            "status": ["ok", "rejected"],
            "reject_reason": [None, "binary"],
        }
    )
    validate_table("documents", documents, run_id="r1", today=TODAY, context=context)
    return build_data_docs(context, root / "data_docs").parent


@pytest.fixture(scope="module")
def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    depths = {len(p.relative_to(site).parts) for p in found}
    assert {1, 2} <= depths and max(depths) > 2  # index, suites and a validation result
    return found


def test_no_page_loads_scripts_or_styles_from_the_web(pages):
    for page in pages:
        for tag, url, attrs in _assets(page):
            remote = url.startswith(REMOTE)
            if tag == "link" and "stylesheet" not in (attrs.get("rel") or ""):
                continue
            assert not remote, f"{page.name}: <{tag}> loads {url}"
            if tag == "script":  # SRI on file:// would block the local copy
                assert "integrity" not in attrs and "crossorigin" not in attrs


def test_every_local_asset_exists(site, pages):
    checked = 0
    for page in pages:
        for _, url, _ in _assets(page):
            if url.startswith(REMOTE) or url.startswith("#"):
                continue
            target = (page.parent / url.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: missing {url}"
            assert target.is_relative_to(site.resolve())
            checked += 1
    assert checked > 10 * len(pages)


def test_every_mapped_file_is_in_the_site(site):
    for url, path in LOCAL_ASSETS.items():
        assert (site / path).is_file(), f"{url} -> {path}"


def test_vendored_folders_carry_their_licence():
    folders = [p for p in VENDOR_DIR.iterdir() if p.is_dir()]
    readme = (VENDOR_DIR / "README.md").read_text()
    for folder in folders:
        assert f"`{folder.name}/`" in readme
        if folder.name != "vega-shim":  # our own file
            assert list(folder.glob("LICENSE*")), folder.name
    size = sum(p.stat().st_size for p in VENDOR_DIR.rglob("*") if p.is_file())
    assert size < 2_000_000


def test_localising_a_built_site_again_changes_nothing(site, pages):
    before = {p: p.read_bytes() for p in pages}
    assert localise_site(site) == set()  # no remote asset left, nothing unknown
    assert {p: p.read_bytes() for p in pages} == before


def test_rewrite_is_relative_to_the_page_and_drops_sri():
    jquery = "https://code.jquery.com/jquery-3.7.1.min.js"
    logo = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png"
    html = (
        f'<script src="{jquery}" integrity="sha384-x" crossorigin="anonymous"></script>\n'
        f'<img class="NO-CACHE"\n  src="{logo}?d=1&dataContextId=2" alt="GX"/>\n'
        f"<style>a {{ background: url('{logo}') }}</style>\n"
        '<link rel="shortcut icon" href="../static/images/favicon.ico"/>\n'
        '<a href="https://greatexpectations.io">GX</a>'
    )
    unknown: set[str] = set()
    used: set[str] = set()
    out = localise_text(html, "../../", unknown, used)
    assert f'<script src="../../{SITE_VENDOR}/jquery-3.7.1/jquery.min.js"></script>' in out
    assert 'src="../../static/images/logo-long.png" alt="GX"' in out
    assert "url('../../static/images/logo-long.png')" in out
    assert 'href="../../static/images/favicon.ico"' in out  # GX's link was one level short
    assert '<a href="https://greatexpectations.io">' in out
    assert unknown == set() and len(used) == 2


def test_unknown_remote_assets_stay_and_are_logged(tmp_path, caplog):
    page = tmp_path / "sub" / "page.html"
    page.parent.mkdir()
    html = (
        '<link rel="stylesheet" href="https://cdn.example.org/x.css?v=1">'
        '<script src="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js">'
        "</script>"
    )
    page.write_text(html)
    with caplog.at_level(logging.WARNING, logger="pipeline.validation.docs"):
        assert localise_site(tmp_path) == {"https://cdn.example.org/x.css"}
    text = page.read_text()
    assert 'href="https://cdn.example.org/x.css?v=1"' in text
    assert f'src="../{SITE_VENDOR}/bootstrap-table-1.19.1/bootstrap-table.min.js"' in text
    assert "https://cdn.example.org/x.css" in caplog.text
    assert (tmp_path / SITE_VENDOR / "jquery-3.7.1" / "jquery.min.js").is_file()


def _documents_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document_id": ["d1"],
            "source_path": ["a.txt"],
            "title": [None],
            "outlet": ["AP"],
            "byline": [None],
            "dateline": [None],
            "published_date": [date(2019, 3, 1)],
            "text": ["Some 300 militants fled."],
            "status": ["ok"],
            "reject_reason": [None],
        }
    )


def _html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


# What differs between two renders of the same page: cache-busting times and element ids.
_VOLATILE = re.compile(r"\?d=\d{8}T\d{6}\.\d+Z|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _page_texts(site: Path) -> dict[str, str]:
    return {page: _VOLATILE.sub("~", (site / page).read_text()) for page in _html_pages(site)}


def _validate_documents(context, run: str, expectations_dir: Path | None = None) -> None:
    validate_table(
        "documents",
        _documents_frame(),
        run_id=run,
        today=TODAY,
        context=context,
        expectations_dir=expectations_dir,
    )


def test_a_rebuild_renders_only_new_results_and_drops_pruned_ones(tmp_path):
    context = open_context(tmp_path / ".gx")
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for run in range(4):  # keep 2 results: the pages of older runs must go
        validate_table(
            "documents", _documents_frame(), run_id=f"r{run}", today=TODAY, context=context
        )
        build_data_docs(context, incremental, keep_results=2)
    kept = {page for page in _html_pages(incremental) if page.startswith("validations/")}
    assert len(kept) == 2 and not any("/r0/" in page or "/r1/" in page for page in kept)
    build_data_docs(context, full, keep_results=2)
    assert _page_texts(incremental) == _page_texts(full)  # the index lists the new results
    for page in _html_pages(incremental):
        assert not [url for _, url, _ in _assets(incremental / page) if url.startswith(REMOTE)]


def test_a_site_of_another_format_is_rebuilt_whole(tmp_path):
    context = open_context(tmp_path / ".gx")
    validate_table("documents", _documents_frame(), run_id="r1", today=TODAY, context=context)
    site = build_data_docs(context, tmp_path / "docs").parent
    stray = site / "validations" / "stray.html"
    stray.write_text("<html></html>")
    record = site / SITE_RECORD
    content = json.loads(record.read_text())
    content["signature"]["format"] = SITE_FORMAT - 1
    record.write_text(json.dumps(content))
    build_data_docs(context, site)
    assert not stray.exists()  # not copied: the site was built from nothing


def test_a_rebuild_renders_a_suite_page_only_when_the_suite_changed(tmp_path):
    context = open_context(tmp_path / ".gx")
    _validate_documents(context, "r1")
    site = build_data_docs(context, tmp_path / "docs").parent
    page = site / "expectations" / "documents.html"
    os.utime(page, ns=(0, 0))
    _validate_documents(context, "r2")
    build_data_docs(context, site)
    assert page.stat().st_mtime_ns == 0  # the previous page, not written again
    edited = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, edited)
    suite = json.loads((edited / "documents.json").read_text())
    status = next(e for e in suite["expectations"] if "ok" in e["kwargs"].get("value_set", []))
    status["kwargs"]["value_set"].append("archived")
    (edited / "documents.json").write_text(json.dumps(suite))
    _validate_documents(context, "r3", edited)
    build_data_docs(context, site)
    assert page.stat().st_mtime_ns != 0 and "archived" in page.read_text()


def test_a_rebuild_never_writes_into_the_files_of_the_live_site(tmp_path):
    context = open_context(tmp_path / ".gx")
    _validate_documents(context, "r1")
    site = build_data_docs(context, tmp_path / "docs").parent
    snapshot = tmp_path / "snapshot"
    before = {}
    for path in site.rglob("*"):
        if path.is_file():
            link = snapshot / path.relative_to(site)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, link)  # the same file: a write into it shows here
            before[link] = path.read_bytes()
    _validate_documents(context, "r2")
    build_data_docs(context, site)
    assert {link: link.read_bytes() for link in before} == before
    assert len(_html_pages(site)) > len(_html_pages(snapshot))


def test_a_site_missing_a_static_file_is_rebuilt_whole(tmp_path):
    context = open_context(tmp_path / ".gx")
    _validate_documents(context, "r1")
    site = build_data_docs(context, tmp_path / "docs").parent
    jquery = site / SITE_VENDOR / "jquery-3.7.1" / "jquery.min.js"
    jquery.unlink()
    _validate_documents(context, "r2")
    build_data_docs(context, site)
    assert jquery.is_file()


def test_the_index_keeps_no_result_pruned_since(tmp_path):
    context = open_context(tmp_path / ".gx")
    site = tmp_path / "docs"
    for run in range(4):
        _validate_documents(context, f"r{run}")
        build_data_docs(context, site, keep_results=2)
    builder = next(b for c, _, b in _BUILDERS.values() if c is context)
    remembered = builder.site_index_builder.data_context._results
    assert sorted(key[1][0] for key in remembered) == ["r2", "r3"]


def test_templates_are_compiled_once_for_every_later_build(tmp_path, monkeypatch):
    import jinja2

    context = open_context(tmp_path / ".gx")
    _validate_documents(context, "r1")
    build_data_docs(context, tmp_path / "docs")
    assert list((tmp_path / ".gx" / TEMPLATE_CACHE).iterdir())
    compiled = []
    compile_template = jinja2.Environment.compile

    def counting_compile(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return compile_template(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    _validate_documents(context, "r2")
    build_data_docs(context, tmp_path / "docs")  # this process's builder
    for key in [key for key, (c, _, _) in _BUILDERS.items() if c is context]:
        del _BUILDERS[key]  # as in a new process: new views, templates from the cache
    _validate_documents(context, "r3")
    build_data_docs(context, tmp_path / "docs")
    assert compiled == []


def test_a_prepared_site_still_current_is_swapped_in_as_it_is(tmp_path, monkeypatch):
    import pipeline.validation.docs as docs

    context = open_context(tmp_path / ".gx")
    prepared_site, direct = tmp_path / "prepared", tmp_path / "direct"
    _validate_documents(context, "r1")
    prepared = docs.prepare_data_docs(context, prepared_site)
    assert not prepared_site.exists() and prepared.staging.is_dir()  # rendered, not swapped
    renders = []
    render = docs._render_site
    monkeypatch.setattr(docs, "_render_site", lambda *a: renders.append(1) or render(*a))
    build_data_docs(context, prepared_site, prepared=prepared)
    assert renders == [] and not prepared.staging.exists()
    build_data_docs(context, direct)
    assert _page_texts(prepared_site) == _page_texts(direct)


def test_a_prepared_site_is_rendered_again_when_a_result_came_in_since(tmp_path):
    import pipeline.validation.docs as docs

    context = open_context(tmp_path / ".gx")
    target = tmp_path / "site"
    _validate_documents(context, "r1")
    prepared = docs.prepare_data_docs(context, target)
    _validate_documents(context, "r2")  # stored after the site was prepared
    build_data_docs(context, target, prepared=prepared)
    runs = {page.split("/")[2] for page in _html_pages(target) if page.startswith("validations/")}
    assert runs == {"r1", "r2"}
    stale = docs.prepare_data_docs(context, target)
    build_data_docs(context, tmp_path / "elsewhere", prepared=stale)  # another folder: rendered
    assert (tmp_path / "elsewhere" / "index.html").exists()
