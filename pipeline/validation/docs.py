"""Build the GX Data Docs HTML site for the stored validation results, once per run.

Every `validate_table` call on a file context stores its result in the context's validation
results store (`<root>/gx/uncommitted/validations/`). `build_data_docs(context, target_dir)`
prunes that store to the newest results per suite, points a site named `pipeline` at a
staging folder beside `target_dir`, builds it with `context.build_data_docs`, makes it work
offline (`localise_site`), and swaps the staging folder into `target_dir`, so readers never
see a half-built site.

GX pages load Bootstrap, jQuery, bootstrap-table etc. from CDNs and a logo from S3; offline
they render unstyled with an empty results table. `localise_site` copies the assets vendored
in `static/vendor/` (see its README.md) into `<site>/static/vendor/` and rewrites each URL
listed in `LOCAL_ASSETS` to a path relative to the page (it also mends GX's favicon link,
one level short on validation result pages). Remote asset URLs not in the table are left as
they are and logged as a warning.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.validation.context import (
    KEEP_RESULTS_PER_SUITE,
    context_root,
    file_lock,
    prune_results,
)

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext

log = logging.getLogger(__name__)

SITE_NAME = "pipeline"
VENDOR_DIR = Path(__file__).with_name("static") / "vendor"
SITE_VENDOR = "static/vendor"  # where VENDOR_DIR is copied, relative to the site root

_V = SITE_VENDOR
_GX_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com"
_VEGA_SHIM = f"{_V}/vega-shim/vega-embed-shim.js"
_FILTER_CONTROL_CSS = (
    f"{_V}/bootstrap-table-1.19.0/extensions/filter-control/bootstrap-table-filter-control.min.css"
)

# Remote URL in GX 1.24 pages (query string and fragment ignored) -> local file, relative to
# the site root. `static/images/` is GX's own folder, written with every site.
LOCAL_ASSETS: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        f"{_V}/bootstrap-4.3.1/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        f"{_V}/bootstrap-4.3.1/js/bootstrap.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": f"{_V}/jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        f"{_V}/popper.js-1.12.9/umd/popper.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        f"{_V}/bootstrap-table-1.19.1/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        f"{_V}/bootstrap-table-1.19.1/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        f"{_V}/bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # the .css and .min.css of 1.19.0 differ only in their header comment
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": _FILTER_CONTROL_CSS,
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": _FILTER_CONTROL_CSS,
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": f"{_V}/bootstrap-datepicker-1.9.0/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": f"{_V}/bootstrap-datepicker-1.9.0/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        f"{_V}/fontawesome-free-6.6.0/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": f"{_V}/bootstrap-dark-1.1.0/css/bootstrap-prefers-dark.min.css",
    # Vega renders only chart expectations (KL divergence, distinct values): not vendored
    "https://cdn.jsdelivr.net/npm/vega@5": _VEGA_SHIM,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": _VEGA_SHIM,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": _VEGA_SHIM,
    f"{_GX_ASSETS}/logo-long.png": "static/images/logo-long.png",
    f"{_GX_ASSETS}/full_logo_dark.png": "static/images/logo-long.png",  # dark-mode CSS logo
}

# Asset positions only: src/href of <script>, <link>, <img> tags and CSS url(...).
# <a href> links (e.g. to greatexpectations.io) are navigation and stay as they are.
_TAG = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
_TAG_URL = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])([^"']*)\2""", re.IGNORECASE)
# GX's own static files are linked one level short from validation result pages (favicon).
_GX_STATIC = re.compile(r"^(?:\.\.?/)+(static/.*)$")
_CSS_URL = re.compile(r"""(url\(\s*)(["']?)(https?://[^"')\s]*)\2(\s*\))""", re.IGNORECASE)
# Subresource integrity would block (or mismatch) a local file: drop it with the URL.
_SRI = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(["'])[^"']*\1)?""", re.IGNORECASE)


def _site_config(base_directory: Path) -> dict:
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(base_directory),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }


def _strip_query(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


def localise_text(text: str, prefix: str, unknown: set[str], used: set[str]) -> str:
    """`text` with each known remote asset URL replaced by `prefix` + its local path.

    `prefix` leads from the file to the site root ("" or "../../"); remote asset URLs not
    in `LOCAL_ASSETS` are added to `unknown` (without query), local paths used to `used`.
    Relative links to GX's `static/` folder are re-based on `prefix` too.
    """

    def local(url: str) -> str | None:
        path = LOCAL_ASSETS.get(_strip_query(url))
        if path is None:
            unknown.add(_strip_query(url))
            return None
        used.add(path)
        return prefix + path

    def tag(match: re.Match[str]) -> str:
        changed = False

        def attr(m: re.Match[str]) -> str:
            nonlocal changed
            url = m[3]
            if url.startswith(("http://", "https://")):
                new = local(url)
                changed = changed or new is not None
            else:
                gx_static = _GX_STATIC.match(url)
                new = prefix + gx_static[1] if gx_static else None
            return m[0] if new is None else f"{m[1]}{m[2]}{new}{m[2]}"

        rewritten = _TAG_URL.sub(attr, match[0])
        return _SRI.sub("", rewritten) if changed else rewritten

    def css(m: re.Match[str]) -> str:
        new = local(m[3])
        return m[0] if new is None else f"{m[1]}{m[2]}{new}{m[2]}{m[4]}"

    return _CSS_URL.sub(css, _TAG.sub(tag, text))


def localise_site(site_dir: Path) -> set[str]:
    """Make the site at `site_dir` work offline; return the remote asset URLs left as is.

    Copies `VENDOR_DIR` to `<site_dir>/static/vendor/` and rewrites every .html file, and
    GX's own .css files, in place. Logs a warning for unknown remote URLs and for mapped
    local files that are missing.
    """
    site_dir = Path(site_dir)
    shutil.copytree(VENDOR_DIR, site_dir / SITE_VENDOR, dirs_exist_ok=True)
    vendor = (site_dir / SITE_VENDOR).resolve()
    unknown: set[str] = set()
    used: set[str] = set()
    files = [*site_dir.rglob("*.html"), *site_dir.rglob("*.css")]
    for path in files:
        if path.resolve().is_relative_to(vendor):
            continue
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="surrogateescape")
        rel = Path(os.path.relpath(site_dir, path.parent)).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        new = localise_text(text, prefix, unknown, used)
        if new != text:
            path.write_bytes(new.encode("utf-8", errors="surrogateescape"))
    if unknown:
        log.warning(
            "Data Docs in %s still load %d remote asset(s) with no local copy: %s",
            site_dir,
            len(unknown),
            ", ".join(sorted(unknown)),
        )
    missing = sorted(p for p in used if not (site_dir / p).is_file())
    if missing:
        log.warning("Data Docs local assets missing in %s: %s", site_dir, ", ".join(missing))
    return unknown


# Written into each built site: what it was built with and which result pages it holds, so the
# next build can start from it and render only the results stored since.
SITE_RECORD = ".pipeline-site.json"
SITE_FORMAT = 1  # bump when what a build writes changes: older sites are rebuilt whole


def _result_pages(context: AbstractDataContext) -> dict[str, Any]:
    """Site-relative page path -> key, for every stored validation result (GX's site store
    writes a result's page at `validations/<key tuple joined by "/">.html`)."""
    return {
        "validations/" + "/".join(key.to_tuple()) + ".html": key
        for key in context.validation_results_store.list_keys()
    }


def _signature() -> dict[str, Any]:
    import great_expectations as gx

    return {"format": SITE_FORMAT, "gx": gx.__version__}


def _previous_pages(site: Path) -> set[str] | None:
    """The result pages of the site at `site`, if it can be built upon (else None)."""
    try:
        record = json.loads((site / SITE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("signature") != _signature() or not (site / "index.html").is_file():
        return None
    pages = set(record.get("pages", []))
    return pages if all((site / page).is_file() for page in pages) else None


def _start_from(previous: Path, staging: Path, stale: set[str]) -> None:
    """Copy the previous site into `staging`, without the pages of results pruned since."""
    shutil.copytree(previous, staging)
    for page in stale:
        path = staging / page
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == staging or any(folder.iterdir()):
                break
            folder.rmdir()


def build_data_docs(
    context: AbstractDataContext,
    target_dir: Path,
    *,
    keep_results: int = KEEP_RESULTS_PER_SUITE,
) -> Path:
    """Write the (offline-ready) Data Docs site into `target_dir`; return its index.html.

    When `target_dir` holds a site this function built (same format and GX version), the new
    site starts from a copy of it and GX renders only the suites, the index and the results
    stored since; otherwise every page is rendered."""
    target_dir = Path(target_dir).resolve()
    staging = target_dir.with_name(f".{target_dir.name}.building")
    with file_lock(context_root(context)):
        prune_results(context, keep_results)
        shutil.rmtree(staging, ignore_errors=True)
        pages = _result_pages(context)
        previous = _previous_pages(target_dir)
        only = None
        if previous is not None:
            _start_from(target_dir, staging, previous - pages.keys())
            suites = list(context.expectations_store.list_keys())  # cheap; suites may change
            only = [pages[page] for page in sorted(pages.keys() - previous)] + suites
        config = _site_config(staging)
        sites = context.variables.data_docs_sites or {}
        if sites.get(SITE_NAME) != config:
            if SITE_NAME in sites:
                context.update_data_docs_site(SITE_NAME, config)
            else:
                context.add_data_docs_site(SITE_NAME, config)
        context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=only)
        localise_site(staging)  # idempotent on pages localised by an earlier build
        record = {"signature": _signature(), "pages": sorted(pages)}
        (staging / SITE_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    old = target_dir.with_name(f".{target_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target_dir.exists():
        target_dir.rename(old)
    staging.rename(target_dir)
    shutil.rmtree(old, ignore_errors=True)
    return target_dir / "index.html"
