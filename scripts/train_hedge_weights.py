"""Train the encyclopedic-register hedge weighting shipped as ``framing/models/hedge_weights.json``.

Features are those of :func:`framing.extractors.weasel.document_features` (hedge records with the
vague-quantifier supplement, weasel-cue lexicon entries and groups, and the sentence's words,
scaled down). A logistic regression is fitted on the WikiWeasel dev file; the score reported in
the model file is a 5-fold cross-validation in which each fold's weights, word-feature scale
*and* probability cut-off are chosen on the other folds only. The shipped weights are then
fitted on the whole file with the word scale and cut-off that maximise F1 in a 5-fold
cross-validation on it. Deterministic.

Usage::

    .venv/bin/python scripts/train_hedge_weights.py [--data ../shared/data/wikiweasel] [--C 0.3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's framing, not an installed copy

from framing.datasets.wikiweasel import load_wikiweasel, resolve_file  # noqa: E402
from framing.evaluate.metrics import binary_prf  # noqa: E402
from framing.extractors.weasel import (  # noqa: E402
    MIN_WORD_COUNT,
    WORD_SCALES,
    cross_validated_probabilities,
    encode_hashes,
    fit_weights,
    lexicon_versions,
    select_word_scale,
    text_features,
    text_hashes,
)

OUT = ROOT / "framing" / "models" / "hedge_weights.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "wikiweasel"))
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cv-seeds", default="",
                    help="comma-separated fold seeds: also report the nested CV for each (the card's seed table), "
                         "e.g. 0,1,2,3,4; --no-attribution-features compares without the a: features")
    ap.add_argument("--no-attribution-features", action="store_true",
                    help="drop the attribution (a:) features, for the comparison in the card (do not ship)")
    args = ap.parse_args()

    df = load_wikiweasel(args.data)
    texts, labels = df["text"].tolist(), df["label"].tolist()
    feats = text_features(texts)
    if args.no_attribution_features:
        feats = [{k: v for k, v in f.items() if not k.startswith("a:")} for f in feats]
    for seed in [int(x) for x in args.cv_seeds.split(",") if x.strip()]:
        _, seed_preds = cross_validated_probabilities(feats, labels, C=args.C, seed=seed)
        print(f"5-fold CV (nested cut-off), fold seed {seed}: F1 {binary_prf(labels, seed_preds)[2]:.4f}")
    probs, preds = cross_validated_probabilities(feats, labels, C=args.C)
    p, r, f = binary_prf(labels, preds)
    print(f"5-fold CV (nested cut-off): P {p:.4f} R {r:.4f} F1 {f:.4f}")
    word_scale, threshold, _ = select_word_scale(feats, labels, C=args.C)
    weights, intercept = fit_weights(feats, labels, C=args.C, word_scale=word_scale)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    model = {
        "version": "1.2",
        "kind": "logistic regression over hedge-record, weasel-cue, attribution and word presence features "
        "(sentence level)",
        "register": "encyclopedic",
        "trained_on": f"WikiWeasel dev ({resolve_file(args.data).name}, {len(texts)} sentences, "
        f"{sum(labels)} uncertain; CoNLL-2010 Wikipedia, Farkas et al. 2010), code at commit {commit}",
        "hyperparameters": {
            "C": args.C,
            "solver": "lbfgs",
            "features": "binary presence; group counts capped at 3; words scaled by word_scale",
            "word_scale": word_scale,
            "word_scales": list(WORD_SCALES),
            "min_word_count": MIN_WORD_COUNT,
        },
        "cv": {"folds": 5, "uncertain_p": round(p, 4), "uncertain_r": round(r, 4), "uncertain_f1": round(f, 4)},
        "lexicon_versions": lexicon_versions(),
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "weights": {k: round(v, 6) for k, v in sorted(weights.items())},
        "train_hashes": encode_hashes(text_hashes(texts)),
    }
    Path(args.out).write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights, word scale {word_scale}, threshold {threshold}")


if __name__ == "__main__":
    main()
