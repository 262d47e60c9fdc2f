"""WikiWeasel evaluation: does the hedge extractor flag the sentences annotators found uncertain?

WikiWeasel is encyclopedic text, where the uncertainty annotators mark is mostly the *weasel*
(vague quantifiers, generalisations, puffery, unsupported attributions). Three configurations
of the hedge extractor are scored:

* ``uncertain_weighted_*`` (the encyclopedic register, recommended for this kind of text): the
  learned weighting of :mod:`framing.extractors.weasel` (hedge records with the vague-quantifier
  supplement plus weasel cues, logistic weights shipped in ``framing/models/hedge_weights.json``).
  When the evaluated file is the one the weights were fitted on (at least half of its sentences
  are in the training set, ``train_overlap``), the score is a 5-fold cross-validation that refits
  weights and cut-off on the other folds (``uncertain_weighted_cv`` = 1); on any other file the
  shipped weights are applied as they are (``uncertain_weighted_cv`` = 0).
* ``uncertain_news_*`` (the news register, the extractor's default): a sentence is uncertain when
  the weights of its cues (``weight`` column of ``hedges.tsv``) add up to at least ``threshold``.
* ``uncertain_vague_*``: the same rule with the opt-in vague-quantifier supplement.

``uncertain_p/r/f1`` repeat the configuration of ``register`` (``"encyclopedic"`` by default for
this dataset; ``"news"`` selects the default lexicon rule).

Peers, run on the same file in the same call:

* ``keywords``: a sentence is uncertain when it contains one of a small fixed list of classic
  weasel words (after the examples in Wikipedia's Manual of Style, "Unsupported attributions").
* ``tfidf_lr``: TF-IDF word uni+bigrams + logistic regression, 5-fold stratified
  cross-validated predictions on the evaluated file itself (an in-domain supervised peer).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from framing.datasets.wikiweasel import load_wikiweasel
from framing.document import Document
from framing.errors import FramingError
from framing.evaluate.metrics import binary_prf
from framing.extractors.hedging import VAGUE_QUANTIFIERS_TSV, extract_hedges, hedge_weights
from framing.extractors.weasel import cross_validated_probabilities, load_hedge_model, text_features, text_hashes
from framing.options import Options

__all__ = ["evaluate_wikiweasel", "score_sentences", "weighted_predictions", "KEYWORDS", "REGISTERS"]

REGISTERS = ("encyclopedic", "news")

# Classic weasel words, after the examples in Wikipedia's Manual of Style (MOS:WEASEL). Fixed.
KEYWORDS = (
    "some",
    "many",
    "most",
    "often",
    "widely",
    "generally",
    "believed",
    "considered",
    "regarded",
    "thought",
    "arguably",
    "reportedly",
    "allegedly",
    "critics",
    "experts",
    "scholars",
    "probably",
    "possibly",
)
_KEYWORD_RE = re.compile(r"\b(?:" + "|".join(KEYWORDS) + r")\b", re.IGNORECASE)


def score_sentences(texts: list[str], options: Options | None = None) -> list[tuple[float, list[dict]]]:
    """Per sentence: the summed cue weight and the cue records the extractor found."""
    opts = options if options is not None else Options(body_only=False)
    weights = hedge_weights(opts)
    out = []
    for i, text in enumerate(texts):
        doc = Document.from_text(str(i), text)
        recs = extract_hedges(doc, opts)
        out.append((sum(weights.get(r["rule"], 1.0) for r in recs), recs))
    return out


def _tfidf_lr_predictions(texts: list[str], labels: list[int], seed: int = 0) -> list[int]:
    """5-fold stratified cross-validated predictions of TF-IDF + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
        LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced"),
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return [int(x) for x in cross_val_predict(model, texts, labels, cv=folds)]


