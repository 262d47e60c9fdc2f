"""MkDocs hooks (no plugin to install): the parts of the site that are generated at build time.

Registered in ``mkdocs.yml`` under ``hooks:``.

* ``on_config`` renders the API reference with ``scripts/gen_api_docs.py`` and fills the
  "API reference" section of the navigation; ``on_files`` adds those pages to the site as
  generated files (nothing is written into ``docs/``).
* ``on_page_markdown`` expands two kinds of markers in any page:
  ``<!-- include: PATH [LANG] -->`` inserts a repository file (as Markdown, or fenced as LANG), so
  ``CONTRIBUTING.md``, ``CHANGELOG.md`` and ``CITATION.cff`` are written once;
  ``<!-- lexicon: NAME [by=COLUMN] -->`` inserts a summary of a shipped lexicon (version, number of
  entries per COLUMN value, and per ``source``), so the codebook always states the lexicon that
  ships with the code; ``<!-- lexicon-list: NAME COLUMN [KEY=VALUE] -->`` inserts the distinct
  values of COLUMN (of the rows where KEY equals VALUE) as an inline list;
  ``<!-- lexicon-version: NAME -->`` and ``<!-- framing-version -->`` insert versions;
  ``<!-- sources: FILE -->`` inserts the section of ``framing/lexicons/SOURCES.md`` whose heading
  names FILE (the written provenance of that lexicon).
"""

from __future__ import annotations

import html
import importlib.util
import logging
import re
import sys
from collections import Counter
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.framing")

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
_PAGES: dict[str, str] = {}
API_DIR = "api"
NAV_TITLE = "API reference"
_INCLUDE = re.compile(r"<!--\s*include:\s*(\S+)(?:\s+(\w+))?\s*-->")
_LEXICON = re.compile(r"<!--\s*lexicon:\s*(\w+)(?:\s+by=(\w+))?\s*-->")
_LEXICON_LIST = re.compile(r"<!--\s*lexicon-list:\s*(\w+)\s+(\w+)(?:\s+(\w+)=(\S+))?\s*-->")
_LEXICON_VERSION = re.compile(r"<!--\s*lexicon-version:\s*(\w+)\s*-->")
_VERSION = re.compile(r"<!--\s*framing-version\s*-->")
_SOURCES = re.compile(r"<!--\s*sources:\s*(\S+)\s*-->")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_api_docs", _HERE / "gen_api_docs.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_api_docs"] = mod
    spec.loader.exec_module(mod)
    return mod


def on_config(config):
    """Render the reference pages and list them in the navigation."""
    gen = _generator()
    _PAGES.clear()
    _PAGES.update(gen.render_pages())
    entries = [{"Overview": f"{API_DIR}/index.md"}, {"Error codes": f"{API_DIR}/error-codes.md"}]
    modules = sorted((name[:-3] for name in _PAGES if name not in ("index.md", "error-codes.md")),
                     key=lambda m: m.split("."))
    entries += [{m: f"{API_DIR}/{m}.md"} for m in modules]
    nav = config.get("nav") or []
    for i, item in enumerate(nav):
        if isinstance(item, dict) and NAV_TITLE in item:
            nav[i] = {NAV_TITLE: entries}
    return config


def on_files(files, config):
    """Add the generated pages (replacing any stale copy under docs/api/)."""
    for name, text in _PAGES.items():
        uri = f"{API_DIR}/{name}"
        old = files.get_file_from_path(uri)
        if old is not None:
            files.remove(old)
        files.append(File.generated(config, uri, content=text))
    return files


def _include(m: re.Match[str], page: str) -> str:
    path = (ROOT / m.group(1)).resolve()
    if ROOT not in path.parents or not path.is_file():
        log.warning("%s: include of %s: no such file in the repository", page, m.group(1))
        return f"*(missing file `{m.group(1)}`)*"
    text = path.read_text(encoding="utf-8")
    lang = m.group(2)
    if lang:
        return f"```{lang}\n{text.rstrip()}\n```"
    # a repository file's own top heading would duplicate the page's: drop it
    return re.sub(r"\A#\s[^\n]*\n+", "", text)


