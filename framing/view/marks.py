"""What to highlight in one article, and how overlapping highlights nest.

:func:`collect_marks` turns the rows of an :class:`~framing.analysis.Analysis`
for one article into :class:`Mark` s (one per highlighted span, with the reason
it was marked). :func:`nest` cuts the text at every mark boundary and returns a
flat stream of open / text / close events that is always well nested: a mark
that crosses the edge of an enclosing one is split into pieces, so no text is
lost, duplicated or reordered, and every piece keeps the exact offsets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from framing.view.escape import plain

__all__ = ["Mark", "collect_marks", "nest", "LAYERS", "CUE_CLASSES", "HEDGE_GROUPS", "sentiment_class"]

# Outer to inner: a block contains boilerplate, quotes contain speakers and cues, ...
LAYERS = ("block", "boilerplate", "quote", "speaker", "mention", "hedge", "cue")
_DEPTH = {name: i for i, name in enumerate(LAYERS)}

CUE_CLASSES = {
    "neutral": ("neutral reporting verb", "e.g. said, told, according to"),
    "distancing": ("distancing reporting verb", "e.g. claimed, alleged, insisted"),
    "emphatic": ("emphatic reporting verb", "e.g. vowed, warned, slammed"),
}

# Hedge categories (architecture.md) grouped into four display groups.
HEDGE_GROUPS = {
    "distancing": ("distancing_verb", "distancing_noun", "distancing_adj", "distancing_adverb", "distancing_frame"),
    "uncertainty": ("uncertainty",),
    "unconfirmed": ("non_confirmation", "unverified"),
    "unnamed": ("unnamed_attribution",),
}
_HEDGE_GROUP_OF = {c: g for g, cats in HEDGE_GROUPS.items() for c in cats}

_SOURCE_TYPES = {"named_person": "named person", "named_org": "named organisation", "unnamed": "unnamed source",
                 "pronoun_unresolved": "unresolved pronoun"}


@dataclass
class Mark:
    """One highlighted span ``text[start:end]``.

    ``layer`` is one of :data:`LAYERS`; ``css`` the classes that style it; ``why`` the
    plain-language reason it was marked (shown on hover and keyboard focus).
    """

    start: int
    end: int
    layer: str
    css: str
    why: str = ""
    label: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    index: int = -1  # the mark's number, unique within an article (set by collect_marks)

    @property
    def key(self) -> tuple[int, int, int, int]:
        """Outer-first order: earlier start, then longer span, then outer layer."""
        return (self.start, -self.end, _DEPTH[self.layer], self.index)


def _int(v: Any) -> int | None:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return int(v)


def _words(value: Any) -> str:
    return plain(value, "?").replace("_", " ")


def sentiment_class(value: Any) -> str:
    """``neg`` / ``neu`` / ``pos`` for a sentiment label (-1/0/1) or score."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "neu"
    if v != v:  # NaN
        return "neu"
    return "neg" if v < 0 else "pos" if v > 0 else "neu"


def _rows(df: pd.DataFrame | None, doc_id: str) -> list[dict[str, Any]]:
    if df is None or df.empty or "doc_id" not in df:
        return []
    return df[df.doc_id == doc_id].to_dict("records")


def _span(r: dict[str, Any], start: str, end: str, n: int) -> tuple[int, int] | None:
    """``(start, end)`` of a row when both offsets are present and fit a text of length ``n``."""
    s, e = _int(r.get(start)), _int(r.get(end))
    if s is None or e is None or not 0 <= s < e <= n:
        return None
    return s, e


