"""Train the target-dependent sentiment model shipped as ``framing/models/sentiment.json``.

Features are those of :func:`framing.extractors.sentiment.instance_features` on the NewsMTSC
train split. The model is NB-LR (Wang & Manning 2012, "Baselines and bigrams", the NBSVM idea
with a logistic loss): for each class, one-vs-rest logistic regression on the features scaled
by their naive-Bayes log-count ratio. The three one-vs-rest scores are calibrated into
class log-probabilities by a small multinomial logistic regression fitted on out-of-fold
scores (5 folds grouped by sentence), per-class offsets are tuned for macro-F1 on the same
out-of-fold predictions, and everything is folded into one linear layer (feature -> three
weights), written as JSON with the VADER word valences. Deterministic: no shuffling, lbfgs,
fixed fold assignment.

Usage::

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/newsmtsc] [--C 0.05] [--alpha 2] [--min-df 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

from framing.datasets.newsmtsc import load_newsmtsc
from framing.extractors.sentiment import _TOKEN, _text_context, instance_features

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "framing" / "models" / "sentiment.json"


def vader_word_lexicon() -> dict[str, float]:
    """VADER valences / 4 of the lexicon entries that are single lower-case word tokens."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        w = parts[0].strip()
        if w and w == w.lower() and re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)*", w) and _TOKEN.fullmatch(w):
            out[w] = round(float(parts[1]) / 4.0, 4)
    return out


def featurise(df, lexicon):
    feats = []
    for sent, s, e in zip(df.sentence, df.target_start, df.target_end):
        ctx = _text_context(sent, s, e)
        feats.append(instance_features(sent, ctx, s, e, lexicon))
    return feats


CLASSES = np.array([-1, 0, 1])


