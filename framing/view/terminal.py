"""Plain-text rendering for the terminal: the article with findings marked inline, then its numbers.

Marks: ``[neutral:said]`` / ``[distancing:claimed]`` / ``[emphatic:vowed]`` reporting cues,
``{speaker}``, ``«hedge»``, ``⟦boilerplate kind: ...⟧``. Overlaps nest as in the HTML view.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from framing.view import numbers as nb
from framing.view.escape import plain
from framing.view.marks import nest

if TYPE_CHECKING:
    from framing.analysis import Analysis

__all__ = ["render_terminal", "TERMINAL_LEGEND"]

TERMINAL_LEGEND = ("Marks: [neutral:said] [distancing:claimed] [emphatic:vowed] = reporting cue and its class; "
                   "{Speaker} = who is quoted; \u00abmay\u00bb = hedge; "
                   "\u27e6kind: ...\u27e7 = boilerplate (not news).")


def _open(layer: str, data: dict, label: str, piece: int) -> str:
    if layer == "cue":
        return f"[{data.get('cls', 'neutral')}:"
    if layer == "speaker":
        return "{"
    if layer == "hedge":
        return "\u00ab"
    if layer == "boilerplate":
        return f"\u27e6{label}: " if piece == 0 else "\u27e6"
    return ""


# Control characters (ANSI escape sequences, bare carriage returns, ...) could rewrite the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(s: str) -> str:
    return _CONTROL.sub("\ufffd", s.replace("\r\n", "\n"))


_CLOSE = {"cue": "]", "speaker": "}", "hedge": "\u00bb", "boilerplate": "\u27e7"}


def render_terminal(analysis: Analysis, doc_id: str) -> str:
    """The text of ``doc_id`` with inline marks, a legend, and a short numbers panel."""
    from framing.view.html import _article_parts

    doc_id = str(doc_id)
    body, marks, row = _article_parts(analysis, doc_id, "")
    marks = [m for m in marks if m.layer in _CLOSE]
    out: list[str] = []
    for ev in nest(body, marks):
        if ev.kind == "text":
            out.append(body[ev.start:ev.end])
        elif ev.mark is not None:
            m = ev.mark
            out.append(_open(m.layer, m.data, m.label, ev.piece) if ev.kind == "open" else _CLOSE[m.layer])
    title = plain(row.get("title")) or doc_id
    meta = " \u00b7 ".join(x for x in (plain(row.get("outlet")), plain(row.get("date")), f"id {doc_id}") if x)
    rule = "\u2500" * 72
    lines = [title, meta, TERMINAL_LEGEND, rule, "".join(out).strip("\n"), rule, "Numbers"]
    width = max(len(n.label) for n in nb.article_numbers(row))
    lines += [f"  {n.label:<{width}}  {n.value}" for n in nb.article_numbers(row)]
    spk = nb.speakers(analysis.attributions, doc_id)
    lines.append("Who is quoted, and how")
    if not spk:
        lines.append("  (no reported statements found)")
    for s in spk[:10]:
        verbs = "; ".join(f"{cls}: {', '.join(sorted(set(v)))}" for cls, v in sorted(s["cues"].items()))
        lines.append(f"  {s['speaker']} ({s['source_type']}): {s['n']}x, {s['direct']} in own words \u2014 {verbs}")
    if len(spk) > 10:
        lines.append(f"  ... and {len(spk) - 10} more")
    hedges = nb.hedge_counts(analysis.hedges, doc_id)
    if hedges:
        lines.append("Hedges: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in hedges.items()))
    actors = nb.actors_of(analysis.mentions, doc_id)
    if actors:
        tone = ["n/a" if a["mean_sentiment"] != a["mean_sentiment"] else format(a["mean_sentiment"], "+.2f")
                for a in actors[:8]]
        lines.append("Actors (mentions, mean tone): " + ", ".join(
            f"{a['actor']} {a['n']} ({t})" for a, t in zip(actors, tone)))
    return _safe("\n".join(lines))