def weighted_predictions(
    texts: list[str], labels: list[int] | None = None, model_path: str | Path | None = None
) -> tuple[list[int], bool, float]:
    """Predictions of the learned weighting: ``(predictions, cross_validated, train_overlap)``.

    With ``labels`` given and at least half of ``texts`` among the model's training sentences,
    the predictions are 5-fold cross-validated (weights and cut-off refitted on the other folds,
    the shipped C and word scale), so no sentence is scored by weights fitted on it.
    """
    model = load_hedge_model(model_path)
    feats = text_features(texts)
    seen = model.train_hashes()
    overlap = sum(h in seen for h in text_hashes(texts)) / len(texts) if texts else 0.0
    if labels is not None and overlap >= 0.5 and len(set(labels)) == 2:
        hyper = model.meta.get("hyperparameters", {})
        c = float(hyper.get("C", 0.3))
        scales = tuple(float(x) for x in hyper.get("word_scales", [hyper.get("word_scale", 0.0)]))
        _, preds = cross_validated_probabilities(feats, labels, C=c, word_scales=scales)
        return preds, True, overlap
    return [int(model.probability(f) >= model.threshold) for f in feats], False, overlap


def evaluate_wikiweasel(
    path: str | Path,
    threshold: float = 1.0,
    split: str = "dev",
    peers: bool = True,
    register: str = "encyclopedic",
    model_path: str | Path | None = None,
) -> dict[str, Any]:
    """Score the hedge extractor and its peers on a WikiWeasel file (or its folder).

    Parameters
    ----------
    path : str or Path
        ``wikiweasel_<split>.csv`` or the folder that holds it.
    threshold : float
        News register: summed cue weight at which a sentence counts as uncertain.
    split : str
        Which file to read when ``path`` is a folder.
    peers : bool
        Also run the keyword and TF-IDF + LR peers.
    register : {"encyclopedic", "news"}
        Which configuration the headline ``uncertain_p/r/f1`` reports.
    model_path : str or Path, optional
        Another weights file for the encyclopedic register (default: the shipped one).

    Returns
    -------
    dict
        ``n``, ``uncertain_{p,r,f1}`` (headline), ``uncertain_weighted_{p,r,f1}``,
        ``uncertain_weighted_cv``, ``train_overlap``, ``uncertain_news_{p,r,f1}``,
        ``uncertain_vague_{p,r,f1}``, ``threshold`` and, with peers,
        ``peer_keywords_{p,r,f1}`` and ``peer_tfidf_lr_{p,r,f1}``.
    """
    if register not in REGISTERS:
        raise FramingError("E332", f"unknown register {register!r}; choose from {', '.join(REGISTERS)}")
    df = load_wikiweasel(path, split=split)
    texts = df["text"].tolist()
    labels = df["label"].tolist()
    scored = score_sentences(texts)
    pn, rn, fn = binary_prf(labels, [int(score >= threshold) for score, _ in scored])
    # The same extractor with the opt-in vague-quantifier supplement (Wikipedia-style weasels).
    vague = score_sentences(texts, Options(body_only=False, lexicons={"hedges": VAGUE_QUANTIFIERS_TSV}))
    pv, rv, fv = binary_prf(labels, [int(score >= threshold) for score, _ in vague])
    weighted, cv, overlap = weighted_predictions(texts, labels, model_path)
    pw, rw, fw = binary_prf(labels, weighted)
    head = (pw, rw, fw) if register == "encyclopedic" else (pn, rn, fn)
    out: dict[str, Any] = {
        "n": len(labels),
        "uncertain_p": head[0],
        "uncertain_r": head[1],
        "uncertain_f1": head[2],
        "uncertain_weighted_p": pw,
        "uncertain_weighted_r": rw,
        "uncertain_weighted_f1": fw,
        "uncertain_weighted_cv": float(cv),
        "train_overlap": overlap,
        "uncertain_news_p": pn,
        "uncertain_news_r": rn,
        "uncertain_news_f1": fn,
        "uncertain_vague_p": pv,
        "uncertain_vague_r": rv,
        "uncertain_vague_f1": fv,
        "threshold": float(threshold),
    }
    if peers:
        kw = [int(bool(_KEYWORD_RE.search(t))) for t in texts]
        out["peer_keywords_p"], out["peer_keywords_r"], out["peer_keywords_f1"] = binary_prf(labels, kw)
        lr = _tfidf_lr_predictions(texts, labels)
        out["peer_tfidf_lr_p"], out["peer_tfidf_lr_r"], out["peer_tfidf_lr_f1"] = binary_prf(labels, lr)
    return out