def lexicon_summary(name: str, by: str | None = None) -> str:
    """Markdown: version, size and provenance of a shipped lexicon (counts per ``by`` and per ``source``)."""
    from framing.lexicons import lexicon_version, load_lexicon

    rows = load_lexicon(name)
    out = [f"Lexicon `framing/lexicons/{name}.tsv`, version **{html.escape(lexicon_version(name))}**, "
           f"{len(rows)} entries."]
    if by and rows and by in rows[0]:
        counts = Counter(r[by] for r in rows)
        out += ["", f"| {by} | entries |", "|---|---:|"]
        out += [f"| `{k}` | {v} |" for k, v in sorted(counts.items())]
    if rows and "source" in rows[0]:
        counts = Counter(r["source"] for r in rows)
        out += ["", "| source (provenance of the entries) | entries |", "|---|---:|"]
        out += [f"| {html.escape(k).replace('|', '&#124;')} | {v} |" for k, v in counts.most_common()]
    return "\n".join(out)


def _lexicon(m: re.Match[str], page: str) -> str:
    try:
        return lexicon_summary(m.group(1), m.group(2))
    except Exception as exc:  # a missing or broken lexicon must fail a strict build, visibly
        log.warning("%s: lexicon %s: %s", page, m.group(1), exc)
        return f"*(lexicon `{m.group(1)}` could not be read: {html.escape(str(exc))})*"


def lexicon_list(name: str, column: str, key: str | None = None, value: str | None = None) -> str:
    """Distinct values of one lexicon column (optionally of the rows where ``key == value``), as code spans."""
    from framing.lexicons import load_lexicon

    rows = load_lexicon(name)
    if rows and column not in rows[0]:
        raise KeyError(f"lexicon {name!r} has no column {column!r}")
    if key is not None and rows and key not in rows[0]:
        raise KeyError(f"lexicon {name!r} has no column {key!r}")
    values = sorted({r[column] for r in rows if key is None or r[key] == value}, key=str.lower)
    if not values:
        raise ValueError(f"no row of lexicon {name!r} has {key}={value}")
    return ", ".join(f"`{v}`" for v in values)


def sources_section(filename: str) -> str:
    """The section of ``framing/lexicons/SOURCES.md`` whose ``## `` heading names ``filename``, headings demoted."""
    text = (ROOT / "framing" / "lexicons" / "SOURCES.md").read_text(encoding="utf-8")
    sections = re.split(r"^(?=## )", text, flags=re.M)
    for sec in sections:
        head = sec.split("\n", 1)[0]
        if head.startswith("## ") and re.search(rf"(?<![\w.]){re.escape(filename)}(?![\w.])", head):
            body = sec.split("\n", 1)[1] if "\n" in sec else ""
            body = re.sub(r"^(#{2,5}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", body, flags=re.M)
            return f"From `framing/lexicons/SOURCES.md`, section *{head[3:].strip()}*:\n\n{body.strip()}"
    raise KeyError(f"no section for {filename} in framing/lexicons/SOURCES.md")


def _guard(fn, page: str, what: str):
    try:
        return fn()
    except Exception as exc:  # a missing or broken lexicon must fail a strict build, visibly
        log.warning("%s: %s: %s", page, what, exc)
        return f"*({what} could not be read: {html.escape(str(exc))})*"


def on_page_markdown(markdown, page, config, files):
    """Expand include, lexicon and version markers."""
    from framing import __version__
    from framing.lexicons import lexicon_version

    src = page.file.src_uri
    markdown = _INCLUDE.sub(lambda m: _include(m, src), markdown)
    markdown = _LEXICON.sub(lambda m: _lexicon(m, src), markdown)
    markdown = _LEXICON_LIST.sub(lambda m: _guard(lambda: lexicon_list(*m.groups()), src,
                                                  f"lexicon {m.group(1)}"), markdown)
    markdown = _LEXICON_VERSION.sub(lambda m: _guard(lambda: f"`{lexicon_version(m.group(1))}`", src,
                                                     f"lexicon {m.group(1)}"), markdown)
    markdown = _SOURCES.sub(lambda m: _guard(lambda: sources_section(m.group(1)), src,
                                             f"SOURCES.md section for {m.group(1)}"), markdown)
    return _VERSION.sub(f"`{__version__}`", markdown)
