"""The seed page: attribution recall and precision against its hand annotation (gold.json).

A gold case is met when the extractor finds, on the same line, a cue containing the gold cue's
head word with an overlapping speaker span or the same canonical speaker; optional gold
entries are neither required nor counted as false. Hits on non-gold lines count as false.

The seed's boilerplate lines are marked from gold.json (the pipeline would do this with the
boilerplate extractor), so this test measures attribution alone.
"""

from __future__ import annotations

import bisect
import json

from framing.document import Document
from framing.extractors.attribution import extract_attributions
from tests.conftest import need_data


def _score():
    root = need_data("seed")
    text = (root / "independent-ukraine-live-2024-11.txt").read_text(encoding="utf-8")
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    doc = Document.from_text("seed", text)
    bp = gold["boilerplate"]
    doc.boilerplate = [(starts[n - 1], starts[n - 1] + len(lines[n - 1]), "gold") for n in bp["lines"]]
    for n, frag in bp.get("partial", {}).items():
        i = text.index(frag, starts[int(n) - 1])
        doc.boilerplate.append((i, i + len(frag), "gold"))
    recs = extract_attributions(doc)

    def line_of(p: int) -> int:
        return bisect.bisect_right(starts, p)

    used: set[int] = set()
    tp, misses = 0, []
    for g in gold["attributions"]:
        head = g["cue"].lower().split()[-1]
        hit = None
        for i, r in enumerate(recs):
            if i in used or line_of(r["start"]) != g["line"] or head not in r["cue"].lower():
                continue
            sp = r["speaker"] or ""
            if (sp and (g["speaker"] in sp or sp in g["speaker"])) or r["canonical_speaker"] == g["canonical"]:
                hit = i
                break
        if hit is not None:
            used.add(hit)
            tp += not g.get("optional")
        elif not g.get("optional"):
            misses.append((g["line"], g["cue"], g["speaker"]))
    n_req = sum(1 for g in gold["attributions"] if not g.get("optional"))
    false = [(line_of(r["start"]), r["cue"], r["speaker"]) for i, r in enumerate(recs) if i not in used]
    return tp, n_req, misses, false, recs, text


def test_seed_attribution_recall_and_precision():
    tp, n_req, misses, false, _, _ = _score()
    recall = tp / n_req
    precision = tp / (tp + len(false)) if tp + len(false) else 0.0
    assert recall >= 0.8, f"recall {recall:.3f}; misses: {misses}"
    assert precision >= 0.8, f"precision {precision:.3f}; false hits: {false}"


def test_seed_canonical_speakers_and_kinds():
    _, _, _, _, recs, text = _score()
    by_cue = {
        (text[r["speaker_start"] : r["speaker_end"]] if r["speaker_start"] is not None else None, r["cue"]): r
        for r in recs
    }
    assert by_cue[("Mr Cho", "told")]["canonical_speaker"] == "Cho Tae-yul"
    assert by_cue[("the office", "said")]["canonical_speaker"] == "prosecutor general's office"
    assert by_cue[("Mr Lavrov", "acknowledged")]["canonical_speaker"] == "Sergei Lavrov"
    assert by_cue[("Police", "said")]["source_type"] == "unnamed"
    claimed = by_cue[("Russia", "has claimed")]
    assert claimed["cue_class"] == "distancing" and claimed["source_type"] == "named_org"
    alleged = by_cue[("she", "alleged")]
    assert alleged["canonical_speaker"] == "Maria Zakharova" and alleged["kind"] == "direct"
