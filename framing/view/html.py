"""HTML rendering of the annotated article view and the comparison view.

Self-contained pages (inline CSS, no script, no network; a Content-Security-Policy
forbids scripts as a second line of defence) and fragments for Jupyter. All
article data is escaped by :mod:`framing.view.escape`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.document import split_blocks
from framing.errors import FramingError
from framing.view import numbers as nb
from framing.view.escape import attrs, plain, text
from framing.view.marks import CUE_CLASSES, Event, Mark, collect_marks, nest

if TYPE_CHECKING:
    from framing.analysis import Analysis

__all__ = ["ArticleView", "render_article", "render_comparison", "page", "article_html", "LEGEND"]

log = logging.getLogger(__name__)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

# (toggle id, group name, [(key css, sample text, description), ...])
LEGEND: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("cue", "Reporting verbs", [("fv-cue fv-cue-neutral", "said", "neutral"),
                                ("fv-cue fv-cue-distancing", "claimed", "distancing"),
                                ("fv-cue fv-cue-emphatic", "vowed", "emphatic")]),
    ("spk", "Speakers", [("fv-spk", "Name", "underlined")]),
    ("q", "Quotes", [("fv-q fv-q-0", "own words", "direct quotation")]),
    ("h", "Hedges", [("fv-h fv-h-distancing", "allegedly", "distancing"),
                     ("fv-h fv-h-uncertainty", "may", "uncertain"),
                     ("fv-h fv-h-unconfirmed", "unverified", "not confirmed"),
                     ("fv-h fv-h-unnamed", "a source", "unnamed source")]),
    ("a", "Actors, by tone", [("fv-a fv-a-neg", "Actor", "negative"), ("fv-a fv-a-neu", "Actor", "neutral"),
                              ("fv-a fv-a-pos", "Actor", "positive")]),
    ("bp", "Boilerplate", [("fv-bp", "appeal", "not news")]),
]
_LAYER_OF = {"cue": "cue", "spk": "speaker", "q": "quote", "h": "hedge", "a": "mention", "bp": "boilerplate"}
_WHY_AFTER = {"quote", "boilerplate"}  # these use ::before for a badge, so the why-bar uses ::after


def _prefix(key: str) -> str:
    """An id prefix unique to one article, so that several views can share a notebook page."""
    return "fv" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8] + "-"


@lru_cache(maxsize=1)
def css() -> str:
    """The view's stylesheet (shipped as ``framing/view/style.css``)."""
    return resources.files("framing.view").joinpath("style.css").read_text(encoding="utf-8")


class ArticleView:
    """A rendered view: ``.html`` (a whole page), ``.save(path)``, and inline display in Jupyter.

    Parameters
    ----------
    body : str
        The HTML fragment (one ``<div class="fv">``).
    title : str
        Plain-text page title (escaped when the page is built).
    """

    def __init__(self, body: str, title: str, doc_ids: Sequence[str] = ()):
        self.body = body
        self.title = title
        self.doc_ids = list(doc_ids)

    @property
    def html(self) -> str:
        """A complete, self-contained HTML page."""
        return page(self.body, self.title)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8); returns the path."""
        p = Path(path)
        if p.parent and not p.parent.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.html, encoding="utf-8")
        return p

    def _repr_html_(self) -> str:
        return f"<style>{css()}</style>{self.body}"

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<ArticleView {self.title!r}: {len(self.body):,} characters of HTML; .save(path) writes the page>"


def page(body: str, title: str) -> str:
    """Wrap a fragment into a complete page with the stylesheet and a no-script policy."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<title>{text(title)}</title><style>{css()}</style></head>\n<body>{body}</body></html>\n")


# -- pieces ----------------------------------------------------------------------------------

