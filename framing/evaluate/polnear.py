"""Evaluate the attribution extractor on PolNeAR (Newell et al., LREC 2018).

Scoring (close to how quotation extractors such as citron are scored):

* **Cue** — a predicted relation matches a gold relation when their cue spans overlap
  (one-to-one greedy matching by shared length, :func:`framing.evaluate.metrics.greedy_match`).
  ``cue_p`` = matched / predicted relations, ``cue_r`` = matched / gold relations.
* **Source** and **content** — scored *within matched relations*: a matched pair counts for the
  source when both have a source and the spans overlap (any piece of a discontinuous gold span).
  Precision is over predictions that have a source (content), recall over gold relations that have
  one. So a source is only credited when it is attached to the right cue (end-to-end).
* ``*_exact_*`` — the same with exact span equality instead of overlap (cues are then matched
  exactly too; gold discontinuous spans are compared by their outer bounds).
* ``content_char_*`` — character-level P/R/F1 of the union of predicted content spans against the
  union of gold content pieces, summed over the split (relation-independent).

* PolNeAR annotations are *univocal*: every token belongs to at most one attribution, so a
  report nested in another one's content ("Sanders said he didn't think ...") is usually not
  annotated. The extractor keeps nested reports by default; this evaluation runs it with
  ``Options(attribution_univocal=True)``, which drops the nested reports a learned verifier
  (trained on train_sample) judges unannotated (dev cue F1 0.731 -> 0.740). ``flatten=True``
  instead drops every record whose cue lies inside the content of an earlier kept record
  (:func:`flatten_nested`); that rule lowers F1 (rules alone: cue F1 0.685 -> 0.676 when it was
  introduced).

Gold: the first annotator file per article (see :func:`framing.datasets.polnear.load_polnear`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from framing.datasets.polnear import load_polnear
from framing.document import Document
from framing.evaluate.metrics import char_counts, greedy_match, overlaps, prf_totals
from framing.extractors.attribution import extract_attributions
from framing.options import Options

__all__ = ["evaluate_polnear", "predict_polnear", "flatten_nested"]

#: Metrics also reported for the run without the optional encoder (suffix ``_no_encoder``).
NO_ENCODER_METRICS = ("cue_p", "cue_r", "cue_f1", "source_f1", "content_f1", "content_char_f1")


def flatten_nested(records: list[dict]) -> list[dict]:
    """Keep only top-level attributions: drop records whose cue is inside a kept record's content."""
    kept: list[dict] = []
    for r in sorted(records, key=lambda r: r["start"]):
        if any(
            k["content_start"] is not None and k["content_start"] <= r["start"] < k["content_end"] for k in kept[-5:]
        ):
            continue
        kept.append(r)
    return kept


def predict_polnear(articles: Any, options: Options | None = None) -> dict[str, list[dict]]:
    """Run the extractor on every article; returns doc_id -> records (by default with PolNeAR's
    conventions: whole text, univocal)."""
    options = options or Options(body_only=False, attribution_univocal=True)
    out = {}
    for row in articles.itertuples(index=False):
        doc = Document.from_text(row.doc_id, row.text)
        out[row.doc_id] = extract_attributions(doc, options)
    return out


def _any_overlap(span, pieces) -> bool:
    return any(overlaps(span, p) for p in pieces)


def evaluate_polnear(
    path: str | Path,
    split: str = "dev",
    options: Options | None = None,
    return_details: bool = False,
    flatten: bool = False,
    peers: bool = True,
    model: str = "auto",
) -> dict[str, Any] | tuple[dict[str, Any], list[dict]]:
    """Score :func:`extract_attributions` on a PolNeAR split; returns a dict of metrics.

    With ``return_details=True`` returns ``(metrics, details)`` where ``details`` lists matched,
    missed and false relations per document for error study. With ``peers`` (and the optional
    ``baselines`` extra installed) the parser peers are scored on the same split in the same run
    (``peer_textacy_*``, ``peer_spacy_verbs_*``).

    Without ``options``, the evaluation's conventions are used (whole text, univocal) and
    ``model`` picks the cue stage: ``"auto"`` (default) adds the optional encoder head when the
    ``encoder`` extra is installed, ``"encoder"`` requires it, ``"linear"`` leaves it out. The run
    without the encoder (``analyze``'s default) is always scored too: ``cue_f1_no_encoder`` and
    the other ``*_no_encoder`` headline metrics; ``attribution_model`` says which ran.
    """
    articles, gold = load_polnear(path, split)
    if options is None:
        from framing.encoder import wanted

        options = Options(body_only=False, attribution_univocal=True, encoder=wanted(model)).validate()

    def predicted(opts: Options) -> dict[str, list[dict]]:
        preds = predict_polnear(articles, opts)
        return {k: flatten_nested(v) for k, v in preds.items()} if flatten else preds

    scores, details = score_relations(predicted(options), gold)
    metrics: dict[str, Any] = dict(scores)
    metrics["attribution_model"] = "encoder" if options.encoder else "linear"
    plain = score_relations(predicted(replace(options, encoder=False)), gold)[0] if options.encoder else scores
    for key in NO_ENCODER_METRICS:
        metrics[f"{key}_no_encoder"] = plain[key]
    metrics["n_articles"] = len(articles)
    if peers:
        from framing.evaluate.baselines import peer_metrics

        metrics.update(peer_metrics(path, split))
    return (metrics, details) if return_details else metrics


