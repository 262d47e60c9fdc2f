"""NewsMTSC evaluation: sentiment toward a target mention, against crowd labels.

Every target of the ``rw`` (real-world distribution) and ``mt`` (sentences with two or more
targets) dev files is scored with :func:`framing.sentiment_toward`, the model behind
``Analysis.mentions.sentiment``; the metric is macro-F1 over negative / neutral / positive,
the paper's F1_m (Hamborg & Donnay 2021).

Peers, run on the same files in the same call:

* ``vader``: VADER's compound score of the whole sentence (not target-aware), with the
  usual +-0.05 thresholds (Hutto & Gilbert 2014).
* ``tfidf_lr``: TF-IDF word uni+bigrams of the left and of the right context (the target
  masked), logistic regression fitted on ``train.jsonl``.

The headline ``macro_f1_rw`` / ``macro_f1_mt`` are those of the best model installed: with the
optional ``encoder`` extra, the linear model mixed with a head on all-MiniLM-L6-v2 vectors; the
fast linear model (``analyze``'s default) is always reported as well (``*_no_encoder``).
For scale: the paper's fine-tuned RoBERTa-based GRU-TSC reaches about 0.83 F1_m on the
``rw`` test split.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from framing.datasets.newsmtsc import load_newsmtsc
from framing.evaluate.metrics import binary_prf

__all__ = ["evaluate_newsmtsc", "macro_f1"]

CLASSES = (-1, 0, 1)


def macro_f1(y_true: Iterable[int], y_pred: Iterable[int], classes: Sequence[int] = CLASSES) -> float:
    """Unweighted mean of the per-class F1 (one class against the rest)."""
    yt, yp = list(y_true), list(y_pred)
    return sum(binary_prf(yt, yp, positive=c)[2] for c in classes) / len(classes)


def _accuracy(y_true: Iterable[int], y_pred: Iterable[int]) -> float:
    yt, yp = list(y_true), list(y_pred)
    return sum(a == b for a, b in zip(yt, yp)) / len(yt) if yt else 0.0


def _vader_labels(sentences: Sequence[str]) -> list[int]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    cache: dict[str, int] = {}
    out = []
    for s in sentences:
        if s not in cache:
            c = sia.polarity_scores(s)["compound"]
            cache[s] = 1 if c >= 0.05 else (-1 if c <= -0.05 else 0)
        out.append(cache[s])
    return out


def _contexts(df) -> tuple[list[str], list[str]]:
    left = [s[:a] for s, a in zip(df.sentence, df.target_start)]
    right = [s[b:] for s, b in zip(df.sentence, df.target_end)]
    return left, right


def _tfidf_lr(train, tests: list) -> list[list[int]]:
    """Fit TF-IDF (left / right context, target masked) + LR on train; predict each test frame."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    l_tr, r_tr = _contexts(train)
    vl = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    vr = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    X = sp.hstack([vl.fit_transform(l_tr), vr.fit_transform(r_tr)]).tocsr()
    clf = LogisticRegression(C=4.0, max_iter=3000).fit(X, train.label.to_numpy())
    preds = []
    for df in tests:
        left, right = _contexts(df)
        preds.append([int(x) for x in clf.predict(sp.hstack([vl.transform(left), vr.transform(right)]).tocsr())])
    return preds


def evaluate_newsmtsc(path: str | Path, peers: bool = True, model: str = "auto") -> dict[str, Any]:
    """Score the sentiment model and its peers on the NewsMTSC dev files in ``path``.

    Parameters
    ----------
    path : str or Path
        Folder with ``dev_rw.jsonl`` and ``dev_mt.jsonl`` (and ``train.jsonl`` for the
        TF-IDF + LR peer).
    peers : bool
        Also run the VADER and TF-IDF + LR peers.
    model : str
        The model behind the headline metrics, as in :func:`framing.sentiment_toward`:
        ``"auto"`` (default) is the linear model mixed with the optional encoder when the
        ``encoder`` extra is installed, else the linear model alone. The linear model is
        always scored too (``*_no_encoder``), since it is what ``analyze`` uses by default.

    Returns
    -------
    dict
        ``n_rw``, ``n_mt``, ``macro_f1_rw``, ``macro_f1_mt``, ``accuracy_rw``, ``accuracy_mt``,
        ``sentiment_model`` (``"encoder"`` or ``"linear"``), ``macro_f1_rw_no_encoder``,
        ``macro_f1_mt_no_encoder`` and, with peers, ``peer_vader_macro_f1_{rw,mt}`` and
        ``peer_tfidf_lr_macro_f1_{rw,mt}``.
    """
    from framing.encoder import wanted
    from framing.extractors.sentiment import sentiment_toward

    used = "encoder" if wanted(model) else "linear"
    splits = {name: load_newsmtsc(path, name) for name in ("rw", "mt")}
    out: dict[str, Any] = {"sentiment_model": used}
    for name, df in splits.items():
        spans = list(zip(df.target_start, df.target_end))
        linear = sentiment_toward(df.sentence.tolist(), spans, model="linear")
        pred = linear if used == "linear" else sentiment_toward(df.sentence.tolist(), spans, model=used)
        out[f"n_{name}"] = len(df)
        out[f"macro_f1_{name}"] = macro_f1(df.label, pred)
        out[f"accuracy_{name}"] = _accuracy(df.label, pred)
        out[f"macro_f1_{name}_no_encoder"] = macro_f1(df.label, linear)
    if peers:
        for name, df in splits.items():
            out[f"peer_vader_macro_f1_{name}"] = macro_f1(df.label, _vader_labels(df.sentence.tolist()))
        train = load_newsmtsc(path, "train")
        preds = _tfidf_lr(train, list(splits.values()))
        for (name, df), pred in zip(splits.items(), preds):
            out[f"peer_tfidf_lr_macro_f1_{name}"] = macro_f1(df.label, pred)
    return out