def _open_tag(m: Mark, piece: int, prefix: str) -> str:
    if m.layer == "block":
        return f"<span{attrs(class_=m.css)}>"
    classes = [m.css, "fv-wa" if m.layer in _WHY_AFTER else "fv-wb"]
    if m.layer in ("quote", "boilerplate"):
        classes.append(f"fv-{'q' if m.layer == 'quote' else 'bp'}-{0 if piece == 0 else 'n'}")
    if piece:
        classes.append("fv-cont")
    a = attrs(class_=" ".join(classes), id=None if piece else f"{prefix}m{m.index}",
              tabindex=None if piece else "0", data_why=m.why, data_label=m.label or None,
              data_layer=m.layer, data_n=m.index, data_start=m.start, data_end=m.end,
              aria_describedby=None if piece else f"{prefix}w{m.index}")
    return f"<span{a}>"


def article_html(text_: str, marks: list[Mark], prefix: str = "", headline: str | None = None) -> str:
    """The article text with every mark as a nested ``<span>``; the element's text equals ``text_`` exactly."""
    out: list[str] = []
    headline_done = headline is None
    bp = sorted((m.start, m.end) for m in marks if m.layer == "boilerplate")
    for ev in nest(text_, marks):
        if ev.kind == "text":
            out.append(text(text_[ev.start:ev.end]))
        elif ev.kind == "open":
            assert ev.mark is not None
            tag = _open_tag(ev.mark, ev.piece, prefix)
            if ev.mark.layer == "block":
                m = ev.mark
                cls = ["fv-blk"]
                if not headline_done:
                    headline_done = True
                    if text_[m.start:m.end].strip() == (headline or "").strip():
                        cls.append("fv-headline")
                        out.append(f"<span{attrs(class_=' '.join(cls), role='heading', aria_level='1')}>")
                        continue
                if any(s <= m.start and m.end <= e for s, e in bp):
                    cls.append("fv-blk-bp")  # a whole line of boilerplate: grey the paragraph as a block
                tag = f"<span{attrs(class_=' '.join(cls))}>"
            out.append(tag)
        else:
            out.append("</span>")
    return "".join(out)


HIDE_NAMES = {"cues": "cue", "speakers": "spk", "quotes": "q", "hedges": "h", "actors": "a", "boilerplate": "bp"}


def _hidden(hide: Sequence[str] | str | None) -> set[str]:
    if not hide:
        return set()
    names = [hide] if isinstance(hide, str) else list(hide)
    bad = [n for n in names if n not in HIDE_NAMES]
    if bad:
        raise FramingError("E407", f"cannot hide {', '.join(map(repr, bad))}; choose from: {', '.join(HIDE_NAMES)}")
    return {HIDE_NAMES[n] for n in names}


def _legend(marks: list[Mark], prefix: str, hidden: frozenset[str] | set[str] = frozenset()) -> str:
    counts: dict[str, int] = {}
    for m in marks:
        counts[m.layer] = counts.get(m.layer, 0) + 1
    items = []
    for tog, name, keys in LEGEND:
        box = f"<input type=\"checkbox\"{'' if tog in hidden else ' checked'}{attrs(class_=f'fv-tg-{tog}')}>"
        n = counts.get(_LAYER_OF[tog], 0)
        samples = " ".join(f"<span class=\"fv-pair\"><span{attrs(class_=f'fv-key {css_}')}>{text(sample)}</span> "
                           f"{text(desc)}</span>" for css_, sample, desc in keys)
        items.append(f"<li><label>{box}<strong>{text(name)}</strong>"
                     f" <span class=\"fv-count\">({n})</span></label> {samples}</li>")
    return (f"<section class=\"fv-legend\"{attrs(aria_label='Legend')}><h2>Legend</h2><ul>{''.join(items)}</ul>"
            "<p class=\"fv-hint\">Point at a highlight, or press Tab to move between them, to see why it was "
            "marked. Untick a box to hide that kind of highlight.</p></section>")


def _numbers(row: dict[str, Any]) -> str:
    parts = []
    for n in nb.article_numbers(row):
        parts.append(f"<dt>{text(n.label)}</dt><dd{attrs(data_key=n.key)}>{text(n.value)}</dd>"
                     f"<dd class=\"fv-help\">{text(n.help)}</dd>")
    return f"<dl class=\"fv-nums\">{''.join(parts)}</dl>"


