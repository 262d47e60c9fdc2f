"""Build a self-contained HTML report for a corpus by executing the notebooks headless.

``build_report(path, outdir)``:

1. analyses the corpus at ``path`` (or loads it, when ``path`` is the output folder of
   ``framing analyze``) and saves the analysis to ``<outdir>/analysis/``;
2. writes the run parameters to ``<outdir>/params.json`` and executes the notebooks of
   ``notebooks/`` (exploration, outlet comparison, methods; kept as jupytext "percent" scripts)
   with nbclient; the environment variable ``FRAMING_REPORT_PARAMS`` tells them where the
   parameters are. The executed notebooks are saved in ``<outdir>/notebooks/``;
3. the outlet-comparison notebook writes figures (PNG and SVG) to ``<outdir>/figures/``, tables
   (CSV) to ``<outdir>/tables/`` and, for every figure, a manifest entry with its caption and
   example sentences (:func:`record_figure`);
4. ``<outdir>/report.html`` is assembled from those: corpus, date range, counts, toolkit version,
   parameters, every figure (embedded), its table and the sentences a reader can check. All
   text is HTML-escaped.

Without nbclient (``pip install framing-toolkit[notebooks]``) the notebooks run as plain
Python scripts in a subprocess (``execute="script"``): same outputs, no executed ``.ipynb``.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from framing._version import __version__
from framing.errors import FramingError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from framing.analysis import Analysis

__all__ = ["NOTEBOOKS", "DEFAULT_PARAMS", "build_report", "load_params", "record_figure", "record_table",
           "render_html", "notebook_dir"]

log = logging.getLogger(__name__)

#: The notebooks executed for a report, in order (stems of ``notebooks/*.py``).
NOTEBOOKS = ["exploration", "outlet_comparison", "methods"]

#: Parameters the notebooks read (override with ``params=`` or a JSON file).
DEFAULT_PARAMS: dict[str, Any] = {
    "n_boot": 2000,
    "n_perm": 2000,
    "level": 0.95,
    "correction": "holm",
    "seed": 0,
    "min_similarity": 0.3,
    "date_window_days": 3,
    "n_splits": 5,
    "importance_repeats": 5,
    "evidence_per_outlet": 2,
    "min_actor_articles": 2,
}

PARAMS_ENV = "FRAMING_REPORT_PARAMS"


def notebook_dir() -> Path:
    """Where the notebook sources live: ``$FRAMING_NOTEBOOKS`` or ``notebooks/`` of the repository."""
    env = os.environ.get("FRAMING_NOTEBOOKS")
    p = Path(env) if env else Path(__file__).resolve().parents[1] / "notebooks"
    if not p.is_dir():
        raise FramingError("E470", f"notebook folder not found at {p}; set FRAMING_NOTEBOOKS to the notebooks/ "
                                   "folder of a framing checkout")
    return p


def load_params(default_corpus: str | Path | None = None) -> dict[str, Any]:
    """The report parameters, for use inside a notebook.

    Reads the JSON file named by ``$FRAMING_REPORT_PARAMS``; when it is not set (a notebook opened by
    hand), analyses ``default_corpus`` (the demo corpus) into a temporary report folder.
    """
    env = os.environ.get(PARAMS_ENV)
    if env:
        return json.loads(Path(env).read_text(encoding="utf-8"))
    root = Path(__file__).resolve().parents[1]
    corpus = Path(default_corpus) if default_corpus else root / "corpora" / "demo"
    out = root / "reports" / f"{corpus.name}-interactive"
    from framing.api import analyze

    analysis_dir = out / "analysis"
    if not (analysis_dir / "articles.parquet").is_file():
        analyze(corpus).save(analysis_dir)
    return {**DEFAULT_PARAMS, "analysis": str(analysis_dir), "outdir": str(out), "corpus": corpus.name}


# -- what the notebooks record -----------------------------------------------------------------------

def _manifest_path(outdir: str | Path) -> Path:
    return Path(outdir) / "figures.json"


def _append_manifest(outdir: str | Path, entry: dict[str, Any]) -> None:
    p = _manifest_path(outdir)
    items = json.loads(p.read_text(encoding="utf-8")) if p.is_file() else []
    items = [i for i in items if i.get("name") != entry["name"]] + [entry]
    p.write_text(json.dumps(items, indent=1, default=str), encoding="utf-8")


def record_table(table: pd.DataFrame, name: str, outdir: str | Path, *, index: bool = False) -> Path:
    """Write ``table`` as ``<outdir>/tables/<name>.csv`` and return the path."""
    p = Path(outdir) / "tables" / f"{name}.csv"
    p.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(p, index=index)
    return p


def record_figure(fig: Figure, name: str, outdir: str | Path, *, title: str, caption: str,
                  table: pd.DataFrame | None = None, evidence: pd.DataFrame | None = None,
                  table_index: bool = False) -> dict[str, Any]:
    """Save a figure (PNG + SVG), its table (CSV) and example sentences, and list it in the report manifest."""
    from framing.plots import save_figure

    out = Path(outdir)
    paths = save_figure(fig, out / "figures" / name)
    entry: dict[str, Any] = {"name": name, "title": title, "caption": caption,
                             "png": str(paths[0].relative_to(out)), "svg": str(paths[1].relative_to(out))}
    if table is not None:
        entry["table"] = str(record_table(table, name, out, index=table_index).relative_to(out))
        entry["table_index"] = table_index
    if evidence is not None and len(evidence):
        entry["evidence"] = evidence.to_dict("records")
    _append_manifest(out, entry)
    return entry


# -- running the notebooks -----------------------------------------------------------------------------

def _execute_nbclient(src: Path, dest: Path, env: dict[str, str], timeout: int) -> None:
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits the environment of this process
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(src.parent)}}).execute()
    except CellExecutionError as exc:
        dest.parent.mkdir(parents=True, exist_ok=True)
        import nbformat

        nbformat.write(nb, dest)
        raise FramingError("E471", f"notebook {src.name} failed (partial output in {dest}):\n{exc}") from None
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    dest.parent.mkdir(parents=True, exist_ok=True)
    import nbformat

    nbformat.write(nb, dest)


def _execute_script(src: Path, env: dict[str, str], timeout: int) -> None:
    proc = subprocess.run([sys.executable, str(src)], env={**os.environ, **env, "MPLBACKEND": "Agg"},
                          cwd=str(src.parent), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise FramingError("E471", f"notebook script {src.name} failed:\n{proc.stderr[-3000:]}")


def _corpus_name(path: Path) -> str:
    name = path.name if path.name not in ("", ".", "analysis") else path.resolve().parent.name
    return Path(name).stem or "corpus"


def build_report(path: str | Path, outdir: str | Path | None = None, *, params: dict[str, Any] | None = None,
                 execute: str = "auto", notebooks: list[str] | None = None, timeout: int = 900) -> Path:
    """Analyse a corpus (or load an analysis folder), execute the notebooks and write the HTML report.

    Parameters
    ----------
    path : str or Path
        A corpus (anything :func:`framing.read_corpus` reads) or the output folder of ``framing analyze``.
    outdir : str or Path, optional
        Report folder (default ``reports/<corpus name>``).
    params : dict, optional
        Overrides of :data:`DEFAULT_PARAMS`.
    execute : {"auto", "nbclient", "script"}
        How to run the notebooks ("auto": nbclient when installed).
    notebooks : list of str, optional
        Which notebooks to run (default :data:`NOTEBOOKS`).

    Returns
    -------
    Path
        The ``report.html`` written.
    """
    from framing.analysis import Analysis
    from framing.api import analyze

    src = Path(path)
    if not src.exists():
        raise FramingError("E472", f"no corpus or analysis folder at {src}")
    unknown = set(params or {}) - set(DEFAULT_PARAMS)
    if unknown:
        raise FramingError("E473", f"unknown report parameter(s): {', '.join(sorted(unknown))}; "
                                   f"known: {', '.join(DEFAULT_PARAMS)}")
    corpus = _corpus_name(src)
    out = Path(outdir) if outdir else Path("reports") / corpus
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("figures.json",):
        (out / stale).unlink(missing_ok=True)
    if src.is_dir() and (src / "articles.parquet").is_file():
        analysis = Analysis.load(src)
        analysis_dir = src
    else:
        t0 = time.time()
        analysis = analyze(src)
        analysis_dir = out / "analysis"
        analysis.save(analysis_dir)
        log.info("analysed %d articles in %.1fs", len(analysis), time.time() - t0)
    if len(analysis) == 0:
        raise FramingError("E474", f"no article could be analysed in {src}; see the errors table")
    p = {**DEFAULT_PARAMS, **(params or {}), "analysis": str(analysis_dir.resolve()), "outdir": str(out.resolve()),
         "corpus": corpus, "source": str(src)}
    params_path = out / "params.json"
    params_path.write_text(json.dumps(p, indent=2), encoding="utf-8")
    env = {PARAMS_ENV: str(params_path.resolve())}
    mode = execute
    if mode == "auto":
        try:
            import jupytext  # noqa: F401
            import nbclient  # noqa: F401

            mode = "nbclient"
        except ImportError:
            log.warning("nbclient/jupytext not installed: running the notebooks as scripts (no executed .ipynb)")
            mode = "script"
    if mode not in ("nbclient", "script"):
        raise FramingError("E473", f"execute must be 'auto', 'nbclient' or 'script', not {execute!r}")
    nbdir = notebook_dir()
    ran = []
    for name in notebooks or NOTEBOOKS:
        script = nbdir / f"{name}.py"
        if not script.is_file():
            raise FramingError("E470", f"notebook {script} not found")
        t0 = time.time()
        if mode == "nbclient":
            _execute_nbclient(script, out / "notebooks" / f"{name}.ipynb", env, timeout)
            ran.append({"name": name, "file": f"notebooks/{name}.ipynb", "seconds": round(time.time() - t0, 1)})
        else:
            _execute_script(script, env, timeout)
            ran.append({"name": name, "file": None, "seconds": round(time.time() - t0, 1)})
    html_path = out / "report.html"
    html_path.write_text(render_html(analysis, out, p, ran), encoding="utf-8")
    return html_path


# -- HTML -------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1a1a1a;line-height:1.45}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0} th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top} th{background:#f2f2f2}
.meta td:first-child{font-weight:600;background:#f8f8f8} figure{margin:1em 0} img{max-width:100%;height:auto;
border:1px solid #eee} figcaption{color:#333;font-size:.92em;margin-top:.4em}
mark{background:#F0E442;padding:0 .15em} .evidence li{margin:.35em 0} .src{color:#555;font-size:.85em}
details{margin:.5em 0} code{background:#f4f4f4;padding:0 .2em}
"""


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def _article_pages(analysis, outdir: Path, doc_ids: list[str]) -> dict[str, str]:
    """Write an annotated page per article (``articles/<hash>.html``); returns doc_id -> relative link."""
    import hashlib

    links: dict[str, str] = {}
    try:
        from framing.view import render_article
    except ImportError:  # the viewer is optional for the report
        return links
    for d in dict.fromkeys(doc_ids):
        rel = f"articles/{hashlib.sha1(str(d).encode('utf-8')).hexdigest()[:12]}.html"
        try:
            render_article(analysis, str(d)).save(outdir / rel)
        except Exception as exc:  # one unrenderable article must not stop the report
            log.warning("could not render article %s for the report: %s", d, exc)
            continue
        links[str(d)] = rel
    return links


