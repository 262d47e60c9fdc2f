"""The seed page: one real live blog with a line-level hand annotation (``gold.json``).

A gold attribution is met when a predicted one is on the same line with the same
cue (one cue text contains the other, e.g. "claimed" / "has claimed") and either
its speaker span overlaps the gold speaker's occurrence on that line or its
canonical speaker equals the gold canonical speaker. Gold entries marked
``optional`` are neither required nor counted as false hits. Hedges: same line
and overlapping cue occurrence. Boilerplate share: characters of boilerplate
over characters of non-blank lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from framing.document import Document
from framing.errors import FramingError
from framing.evaluate.metrics import prf

__all__ = ["load_seed", "gold_document", "evaluate_seed", "seed_matches"]

SEED_TEXT = "independent-ukraine-live-2024-11.txt"


def load_seed(path: str | Path) -> tuple[str, str, dict[str, Any]]:
    """``(doc_id, text, gold)`` of the seed folder (``gold.json`` names its document)."""
    root = Path(path)
    gold_path = root / "gold.json"
    if not gold_path.is_file():
        raise FramingError("E302", f"seed gold file missing: {gold_path}")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = root / gold.get("document", SEED_TEXT)
    if not text_path.is_file():
        raise FramingError("E302", f"seed document missing: {text_path}")
    return text_path.stem, text_path.read_text(encoding="utf-8"), gold


def gold_document(path: str | Path) -> tuple[Document, dict[str, Any]]:
    """The seed page as a :class:`Document` with the gold boilerplate marked, and the gold.

    Used to score one extractor alone (the pipeline would mark boilerplate with its own extractor):
    whole gold lines and the gold's partial-line fragments become ``doc.boilerplate``.
    """
    doc_id, text, gold = load_seed(path)
    starts = _line_starts(text)
    doc = Document.from_text(doc_id, text)
    bp = gold.get("boilerplate", {})
    for n in bp.get("lines", []):
        end = text.find("\n", starts[n - 1])
        doc.boilerplate.append((starts[n - 1], len(text) if end < 0 else end, "gold"))
    for n, fragment in bp.get("partial", {}).items():
        i = text.index(fragment, starts[int(n) - 1])
        doc.boilerplate.append((i, i + len(fragment), "gold"))
    return doc, gold


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _line_of(starts: list[int], pos: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, pos)


def _occurrences(text: str, starts: list[int], line: int, needle: str) -> list[tuple[int, int]]:
    lo = starts[line - 1]
    hi = starts[line] if line < len(starts) else len(text)
    seg = text[lo:hi].lower()
    n = needle.lower().replace("'", "’") if needle.lower() not in seg else needle.lower()
    return [(lo + m.start(), lo + m.end()) for m in re.finditer(re.escape(n), seg)]


def _norm(s: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(s or "").lower().replace("’", "'")).strip()


def _cue_match(pred: str, gold: str) -> bool:
    p, g = _norm(pred), _norm(gold)
    return bool(p) and bool(g) and (p in g or g in p)


def seed_matches(text: str, gold: dict[str, Any], attributions: list[dict[Any, Any]],
                 hedges: list[dict[Any, Any]]) -> dict[str, Any]:
    """Match predictions to the gold lines; returns counts and the unmatched cases for study."""
    starts = _line_starts(text)
    out: dict[str, Any] = {}

    # attributions
    gold_attr = gold["attributions"]
    used: set[int] = set()
    tp_req, fp, misses, false_hits = 0, 0, [], []
    pred_lines = [(_line_of(starts, int(a["start"])), a) for a in attributions]
    matched_gold: set[int] = set()
    for li, a in pred_lines:
        hit = None
        for gi, g in enumerate(gold_attr):
            if gi in used or g["line"] != li or not _cue_match(a.get("cue", ""), g["cue"]):
                continue
            spk_ok = False
            if a.get("speaker_start") is not None and a.get("speaker_end") is not None:
                for s, e in _occurrences(text, starts, li, g["speaker"]):
                    if s < int(a["speaker_end"]) and int(a["speaker_start"]) < e:
                        spk_ok = True
            if not spk_ok and _norm(a.get("canonical_speaker")) and _norm(a.get("canonical_speaker")) == _norm(
                    g["canonical"]):
                spk_ok = True
            if spk_ok:
                hit = gi
                break
        if hit is None:
            # a cue that matches an optional gold entry on the line is not a false hit
            if any(g["line"] == li and g.get("optional") and _cue_match(a.get("cue", ""), g["cue"])
                   for g in gold_attr):
                continue
            fp += 1
            false_hits.append({"line": li, "cue": a.get("cue"), "speaker": a.get("speaker")})
            continue
        used.add(hit)
        matched_gold.add(hit)
        if not gold_attr[hit].get("optional"):
            tp_req += 1
    n_req = sum(1 for g in gold_attr if not g.get("optional"))
    for gi, g in enumerate(gold_attr):
        if gi not in matched_gold and not g.get("optional"):
            misses.append(g)
    p, r, f = prf(tp_req, fp, n_req - tp_req)
    out.update(attribution_p=p, attribution_r=r, attribution_f1=f, attribution_misses=misses,
               attribution_false_hits=false_hits)

    # hedges
    gold_h = gold["hedges"]
    used_h: set[int] = set()
    tp, fp_h, h_false = 0, 0, []
    for h in hedges:
        li = _line_of(starts, int(h["start"]))
        hit = None
        for gi, g in enumerate(gold_h):
            if gi in used_h or g["line"] != li:
                continue
            if any(s < int(h["end"]) and int(h["start"]) < e for s, e in _occurrences(text, starts, li, g["cue"])):
                hit = gi
                break
        if hit is None:
            fp_h += 1
            h_false.append({"line": li, "cue": h.get("cue"), "category": h.get("category")})
        else:
            used_h.add(hit)
            tp += 1
    p, r, f = prf(tp, fp_h, len(gold_h) - tp)
    out.update(hedge_p=p, hedge_r=r, hedge_f1=f,
               hedge_misses=[g for gi, g in enumerate(gold_h) if gi not in used_h], hedge_false_hits=h_false)
    return out


def evaluate_seed(path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """Metrics on the seed page: attribution and hedge P/R/F1, boilerplate share, expectations met."""
    import framing

    doc_id, text, gold = load_seed(path)
    analysis = framing.analyze([text], **kwargs)
    if analysis.errors.severity.eq("error").any():
        raise FramingError("E303", f"the seed page could not be analysed: {analysis.errors.reason.tolist()}")
    attrs = analysis.attributions.to_dict("records")
    hedges = analysis.hedges.to_dict("records")
    m = seed_matches(text, gold, attrs, hedges)
    art = analysis.articles.iloc[0]
    gold_share = gold.get("boilerplate", {}).get("share")
    body = text.replace("\n", " ")
    glued = body.find("difference.North Korea")
    split_ok = 0.0
    if glued >= 0:
        cut = glued + len("difference.")
        bp = analysis.boilerplate
        in_bp = [(int(s), int(e)) for s, e in zip(bp.start, bp.end)]
        appeal_marked = any(s <= cut - 2 < e for s, e in in_bp)
        body_free = not any(s <= cut + 2 < e for s, e in in_bp)
        split_ok = float(appeal_marked and body_free)
    counts = analysis.mentions.groupby("actor").size().sort_values(ascending=False)
    top3 = list(counts.index[:3])
    sent = analysis.mentions.groupby("actor").sentiment.mean()
    metrics = {
        "n": 1,
        "attribution_p": m["attribution_p"], "attribution_r": m["attribution_r"], "attribution_f1": m["attribution_f1"],
        "hedge_p": m["hedge_p"], "hedge_r": m["hedge_r"], "hedge_f1": m["hedge_f1"],
        "boilerplate_share": float(art.boilerplate_share),
        "boilerplate_share_abs_error": abs(float(art.boilerplate_share) - float(gold_share or 0.150)),
        "glued_sentence_split": split_ok,
        "actor_ranking_ok": float(top3 == ["Russia", "Ukraine", "North Korea"]),
        "russia_below_south_korea_sentiment": float(
            "Russia" in sent and "South Korea" in sent and sent["Russia"] < sent["South Korea"]),
    }
    return metrics