def _cue_list(cues: dict[str, list[str]]) -> str:
    parts = []
    for cls in CUE_CLASSES:
        for cue in sorted(set(cues.get(cls, []))):
            parts.append(f"<span{attrs(class_=f'fv-key fv-cue fv-cue-{cls}')}>{text(cue)}</span>")
    return " ".join(parts)


def _speakers(rows: list[dict[str, Any]], limit: int = 12) -> str:
    if not rows:
        return "<p class=\"fv-empty\">No reported statements found.</p>"
    body = "".join(
        f"<tr><td>{text(r['speaker'])}<br><small>{text(r['source_type'])}</small></td>"
        f"<td class=\"fv-n\">{r['n']}</td><td class=\"fv-n\">{r['direct']}</td><td>{_cue_list(r['cues'])}</td></tr>"
        for r in rows[:limit])
    more = (f"<p class=\"fv-empty\">\u2026 and {len(rows) - limit} more speakers.</p>" if len(rows) > limit else "")
    return ("<table><thead><tr><th scope=\"col\">Speaker</th><th scope=\"col\" class=\"fv-n\">times</th>"
            "<th scope=\"col\" class=\"fv-n\">own words</th><th scope=\"col\">verbs</th></tr></thead>"
            f"<tbody>{body}</tbody></table>{more}")


def _actors(rows: list[dict[str, Any]], limit: int = 10) -> str:
    if not rows:
        return "<p class=\"fv-empty\">No actor mentions found.</p>"
    from framing.view.marks import sentiment_class

    out = []
    for r in rows[:limit]:
        s = r["mean_sentiment"]
        sc = sentiment_class(s)
        val = "\u2013" if s != s else f"{s:+.2f}"
        out.append(f"<tr><td><span{attrs(class_=f'fv-key fv-a fv-a-{sc}')}>{text(r['actor'])}</span></td>"
                   f"<td class=\"fv-n\">{r['n']}</td><td class=\"fv-n\">{text(val)}</td></tr>")
    return ("<table><thead><tr><th scope=\"col\">Actor</th><th scope=\"col\" class=\"fv-n\">mentions</th>"
            f"<th scope=\"col\" class=\"fv-n\">mean tone</th></tr></thead><tbody>{''.join(out)}</tbody></table>")


