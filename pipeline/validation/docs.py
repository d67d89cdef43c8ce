"""Build the GX Data Docs HTML site for the stored validation results, once per run.

Every `validate_table` call on a file context stores its result in the context's validation
results store (`<root>/gx/uncommitted/validations/`). `build_data_docs(context, target_dir)`
prunes that store to the newest results per suite, points a site named `pipeline` at a
staging folder beside `target_dir`, renders it with GX's site builder, makes it work offline
(`localise_site`), and swaps the staging folder into `target_dir`, so readers never see a
half-built site. `prepare_data_docs` does all but the swap ahead of time (the GX worker does
it right after a run's last validation); `build_data_docs` then swaps that site in as it is
when nothing it shows changed since, and renders afresh otherwise.

A build is incremental when `target_dir` holds a site this module built with the same GX and
vendored assets (`SITE_RECORD`): the staging folder starts as hard links to that site, and GX
renders only the index, the results stored since and the suites whose content changed; only
those pages are localised, and each is written as a new file, so the live site is never
written into. The site builder is kept per process and its views load GX's Jinja templates
compiled from `<root>/jinja-cache/` (root as given to `open_context`), so templates are
compiled once, not on every build; the index reads each stored result once per process.

GX pages load Bootstrap, jQuery, bootstrap-table etc. from CDNs and a logo from S3; offline
they render unstyled with an empty results table. `localise_site` copies the assets vendored
in `static/vendor/` (see its README.md) into `<site>/static/vendor/` and rewrites each URL
listed in `LOCAL_ASSETS` to a path relative to the page (it also mends GX's favicon link,
one level short on validation result pages). Remote asset URLs not in the table are left as
they are and logged as a warning.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
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


def localise_site(site_dir: Path, files: list[Path] | None = None) -> set[str]:
    """Make the site at `site_dir` work offline; return the remote asset URLs left as is.

    Copies `VENDOR_DIR` to `<site_dir>/static/vendor/` and rewrites every .html file, and
    GX's own .css files, in place; given `files`, rewrites only those (and copies nothing).
    Logs a warning for unknown remote URLs and for mapped local files that are missing.
    """
    site_dir = Path(site_dir)
    if files is None:
        shutil.copytree(VENDOR_DIR, site_dir / SITE_VENDOR, dirs_exist_ok=True)
        vendor = (site_dir / SITE_VENDOR).resolve()
        found = [*site_dir.rglob("*.html"), *site_dir.rglob("*.css")]
        files = [path for path in found if not path.resolve().is_relative_to(vendor)]
    unknown: set[str] = set()
    used: set[str] = set()
    for path in files:
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


# Written into each built site: what it was built with and which result and suite pages it
# holds, so the next build can start from it and render only what changed since.
SITE_RECORD = ".pipeline-site.json"
SITE_FORMAT = 2  # bump when what a build writes changes: older sites are rebuilt whole
INDEX_PAGE = "index.html"

TEMPLATE_CACHE = "jinja-cache"  # in the context's root: GX's page templates, compiled
# (id(context), staging folder) -> (context, site config, GX site builder)
_BUILDERS: dict[tuple[int, str], tuple[Any, dict, Any]] = {}


def _result_pages(keys: list[Any]) -> dict[str, Any]:
    """Site-relative page path -> key, for the validation results `keys` (GX's site store
    writes a result's page at `validations/<key tuple joined by "/">.html`)."""
    return {"validations/" + "/".join(key.to_tuple()) + ".html": key for key in keys}


@contextlib.contextmanager
def _listed_once(store: Any) -> Iterator[list[Any]]:
    """Within: `store.list_keys()` answers from one listing, which it yields (GX's section
    and index builders would each list and parse every key again)."""
    keys = store.list_keys()
    store.list_keys = lambda: list(keys)
    try:
        yield keys
    finally:
        del store.list_keys


def _suite_pages(context: AbstractDataContext) -> dict[str, tuple[Any, str]]:
    """Site-relative page path -> (key, digest of the suite's content), for every stored
    suite. Ids are left out: GX gives a suite and its expectations new ones each time it is
    registered, and pages do not show them."""
    store = context.expectations_store
    pages: dict[str, tuple[Any, str]] = {}
    for key in store.list_keys():
        suite = json.loads(store.store_backend.get(store.key_to_tuple(key)))
        suite.pop("id", None)
        for expectation in suite.get("expectations", []):
            expectation.pop("id", None)
        content = json.dumps(suite, sort_keys=True).encode("utf-8")
        pages["expectations/" + "/".join(key.to_tuple()) + ".html"] = (
            key,
            hashlib.sha256(content).hexdigest(),
        )
    return pages


def _files_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@functools.cache
def _vendor_digest() -> str:
    digest = hashlib.sha256()
    for path in _files_in(VENDOR_DIR):
        digest.update(path.relative_to(VENDOR_DIR).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _static_files() -> tuple[str, ...]:
    """Site-relative paths of the static files a full build writes: GX's and the vendored."""
    import great_expectations

    gx_static = Path(great_expectations.__file__).parent / "render" / "view" / "static"
    files = [f"static/{p.relative_to(gx_static).as_posix()}" for p in _files_in(gx_static)]
    files += [
        f"{SITE_VENDOR}/{p.relative_to(VENDOR_DIR).as_posix()}" for p in _files_in(VENDOR_DIR)
    ]
    return tuple(f for f in files if not f.endswith(".DS_Store"))


def _signature() -> dict[str, Any]:
    import great_expectations as gx

    return {"format": SITE_FORMAT, "gx": gx.__version__, "vendor": _vendor_digest()}


def _previous_record(site: Path) -> dict[str, Any] | None:
    """The record of the site at `site`, if the site can be built upon (else None)."""
    try:
        record = json.loads((site / SITE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("signature") != _signature():
        return None
    needed = [INDEX_PAGE, *record.get("pages", []), *record.get("suites", {}), *_static_files()]
    return record if all((site / page).is_file() for page in needed) else None


def _link_or_copy(source: str, destination: str) -> None:
    """Hard-link `source` at `destination` (no bytes copied), or copy it where links fail."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _start_from(previous: Path, staging: Path, drop: set[str]) -> None:
    """Link the previous site's files into `staging`, without the pages in `drop` (results
    pruned since, and the pages this build writes again). Every page is then written as a new
    file, never into a linked one, so the live site is not changed while it is replaced."""
    shutil.copytree(previous, staging, copy_function=_link_or_copy)
    for page in drop:
        path = staging / page
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == staging or any(folder.iterdir()):
                break
            folder.rmdir()


class _IndexContext:
    """The data context as GX's index builder sees it, reading each stored result once per
    process. The index shows only a result's outcome and names, which never change once it
    is stored, yet GX would deserialise every stored result again on every build."""

    def __init__(self, context: AbstractDataContext) -> None:
        self._context = context
        self._results: dict[tuple, Any] = {}
        self._read: set[tuple] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def get_validation_result(self, expectation_suite_name: str, run_id=None, **kwargs: Any):
        batch_identifier = kwargs.get("batch_identifier")
        if run_id is None or batch_identifier is None or kwargs.get("failed_only"):
            return self._context.get_validation_result(expectation_suite_name, run_id, **kwargs)
        key = (
            expectation_suite_name,
            run_id.to_tuple(),
            batch_identifier,
            kwargs.get("validation_results_store_name"),
        )
        self._read.add(key)
        result = self._results.get(key)
        if result is None:
            result = self._context.get_validation_result(expectation_suite_name, run_id, **kwargs)
            if result:  # GX answers {} for a result it cannot find
                self._results[key] = result
        return result

    def forget_unread(self) -> None:
        """Drop the results the last index build did not read (pruned since)."""
        self._results = {k: v for k, v in self._results.items() if k in self._read}
        self._read = set()


def _site_builder(context: AbstractDataContext, config: dict) -> Any:
    """GX's builder for the site `config` describes, kept per context and staging folder:
    its page views keep the Jinja templates they compiled or loaded from the template cache
    (compiling them was most of the time of a small build). The site is registered in the
    context too, so GX's own `build_data_docs` knows it."""
    key = (id(context), config["store_backend"]["base_directory"])
    cached = _BUILDERS.get(key)
    if cached is not None and cached[0] is context and cached[1] == config:
        return cached[2]
    from great_expectations.data_context.util import instantiate_class_from_config

    sites = context.variables.data_docs_sites or {}
    if sites.get(SITE_NAME) != config:
        if SITE_NAME in sites:
            context.update_data_docs_site(SITE_NAME, config)
        else:
            context.add_data_docs_site(SITE_NAME, config)
    builder = instantiate_class_from_config(
        config=config,
        runtime_environment={
            "data_context": context,
            "root_directory": context.root_directory,
            "site_name": SITE_NAME,
        },
        config_defaults={
            "class_name": "SiteBuilder",
            "module_name": "great_expectations.render.renderer.site_builder",
        },
    )
    builder.site_index_builder.data_context = _IndexContext(context)
    root = context_root(context)
    if root is not None:
        _load_compiled_templates(builder, root / TEMPLATE_CACHE)
    _BUILDERS[key] = (context, copy.deepcopy(config), builder)
    return builder


def _load_compiled_templates(builder: Any, cache_dir: Path) -> None:
    """Let the builder's page views load their templates compiled from `cache_dir`, written
    by the first process that compiled them (Jinja checks each against its source)."""
    from jinja2 import FileSystemBytecodeCache

    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(cache_dir))
    sections = list(builder.site_section_builders.values())
    for part in [*sections, builder.site_index_builder]:
        environment = getattr(part.view_class, "env", None)
        if environment is not None:
            environment.bytecode_cache = cache


def _render(builder: Any, only: list[Any] | None) -> None:
    """Render the pages of `only` (every page, and GX's static files, when None) and the
    index."""
    if only is None:
        builder.build()
    else:
        if only:  # GX renders every page when given no resources
            for section in builder.site_section_builders.values():
                section.build(resource_identifiers=only)
        builder.site_index_builder.build()
    builder.site_index_builder.data_context.forget_unread()


def _build_site(
    builder: Any,
    staging: Path,
    target_dir: Path,
    pages: dict[str, Any],
    suites: dict[str, tuple[Any, str]],
) -> None:
    """Render the site into `staging`: on top of the previous site in `target_dir` when it
    can be built upon, else every page."""
    previous = _previous_record(target_dir)
    if previous is None:
        _render(builder, None)
        localise_site(staging)
        return
    kept = previous.get("suites", {})
    new_suites = sorted(page for page, (_, digest) in suites.items() if kept.get(page) != digest)
    old_pages = set(previous.get("pages", []))
    new_pages = sorted(pages.keys() - old_pages)
    rewritten = {INDEX_PAGE, SITE_RECORD, *new_suites}
    _start_from(target_dir, staging, (old_pages - pages.keys()) | rewritten)
    _render(builder, [pages[p] for p in new_pages] + [suites[p][0] for p in new_suites])
    written = [staging / page for page in [INDEX_PAGE, *new_pages, *new_suites]]
    # GX logs a page it fails to render and goes on; the next build is then a full one
    localise_site(staging, [path for path in written if path.is_file()])


def _swap(staging: Path, target_dir: Path) -> None:
    old = target_dir.with_name(f".{target_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target_dir.exists():
        target_dir.rename(old)
    staging.rename(target_dir)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class PreparedSite:
    """A site rendered into its staging folder but not swapped in yet, and what it shows:
    the stored results, the suites, and the site it was rendered on top of."""

    target_dir: Path
    staging: Path
    sources: tuple


def _sources(
    context: AbstractDataContext, target_dir: Path, suites: dict[str, tuple[Any, str]]
) -> tuple:
    """What a rendered site depends on: the stored results (raw keys), each suite's content
    (`suites`, from `_suite_pages`), and the identity of the site in `target_dir` it starts
    from."""
    results = sorted(context.validation_results_store.store_backend.list_keys())
    digests = sorted((page, digest) for page, (_, digest) in suites.items())
    try:
        record = (target_dir / SITE_RECORD).stat()
        site = (record.st_ino, record.st_size, record.st_mtime_ns)
    except OSError:
        site = None
    return (tuple(results), tuple(digests), site)


def _render_site(
    context: AbstractDataContext, target_dir: Path, staging: Path, keep_results: int
) -> PreparedSite:
    """Prune the stored results and render the site into `staging` (the context's file lock
    held)."""
    prune_results(context, keep_results)
    shutil.rmtree(staging, ignore_errors=True)
    suites = _suite_pages(context)
    sources = _sources(context, target_dir, suites)
    with _listed_once(context.validation_results_store) as keys:
        pages = _result_pages(keys)
        builder = _site_builder(context, _site_config(staging))
        _build_site(builder, staging, target_dir, pages, suites)
    record = {
        "signature": _signature(),
        "pages": sorted(pages),
        "suites": {page: digest for page, (_, digest) in suites.items()},
    }
    (staging / SITE_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return PreparedSite(target_dir=target_dir, staging=staging, sources=sources)


def _staging_of(target_dir: Path) -> Path:
    return target_dir.with_name(f".{target_dir.name}.building")


def prepare_data_docs(
    context: AbstractDataContext,
    target_dir: Path,
    *,
    keep_results: int = KEEP_RESULTS_PER_SUITE,
) -> PreparedSite:
    """Render the site `build_data_docs` would write into `target_dir`, without swapping it
    in: given to `build_data_docs` later, it is swapped in as it is if nothing it shows has
    changed since (no result stored or pruned, no suite edited, no other build in between)."""
    target_dir = Path(target_dir).resolve()
    with file_lock(context_root(context)):
        return _render_site(context, target_dir, _staging_of(target_dir), keep_results)


def build_data_docs(
    context: AbstractDataContext,
    target_dir: Path,
    *,
    keep_results: int = KEEP_RESULTS_PER_SUITE,
    prepared: PreparedSite | None = None,
) -> Path:
    """Write the (offline-ready) Data Docs site into `target_dir`; return its index.html.

    When `target_dir` holds a site this function built (same format, GX version and vendored
    assets), the new site starts from it (hard links, no copy) and GX renders only the index,
    the results stored since and the suites whose content changed; otherwise every page is
    rendered. A site `prepare_data_docs` rendered that is still current is swapped in as it
    is."""
    target_dir = Path(target_dir).resolve()
    staging = _staging_of(target_dir)
    with file_lock(context_root(context)):
        current = (
            prepared is not None
            and prepared.target_dir == target_dir
            and prepared.staging.is_dir()
            and prune_results(context, keep_results) == 0
            and _sources(context, target_dir, _suite_pages(context)) == prepared.sources
        )
        if not current:
            _render_site(context, target_dir, staging, keep_results)
    _swap(staging, target_dir)
    return target_dir / "index.html"