def _evidence_html(items: list[dict[str, Any]], links: dict[str, str] | None = None) -> str:
    esc = html.escape
    lis = []
    for e in items:
        s = str(e.get("sentence", ""))
        a, b = int(e.get("mark_start", 0)), int(e.get("mark_end", 0))
        a, b = max(0, min(a, len(s))), max(0, min(b, len(s)))
        body = esc(s[:a]) + "<mark>" + esc(s[a:b]) + "</mark>" + esc(s[b:])
        doc = str(e.get("doc_id", ""))
        ident = f"<code>{esc(doc)}</code>"
        if links and doc in links:
            ident = f"<a href='{esc(links[doc])}'>{ident}</a>"
        lis.append(f"<li>“{body}”<br><span class='src'>{esc(str(e.get('outlet', '')))} · {ident} · characters "
                   f"{esc(str(e.get('start', '')))}–{esc(str(e.get('end', '')))} · "
                   f"{esc(str(e.get('what', '')))}: {esc(str(e.get('label', '')))}</span></li>")
    return "<ul class='evidence'>" + "".join(lis) + "</ul>"


def _meta_rows(analysis, params: dict[str, Any]) -> list[tuple[str, str]]:
    a = analysis.articles
    dates = pd.to_datetime(a["date"], errors="coerce") if "date" in a else pd.Series(dtype="datetime64[ns]")
    date_range = (f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d} ({int(dates.notna().sum())} of {len(a)} "
                  "articles dated)") if dates.notna().any() else "no dates"
    counts = a.groupby("outlet", dropna=False).size()
    s = analysis.summary()
    prov = analysis.provenance or {}
    shown = {k: v for k, v in params.items() if k in DEFAULT_PARAMS}
    return [
        ("corpus", f"{params.get('corpus')} ({params.get('source')})"),
        ("date range", date_range),
        ("articles", f"{s['articles']} from {s['outlets']} outlet(s): "
                     + ", ".join(f"{o} {n}" for o, n in counts.items())),
        ("findings", f"{s['attributions']} attributions, {s['hedges']} hedges, {s['mentions']} actor mentions, "
                     f"{s['boilerplate_spans']} boilerplate spans"),
        ("articles not analysed", str(s["errors"])),
        ("toolkit", f"framing {__version__} (analysis made with {prov.get('version', 'unknown')}, "
                    f"{prov.get('created', 'unknown date')})"),
        ("analysis options", json.dumps(prov.get("options", {}), sort_keys=True)),
        ("lexicons", ", ".join(f"{k} {v}" for k, v in sorted((prov.get("lexicons") or {}).items())) or "–"),
        ("report parameters", json.dumps(shown, sort_keys=True)),
        ("report built", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
    ]


def render_html(analysis: Analysis, outdir: str | Path, params: dict[str, Any], notebooks: list[dict[str, Any]]) -> str:
    """The report page: metadata, every recorded figure with its table and evidence, links to notebooks."""
    out = Path(outdir)
    mp = _manifest_path(out)
    figures = json.loads(mp.read_text(encoding="utf-8")) if mp.is_file() else []
    esc = html.escape
    links = _article_pages(analysis, out, [str(e.get("doc_id")) for f in figures for e in f.get("evidence", [])])
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>framing report: "
             f"{esc(str(params.get('corpus')))}</title><style>{_CSS}</style></head><body>",
             f"<h1>How outlets frame the news: {esc(str(params.get('corpus')))}</h1>",
             "<p>Every number below is computed from findings tied to exact character offsets of the articles; "
             "under each figure are example sentences with the counted words highlighted, so a reader can check "
             "what was measured. Confidence intervals are percentile bootstrap intervals over articles.</p>",
             "<table class='meta'>" + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
                                              for k, v in _meta_rows(analysis, params)) + "</table>"]
    if figures:
        parts.append("<h2>Contents</h2><ol>" + "".join(f"<li><a href='#{esc(f['name'])}'>{esc(f['title'])}</a></li>"
                                                         for f in figures) + "</ol>")
    else:
        parts.append("<p><strong>No figures were recorded</strong> (did the outlet-comparison notebook run?).</p>")
    for f in figures:
        parts.append(f"<h2 id='{esc(f['name'])}'>{esc(f['title'])}</h2><figure>")
        png = out / f["png"]
        if png.is_file():
            parts.append(f"<img src='{_img(png)}' alt='{esc(f['title'])}'>")
        parts.append(f"<figcaption>{esc(f['caption'])} <a href='{esc(f['svg'])}'>SVG</a>"
                     + (f" · <a href='{esc(f['table'])}'>table (CSV)</a>" if f.get("table") else "")
                     + "</figcaption></figure>")
        if f.get("table") and (out / f["table"]).is_file():
            t = pd.read_csv(out / f["table"], index_col=0 if f.get("table_index") else None)
            if len(t) <= 60:
                parts.append("<details><summary>Table</summary>" + t.to_html(escape=True, index=bool(
                    f.get("table_index")), float_format=lambda v: f"{v:.3g}", na_rep="–") + "</details>")
        if f.get("evidence"):
            parts.append("<p><strong>Sentences behind this figure</strong> (highlighted: what was counted; the "
                         "article id opens the annotated article)</p>"
                         + _evidence_html(f["evidence"], links))
    parts.append("<h2>Notebooks</h2><ul>")
    for nb in notebooks:
        link = f"<a href='{esc(nb['file'])}'>{esc(nb['name'])}.ipynb</a>" if nb.get("file") else esc(nb["name"])
        parts.append(f"<li>{link} (executed in {esc(str(nb['seconds']))} s)</li>")
    parts.append("</ul><p class='src'>Generated by <code>framing report</code>. Tables: <code>tables/</code>; "
                 "figures: <code>figures/</code>; analysis (Parquet): <code>"
                 f"{esc(str(params.get('analysis')))}</code>.</p></body></html>")
    return "".join(parts)