def _hedges(counts: dict[str, int]) -> str:
    if not counts:
        return "<p class=\"fv-empty\">No hedges found.</p>"
    rows = "".join(f"<tr><td>{text(k.replace('_', ' '))}</td><td class=\"fv-n\">{v}</td></tr>"
                   for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"<table><tbody>{rows}</tbody></table>"


def _findings(marks: list[Mark], text_: str, prefix: str) -> str:
    items = []
    for m in sorted((m for m in marks if m.layer != "block"), key=lambda m: m.index):
        snippet = text_[m.start:m.end]
        if len(snippet) > 80:
            snippet = snippet[:77] + "\u2026"
        items.append(f"<li{attrs(id=f'{prefix}w{m.index}')}>\u201c{text(snippet)}\u201d \u2014 {text(m.why)}</li>")
    if not items:
        return ""
    return (f"<details class=\"fv-findings\"><summary>Every highlight and why it was marked ({len(items)})"
            f"</summary><ol>{''.join(items)}</ol></details>")


# -- public ----------------------------------------------------------------------------------

def _article_parts(analysis, doc_id: str, prefix: str) -> tuple[str, list[Mark], dict[str, Any]]:
    try:
        body = analysis.text(doc_id)
    except KeyError:
        known = list(analysis.texts.doc_id.astype(str)) if len(analysis.texts) else []
        err = analysis.errors[analysis.errors.doc_id == doc_id] if len(analysis.errors) else analysis.errors
        if len(err):
            r = err.iloc[0]
            raise FramingError("E401", f"article {doc_id!r} could not be analysed: [{r.code}] {r.reason}") from None
        hint = ", ".join(repr(k) for k in known[:8]) + (" ..." if len(known) > 8 else "")
        raise FramingError("E400", f"no article {doc_id!r} in this analysis; known ids: {hint or 'none'}") from None
    tables = {t: getattr(analysis, t) for t in ("attributions", "hedges", "mentions", "boilerplate")}
    marks = collect_marks(body, tables, doc_id, blocks=split_blocks(body))
    row = nb.article_meta(analysis.articles, doc_id)
    return body, marks, row


def _column_header(row: dict[str, Any], doc_id: str) -> str:
    """Comparison column: the outlet as heading (the headline is the first line of the text below)."""
    date = plain(row.get("date"))
    return (f"<header><h2>{text(plain(row.get('outlet')) or doc_id)}</h2>"
            f"<p class=\"fv-source\">{text(' · '.join(x for x in (date, 'id ' + doc_id) if x))}</p></header>")


def _header(row: dict[str, Any], doc_id: str, level: int = 1, show_title: bool = True) -> str:
    kicker = " \u00b7 ".join(x for x in (plain(row.get("outlet")), plain(row.get("date"))) if x)
    title = plain(row.get("title")) or doc_id
    where = plain(row.get("url")) or Path(plain(row.get("source"))).name
    if where and Path(where).stem in doc_id:
        where = ""  # the file name adds nothing to the id
    src = " \u00b7 ".join(x for x in (f"id {doc_id}", where) if x)
    kick = '<p class="fv-kicker">' + text(kicker) + "</p>" if kicker else ""
    head = f"<h{level}>{text(title)}</h{level}>" if show_title else ""
    return f"<header>{kick}{head}<p class=\"fv-source\">{text(src)}</p></header>"


def _side(analysis, doc_id: str, row: dict[str, Any]) -> str:
    return ("<h2>The numbers</h2>" + _numbers(row)
            + "<h2>Who is quoted, and how</h2>" + _speakers(nb.speakers(analysis.attributions, doc_id))
            + "<h2>Hedges by kind</h2>" + _hedges(nb.hedge_counts(analysis.hedges, doc_id))
            + "<h2>Actors and tone</h2>" + _actors(nb.actors_of(analysis.mentions, doc_id)))


def render_article(analysis: Analysis, doc_id: str, *, legend: bool = True, panel: bool = True,
                   findings: bool = True, hide: Sequence[str] | str | None = None) -> ArticleView:
    """Annotated view of one article: highlights, legend, numbers panel and reasons.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`framing.analyze` (or :meth:`Analysis.load`).
    doc_id : str
        The article to show.
    legend, panel, findings : bool
        Include the legend (with show/hide switches), the side panel of numbers, and the
        list of every highlight with its reason.
    hide : list of str, optional
        Kinds of highlight switched off when the page opens (the reader can switch them on):
        any of ``cues, speakers, quotes, hedges, actors, boilerplate``. E.g. a class can predict
        first and then reveal one kind at a time. Needs ``legend=True``.

    Returns
    -------
    ArticleView
        ``.html`` is a self-contained page; in Jupyter the object displays inline.
    """
    doc_id = str(doc_id)
    hidden = _hidden(hide)
    prefix = _prefix(doc_id)
    body, marks, row = _article_parts(analysis, doc_id, prefix)
    title_ = plain(row.get("title")).strip()
    first = next(iter(split_blocks(body)), None)
    # the headline is the first line of the text: show it once, there (marked up as the page's heading)
    head = _header(row, doc_id, show_title=not (title_ and first and body[first[0]:first[1]].strip() == title_))
    art = (f"<article class=\"fv-text\"{attrs(aria_label='Article text with findings marked', data_doc_id=doc_id)}>"
           f"{article_html(body, marks, prefix, headline=plain(row.get('title')) or None)}</article>")
    leg = _legend(marks, prefix, hidden) if legend else ""
    panel_html = f"<div class=\"fv-panel\">{_side(analysis, doc_id, row)}</div>" if panel else ""
    side = f"<aside class=\"fv-side\"{attrs(aria_label='Legend and numbers')}>{leg}{panel_html}</aside>"
    html_ = (f"<div class=\"fv\">{head}<div class=\"fv-grid\">{side}{art}</div>"
             f"{_findings(marks, body, prefix) if findings else ''}</div>")
    title = plain(row.get("title")) or doc_id
    return ArticleView(html_, f"{title} \u2014 framing view", [doc_id])


_COLS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]


