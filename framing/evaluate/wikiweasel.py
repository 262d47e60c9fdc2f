"""WikiWeasel evaluation: does the hedge extractor flag the sentences annotators found uncertain?

A sentence counts as *uncertain* when the weights of the hedge cues found in it (the ``weight``
column of ``hedges.tsv``) add up to at least ``threshold``. With the default threshold of 1.0
one clear cue ("allegedly", "is believed to", "some critics") suffices, while an ambiguous
modal ("may", "could": weight 0.5), which is often a root rather than an epistemic use, needs
company. Scores are P/R/F1 of the uncertain class, for the default lexicon (written for news)
and, as ``uncertain_vague_*``, with the opt-in supplement that also counts bare vague quantifiers
("some", "many", "several"), which the CoNLL-2010 Wikipedia annotation treats as weasels.

Peers, run on the same file in the same call:

* ``keywords``: a sentence is uncertain when it contains one of a small fixed list of classic
  weasel words (after the examples in Wikipedia's Manual of Style, "Unsupported attributions").
* ``tfidf_lr``: TF-IDF word uni+bigrams + logistic regression, 5-fold stratified
  cross-validated predictions on the evaluated file itself (an in-domain supervised peer;
  our extractor is not trained on the file).

The data are Wikipedia, not news: read the numbers as lexicon coverage, not as news accuracy.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from framing.datasets.wikiweasel import load_wikiweasel
from framing.document import Document
from framing.evaluate.metrics import binary_prf
from framing.extractors.hedging import VAGUE_QUANTIFIERS_TSV, extract_hedges, hedge_weights
from framing.options import Options

__all__ = ["evaluate_wikiweasel", "score_sentences", "KEYWORDS"]

# Classic weasel words, after the examples in Wikipedia's Manual of Style (MOS:WEASEL). Fixed.
KEYWORDS = (
    "some", "many", "most", "often", "widely", "generally", "believed", "considered",
    "regarded", "thought", "arguably", "reportedly", "allegedly", "critics", "experts",
    "scholars", "probably", "possibly",
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


def evaluate_wikiweasel(
    path: str | Path, threshold: float = 1.0, split: str = "dev", peers: bool = True
) -> dict[str, Any]:
    """Score the hedge extractor and its peers on a WikiWeasel file (or its folder).

    Parameters
    ----------
    path : str or Path
        ``wikiweasel_<split>.csv`` or the folder that holds it.
    threshold : float
        Summed cue weight at which a sentence counts as uncertain.
    split : str
        Which file to read when ``path`` is a folder.
    peers : bool
        Also run the keyword and TF-IDF + LR peers.

    Returns
    -------
    dict
        ``n``, ``uncertain_p``, ``uncertain_r``, ``uncertain_f1`` (default lexicon),
        ``uncertain_vague_{p,r,f1}`` (with the opt-in vague-quantifier supplement),
        ``threshold`` and, with peers, ``peer_keywords_{p,r,f1}`` and ``peer_tfidf_lr_{p,r,f1}``.
    """
    df = load_wikiweasel(path, split=split)
    texts = df["text"].tolist()
    labels = df["label"].tolist()
    scored = score_sentences(texts)
    pred = [int(score >= threshold) for score, _ in scored]
    p, r, f = binary_prf(labels, pred)
    out: dict[str, Any] = {
        "n": len(labels),
        "uncertain_p": p,
        "uncertain_r": r,
        "uncertain_f1": f,
        "threshold": float(threshold),
    }
    # The same extractor with the opt-in vague-quantifier supplement (Wikipedia-style weasels).
    vague = score_sentences(texts, Options(body_only=False, lexicons={"hedges": VAGUE_QUANTIFIERS_TSV}))
    pv, rv, fv = binary_prf(labels, [int(score >= threshold) for score, _ in vague])
    out.update({"uncertain_vague_p": pv, "uncertain_vague_r": rv, "uncertain_vague_f1": fv})
    if peers:
        kw = [int(bool(_KEYWORD_RE.search(t))) for t in texts]
        out["peer_keywords_p"], out["peer_keywords_r"], out["peer_keywords_f1"] = binary_prf(labels, kw)
        lr = _tfidf_lr_predictions(texts, labels)
        out["peer_tfidf_lr_p"], out["peer_tfidf_lr_r"], out["peer_tfidf_lr_f1"] = binary_prf(labels, lr)
    return out