def collect_marks(text: str, tables: dict[str, pd.DataFrame], doc_id: str,
                  blocks: list[tuple[int, int]] | None = None) -> list[Mark]:
    """All marks of one article, from the ``attributions``, ``hedges``, ``mentions`` and ``boilerplate`` tables.

    Rows whose offsets do not fit the text are skipped (they cannot be shown faithfully).
    """
    n = len(text)
    marks: list[Mark] = []
    for s, e in blocks or []:
        marks.append(Mark(s, e, "block", "fv-blk"))
    for r in _rows(tables.get("boilerplate"), doc_id):
        sp = _span(r, "start", "end", n)
        if sp is None:
            continue
        s, e = sp
        kind = _words(r.get("kind"))
        marks.append(Mark(s, e, "boilerplate", "fv-m fv-bp", label=kind,
                          why=f"Not journalism: {kind}. Rule: {plain(r.get('rule'), 'unknown')}.",
                          data={"kind": plain(r.get("kind"))}))
    for r in _rows(tables.get("attributions"), doc_id):
        cue_span = _span(r, "start", "end", n)
        cls = plain(r.get("cue_class"), "neutral")
        cls = cls if cls in CUE_CLASSES else "neutral"
        speaker = plain(r.get("speaker"), "")
        canon = plain(r.get("canonical_speaker"), "") or speaker or "unknown speaker"
        stype = _SOURCE_TYPES.get(plain(r.get("source_type")), _words(r.get("source_type")))
        cue = plain(r.get("cue"), text[cue_span[0]:cue_span[1]] if cue_span else "")
        lemma = plain(r.get("cue_lemma"), cue)
        kind = _words(r.get("kind"))
        if cue_span:
            marks.append(Mark(*cue_span, "cue", f"fv-m fv-cue fv-cue-{cls}",
                              why=(f"Reporting cue \u201c{cue}\u201d: {CUE_CLASSES[cls][0]} (lexicon entry "
                                   f"\u201c{lemma}\u201d). Speaker: {canon} ({stype}); {kind} quotation. "
                                   f"Rule: {plain(r.get('rule'), 'unknown')}."),
                              data={"cls": cls, "cue": cue}))
        spk_span = _span(r, "speaker_start", "speaker_end", n)
        if spk_span:
            marks.append(Mark(*spk_span, "speaker", "fv-m fv-spk",
                              why=f"Speaker of \u201c{cue}\u201d: {canon} ({stype}).",
                              data={"speaker": canon}))
        q_span = _span(r, "quote_start", "quote_end", n)
        if q_span:
            marks.append(Mark(*q_span, "quote", "fv-m fv-q",
                              why=f"Quoted words of {canon}, introduced by \u201c{cue}\u201d ({kind} quotation)."))
    for r in _rows(tables.get("hedges"), doc_id):
        sp = _span(r, "start", "end", n)
        if sp is None:
            continue
        s, e = sp
        cat = plain(r.get("category"), "uncertainty")
        group = _HEDGE_GROUP_OF.get(cat, "uncertainty")
        marks.append(Mark(s, e, "hedge", f"fv-m fv-h fv-h-{group}",
                          why=(f"Hedge \u201c{plain(r.get('cue'), text[s:e])}\u201d: {_words(cat)}. "
                               f"Rule: {plain(r.get('rule'), 'unknown')}."),
                          data={"group": group, "category": cat}))
    for r in _rows(tables.get("mentions"), doc_id):
        sp = _span(r, "start", "end", n)
        if sp is None:
            continue
        s, e = sp
        label = r.get("sentiment_label")
        score = r.get("sentiment")
        sc = sentiment_class(label if plain(label) != "" else score)
        word = {"neg": "negative", "neu": "neutral", "pos": "positive"}[sc]
        try:
            score_txt = f"{float(score):+.2f}"  # type: ignore[arg-type]
        except (TypeError, ValueError):
            score_txt = "n/a"
        if score_txt in ("+nan", "-nan"):
            score_txt = "n/a"
        marks.append(Mark(s, e, "mention", f"fv-m fv-a fv-a-{sc}",
                          why=(f"Actor {plain(r.get('actor'), '?')} (alias \u201c{plain(r.get('alias'), text[s:e])}"
                               f"\u201d); sentiment of the surrounding words: {score_txt} ({word})."),
                          data={"actor": plain(r.get("actor")), "sent": sc}))
    marks = _merge_same_span(marks)
    for i, m in enumerate(sorted(marks, key=lambda m: (m.start, -m.end, _DEPTH[m.layer]))):
        m.index = i
    return marks


def _merge_same_span(marks: list[Mark]) -> list[Mark]:
    """One mark per (layer, start, end): e.g. a speaker of two cues, or a line that is boilerplate by two rules.

    The reasons are joined, so nothing is lost; the first mark's style and label are kept.
    """
    out: dict[tuple[str, int, int], Mark] = {}
    for m in marks:
        key = (m.layer, m.start, m.end)
        if key not in out:
            out[key] = m
        elif m.why and m.why not in out[key].why:
            out[key].why = f"{out[key].why} Also: {m.why}"
    return list(out.values())


@dataclass
class Event:
    """``kind`` is ``open`` / ``close`` (with ``mark`` and ``piece``) or ``text`` (with ``start, end``)."""

    kind: str
    mark: Mark | None = None
    piece: int = 0
    start: int = 0
    end: int = 0


def nest(text: str, marks: list[Mark]) -> Iterator[Event]:
    """Well-nested events covering ``text`` exactly once, in order.

    The text is cut at every mark boundary; for each segment the marks that cover it are
    opened outer-first (by :attr:`Mark.key`). A mark is closed and re-opened (as a new
    ``piece``) only when an overlapping mark forces it, so nested marks stay whole.
    """
    n = len(text)
    bounds = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    stack: list[Mark] = []
    pieces: dict[int, int] = {}
    for a, b in zip(bounds, bounds[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        want = sorted(active, key=lambda m: m.key)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
            keep += 1
        while len(stack) > keep:
            yield Event("close", stack.pop())
        for m in want[keep:]:
            piece = pieces.get(m.index, 0)
            pieces[m.index] = piece + 1
            stack.append(m)
            yield Event("open", m, piece)
        yield Event("text", start=a, end=b)
    while stack:
        yield Event("close", stack.pop())
