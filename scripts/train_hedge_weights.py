"""Train the encyclopedic-register hedge weighting shipped as ``framing/models/hedge_weights.json``.

Features are those of :func:`framing.extractors.weasel.sentence_features` (hedge records with the
vague-quantifier supplement, weasel-cue lexicon entries and groups). A logistic regression is
fitted on the WikiWeasel dev file; the score reported in the model file is a 5-fold
cross-validation in which each fold's weights *and* probability cut-off are chosen on the
other folds only. The shipped weights are then fitted on the whole file and the shipped
cut-off is the one that maximises F1 on the out-of-fold probabilities. Deterministic.

Usage::

    .venv/bin/python scripts/train_hedge_weights.py [--data ../shared/data/wikiweasel] [--C 0.3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from framing.datasets.wikiweasel import load_wikiweasel, resolve_file
from framing.evaluate.metrics import binary_prf
from framing.extractors.weasel import (
    _best_threshold,
    cross_validated_probabilities,
    encode_hashes,
    fit_weights,
    lexicon_versions,
    text_features,
    text_hashes,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "framing" / "models" / "hedge_weights.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "wikiweasel"))
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()

    df = load_wikiweasel(args.data)
    texts, labels = df["text"].tolist(), df["label"].tolist()
    feats = text_features(texts)
    probs, preds = cross_validated_probabilities(feats, labels, C=args.C)
    p, r, f = binary_prf(labels, preds)
    print(f"5-fold CV (nested cut-off): P {p:.4f} R {r:.4f} F1 {f:.4f}")
    threshold = _best_threshold(probs, labels)
    weights, intercept = fit_weights(feats, labels, C=args.C)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    model = {
        "version": "1.0",
        "kind": "logistic regression over hedge-record and weasel-cue presence features (sentence level)",
        "register": "encyclopedic",
        "trained_on": f"WikiWeasel dev ({resolve_file(args.data).name}, {len(texts)} sentences, "
        f"{sum(labels)} uncertain; CoNLL-2010 Wikipedia, Farkas et al. 2010), code at commit {commit}",
        "hyperparameters": {"C": args.C, "solver": "lbfgs", "features": "binary presence; group counts capped at 3"},
        "cv": {"folds": 5, "uncertain_p": round(p, 4), "uncertain_r": round(r, 4), "uncertain_f1": round(f, 4)},
        "lexicon_versions": lexicon_versions(),
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "weights": {k: round(v, 6) for k, v in sorted(weights.items())},
        "train_hashes": encode_hashes(text_hashes(texts)),
    }
    Path(args.out).write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights, threshold {threshold}")


if __name__ == "__main__":
    main()