def score_relations(preds: dict[str, list[dict]], gold) -> tuple[dict[str, float], list[dict]]:
    """Cue, source and content P/R/F1 (overlap and exact) and content character P/R/F1.

    Cues are matched one to one, greedily by overlap (or by equality for the exact variants);
    source and content are credited within matched pairs. Returns ``(metrics, details)`` with
    the matched and missed relations per document for error study. Peers are scored by this
    same function (:mod:`framing.evaluate.baselines`).
    """
    counts = {k: [0, 0, 0] for k in ("cue", "source", "content", "cue_exact", "source_exact", "content_exact")}
    char = [0, 0, 0]
    details = []
    for doc_id, g in gold.groupby("doc_id", sort=False):
        p = preds.get(doc_id, [])
        gl = g.to_dict("records")
        p_cue = [(r["start"], r["end"]) for r in p]
        g_cue = [(int(r["cue_start"]), int(r["cue_end"])) for r in gl]
        for exact in (False, True):
            sfx = "_exact" if exact else ""
            if exact:
                pairs = greedy_match(p_cue, g_cue, lambda a, b: a == b)
            else:
                pairs = greedy_match(p_cue, g_cue)
            c = counts["cue" + sfx]
            c[0] += len(pairs)
            c[1] += len(p)
            c[2] += len(gl)
            for role, pk in (
                ("source", ("speaker_start", "speaker_end")),
                ("content", ("content_start", "content_end")),
            ):
                c = counts[role + sfx]
                c[1] += sum(1 for r in p if r[pk[0]] is not None)
                c[2] += sum(1 for r in gl if r[f"{role}_spans"])
                for i, j in pairs:
                    ps = p[i][pk[0]]
                    gp = gl[j][f"{role}_spans"]
                    if ps is None or not gp:
                        continue
                    span = (ps, p[i][pk[1]])
                    if exact:
                        ok = span == (int(gl[j][f"{role}_start"]), int(gl[j][f"{role}_end"]))
                    else:
                        ok = _any_overlap(span, gp)
                    c[0] += ok
            if not exact:
                mp = {i: j for i, j in pairs}
                mg = {j for _, j in pairs}
                details.append(
                    {
                        "doc_id": doc_id,
                        "pred": p,
                        "gold": gl,
                        "pairs": mp,
                        "missed": [gl[j] for j in range(len(gl)) if j not in mg],
                    }
                )
        tp, npred, ngold = char_counts(
            [(r["content_start"], r["content_end"]) for r in p if r["content_start"] is not None],
            [piece for r in gl for piece in r["content_spans"]],
        )
        char[0] += tp
        char[1] += npred
        char[2] += ngold
    metrics: dict[str, float] = {}
    for k, (tp, npred, ngold) in counts.items():
        pp, rr, ff = prf_totals(tp, npred, ngold)
        base, _, ex = k.partition("_")
        name = f"{base}_exact" if ex else base
        metrics[f"{name}_p"], metrics[f"{name}_r"], metrics[f"{name}_f1"] = pp, rr, ff
    metrics["content_char_p"], metrics["content_char_r"], metrics["content_char_f1"] = prf_totals(*char)
    metrics["n"] = len(gold)
    metrics["n_gold"] = len(gold)
    metrics["n_pred"] = sum(len(v) for v in preds.values())
    return metrics, details