def nb_ratios(X, yes, alpha):
    """Naive-Bayes log-count ratio of every feature column for ``yes`` vs. the other rows."""
    p = alpha + np.asarray(abs(X[yes]).sum(axis=0)).ravel()
    q = alpha + np.asarray(abs(X[~yes]).sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def fit(X, y, C, alpha, numeric):
    """NB-LR, one vs. rest: ``(W, b)`` with ``X @ W + b`` the three decision scores."""
    W, b = np.zeros((X.shape[1], 3)), np.zeros(3)
    for ci, c in enumerate(CLASSES):
        r = nb_ratios(X, y == c, alpha)
        r[numeric] = 1.0  # numeric features (valence sums, flags) are not rescaled
        lr = LogisticRegression(C=C, max_iter=5000, solver="lbfgs").fit(X @ sp.diags(r), y == c)
        W[:, ci] = r * lr.coef_[0]
        b[ci] = lr.intercept_[0]
    return W, b


def calibrate(scores, y):
    """``(A, c)`` mapping one-vs-rest scores to multinomial log-odds ``scores @ A + c``."""
    cal = LogisticRegression(C=100.0, max_iter=5000, solver="lbfgs").fit(scores, y)
    assert list(cal.classes_) == [-1, 0, 1]
    return cal.coef_.T, cal.intercept_


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def tune_offsets(logp, y, classes):
    """Offsets for the neutral and positive classes (negative fixed at 0) maximising macro-F1."""
    best, best_off = -1.0, np.zeros(3)
    grid = np.round(np.arange(-1.0, 1.0001, 0.05), 3)
    for d0 in grid:
        for d2 in grid:
            off = np.array([0.0, d0, d2])
            f = f1_score(y, classes[np.argmax(logp + off, axis=1)], average="macro")
            if f > best + 1e-9:
                best, best_off = f, off
    return best, best_off


def design(train, lexicon, min_df):
    """``(vectorizer, kept columns, X, names, numeric mask)`` of the train frame: features seen in
    fewer than ``min_df`` targets are dropped, numeric features (``#...``) are always kept."""
    dv = DictVectorizer(sort=True)
    X = dv.fit_transform(featurise(train, lexicon)).tocsc()
    names = np.array(dv.get_feature_names_out())
    df = np.asarray((X != 0).sum(axis=0)).ravel()
    keep = np.nonzero((df >= min_df) | np.char.startswith(names.astype(str), "#"))[0]
    X, names = X[:, keep].tocsr(), names[keep]
    return dv, keep, X, names, np.char.startswith(names.astype(str), "#")


def out_of_fold(X, y, groups, C, alpha, numeric):
    """One-vs-rest scores of each target from the model fitted on the other 4 folds (grouped by sentence)."""
    oof = np.zeros((X.shape[0], 3))
    for tr_idx, te_idx in GroupKFold(n_splits=5).split(X, y, groups):
        W, b = fit(X[tr_idx], y[tr_idx], C, alpha, numeric)
        oof[te_idx] = X[te_idx] @ W + b
    return oof


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_data = os.environ.get("FRAMING_DATA", str(ROOT / ".." / "shared" / "data"))
    ap.add_argument("--data", default=str(Path(default_data) / "newsmtsc"))
    ap.add_argument("--C", type=float, default=0.05)
    ap.add_argument("--alpha", type=float, default=2.0, help="naive-Bayes smoothing of the log-count ratios")
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--no-offsets", action="store_true", help="use the plain argmax")
    ap.add_argument("--no-dev", action="store_true", help="do not score the dev files (while tuning)")
    args = ap.parse_args(argv)

    lexicon = vader_word_lexicon()
    train = load_newsmtsc(args.data, "train")
    y = train.label.to_numpy()
    dv, keep, X, names, numeric = design(train, lexicon, args.min_df)
    print(f"train: {X.shape[0]} targets, {X.shape[1]} features (min_df={args.min_df}), C={args.C}, "
          f"alpha={args.alpha}")

    # Out-of-fold one-vs-rest scores, for the calibration and the class offsets.
    oof = out_of_fold(X, y, train.sentence_id.to_numpy(), args.C, args.alpha, numeric)
    A, c = calibrate(oof, y)
    oof_logp = log_softmax(oof @ A + c)
    classes = CLASSES
    cv_raw = f1_score(y, classes[oof_logp.argmax(1)], average="macro")
    cv_tuned, offsets = tune_offsets(oof_logp, y, classes)
    if args.no_offsets:
        offsets = np.zeros(3)
    print(f"5-fold CV macro-F1: {cv_raw:.4f} (argmax), {cv_tuned:.4f} with offsets {offsets.tolist()}")

    W, b = fit(X, y, args.C, args.alpha, numeric)
    coef = W @ A  # (n_features, 3): calibrated log-odds, one linear layer
    intercept = b @ A + c
    model = {
        "version": "2.0",
        "kind": "NB-LR (one-vs-rest, calibrated to multinomial log-odds), target-masked context features",
        "trained_on": "NewsMTSC train.jsonl (Hamborg & Donnay 2021), commit b9d9b79",
        "hyperparameters": {"C": args.C, "alpha": args.alpha, "min_df": args.min_df, "solver": "lbfgs"},
        "cv_macro_f1": {"argmax": round(cv_raw, 4), "with_offsets": round(cv_tuned, 4)},
        "classes": [-1, 0, 1],
        "intercept": [round(float(v), 6) for v in intercept],
        "offsets": [round(float(v), 4) for v in offsets],
        "lexicon_source": "vaderSentiment 3.3.2 vader_lexicon.txt (MIT), single-word entries, valence / 4",
        "lexicon": lexicon,
        "coef": {str(n): [round(float(v), 5) for v in row] for n, row in zip(names, coef)},
    }
    # Drop features whose weights all round to 0 (they change nothing).
    model["coef"] = {k: v for k, v in model["coef"].items() if any(v)}
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=False),
                              encoding="utf-8")
    print(f"wrote {args.out}: {Path(args.out).stat().st_size / 1e6:.2f} MB, {len(model['coef'])} features")

    for split in () if args.no_dev else ("rw", "mt"):
        try:
            dev = load_newsmtsc(args.data, split)
        except Exception as exc:  # dev files are optional for training
            print(f"dev {split}: skipped ({exc})")
            continue
        Xd = dv.transform(featurise(dev, lexicon)).tocsc()[:, keep]
        lp = log_softmax(Xd @ coef + intercept)
        pred = classes[np.argmax(lp + offsets, axis=1)]
        print(f"dev {split}: macro-F1 {f1_score(dev.label, pred, average='macro'):.4f}  "
              f"accuracy {accuracy_score(dev.label, pred):.4f}  (argmax: "
              f"{f1_score(dev.label, classes[lp.argmax(1)], average='macro'):.4f})")


if __name__ == "__main__":
    main()