def render_comparison(analysis: Analysis, doc_ids: Sequence[str], *, texts: bool = True,
                      hide: Sequence[str] | str | None = None) -> ArticleView:
    """Two or more articles side by side (e.g. one story from several outlets), with their numbers.

    A table of the headline numbers comes first (one column per article), then the
    annotated texts in columns (one column on a phone).
    """
    if isinstance(doc_ids, str) or len(doc_ids) < 2:
        raise FramingError("E402", "render_comparison needs a list of at least two doc_ids")
    hidden = _hidden(hide)
    ids = [str(d) for d in doc_ids]
    if len(set(ids)) != len(ids):
        raise FramingError("E403", "render_comparison: the same doc_id is listed twice")
    prefixes = [_prefix(f"{i}\0{d}") for i, d in enumerate(ids)]
    parts = [_article_parts(analysis, d, p) for d, p in zip(ids, prefixes)]
    heads = "".join(f"<th scope=\"col\"{attrs(style=f'border-top:6px solid {_COLS[i % len(_COLS)]}')}>"
                    f"{text(plain(row.get('outlet')) or d)}<br><small>{text(plain(row.get('title')) or d)}</small></th>"
                    for i, (d, (_, _, row)) in enumerate(zip(ids, parts)))
    numbers = [nb.article_numbers(row) for _, _, row in parts]
    trs = "".join(f"<tr><th scope=\"row\">{text(numbers[0][k].label)}</th>"
                  + "".join(f"<td class=\"fv-n\">{text(ns[k].value)}</td>" for ns in numbers) + "</tr>"
                  for k in range(len(numbers[0])))
    spk = "<tr><th scope=\"row\">Most quoted</th>" + "".join(
        f"<td>{text(', '.join(s['speaker'] for s in nb.speakers(analysis.attributions, d)[:3]) or chr(8211))}</td>"
        for d in ids) + "</tr>"
    table = (f"<div class=\"fv-cmp-table\"><table><thead><tr><th scope=\"col\">Number</th>{heads}</tr></thead>"
             f"<tbody>{trs}{spk}</tbody></table></div>")
    cols = []
    all_marks: list[Mark] = []
    for i, (d, (body, marks, row)) in enumerate(zip(ids, parts)):
        all_marks.extend(marks)
        art = (f"<article class=\"fv-text\"{attrs(aria_label=f'Article {i + 1} text', data_doc_id=d)}>"
               f"{article_html(body, marks, prefixes[i], headline=plain(row.get('title')) or None)}</article>")
        cols.append(f"<section{attrs(style=f'--col:{_COLS[i % len(_COLS)]}')}>{_column_header(row, d)}"
                    f"{art if texts else ''}{_findings(marks, body, prefixes[i])}</section>")
    titles = [plain(r.get("outlet")) or d for d, (_, _, r) in zip(ids, parts)]
    leg = _legend(all_marks, _prefix("cmp" + "\0".join(ids)), hidden)
    leg = leg.replace('class="fv-legend"', 'class="fv-legend fv-cmp-legend"', 1)
    html_ = (f"<div class=\"fv\"><h1>{text(' vs '.join(titles))}</h1>{leg}{table}"
             f"<div class=\"fv-cmp\"{attrs(style=f'--cols:{min(len(ids), 3)}')}>{''.join(cols)}</div></div>")
    return ArticleView(html_, "Comparison: " + " vs ".join(titles), ids)


def events(text_: str, marks: list[Mark]) -> list[Event]:
    """The nesting events (for tests and other renderers)."""
    return list(nest(text_, marks))
