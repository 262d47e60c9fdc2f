"""Boilerplate on the seed live blog (The Independent): share, glued appeal, per-line kinds."""

from __future__ import annotations

import json

from framing.document import Document
from framing.extractors.boilerplate import find_boilerplate
from tests.conftest import need_data


def _load():
    root = need_data("seed")
    text = (root / "independent-ukraine-live-2024-11.txt").read_text(encoding="utf-8")
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))["boilerplate"]
    doc = Document.from_text("seed", text, outlet="The Independent")
    recs = find_boilerplate(doc)
    doc.boilerplate = [(r["start"], r["end"], r["kind"]) for r in recs]
    return text, gold, doc, recs


def _line_spans(text: str) -> dict[int, tuple[int, int]]:
    out, pos = {}, 0
    for n, line in enumerate(text.split("\n"), start=1):
        out[n] = (pos, pos + len(line))
        pos += len(line) + 1
    return out


def test_seed_share_in_range():
    _, gold, doc, _ = _load()
    assert 0.13 <= doc.boilerplate_share <= 0.17, doc.boilerplate_share


def test_seed_glued_appeal_split():
    text, _, doc, recs = _load()
    i = text.index("Your support makes all the difference.North Korea")
    appeal_end = i + len("Your support makes all the difference.")
    assert any(r["start"] == i and r["end"] == appeal_end and r["kind"] == "donation_appeal" for r in recs)
    north = text.index("North Korea has vowed", i)
    sent = next(s for s in doc.sentences if s[0] == north)
    assert sent in doc.body_sentences()


def test_seed_line_level_precision_recall_and_kinds(capsys):
    text, gold, doc, recs = _load()
    lines = _line_spans(text)
    gold_lines = set(gold["lines"])
    pred_lines = {n for n, (s, e) in lines.items() if e > s and doc.is_boilerplate(s, e)}
    tp = len(pred_lines & gold_lines)
    precision = tp / len(pred_lines) if pred_lines else 0.0
    recall = tp / len(gold_lines)
    with capsys.disabled():
        print(f"\nseed boilerplate lines: P={precision:.3f} R={recall:.3f} "
              f"(pred {len(pred_lines)}, gold {len(gold_lines)})")
    assert precision >= 0.9 and recall >= 0.9
    gold_kind = {n: k for k, ns in gold["kinds"].items() for n in ns}
    agree = 0
    for n in gold_lines:
        s, e = lines[n]
        kinds = {r["kind"] for r in recs if r["start"] < e and s < r["end"]}
        agree += gold_kind.get(n) in kinds
    assert agree / len(gold_lines) >= 0.85, agree
