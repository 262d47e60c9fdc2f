"""A "loaded language" measure learned from BABE's expert labels, and its validation.

Two sentence-level detectors, both fitted on training sentences only:

``LoadedLexicon``
    words that annotators marked as biased, kept when they are marked in at least ``min_marked``
    training sentences and marked in at least ``min_precision`` of the training sentences that
    contain them; a sentence is loaded when it contains one. Transparent: every decision points
    at a word.
``make_sentence_model``
    a scikit-learn pipeline (word and word-pair TF-IDF + class-balanced logistic regression).

:func:`evaluate_babe` cross-validates both with folds grouped by article (sentences of one
article never on both sides) and reports macro-F1 beside the majority baseline and the figure
published for BABE's best model (Spinde et al. 2021 report a macro-F1 of about 0.80 for a
BERT-family model with distant-supervision pre-training).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.errors import FramingError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from framing.analysis import Analysis

__all__ = ["PUBLISHED_MACRO_F1", "LoadedLexicon", "make_sentence_model", "evaluate_babe", "loaded_sentence_share"]

#: Macro-F1 of the best model reported for BABE (Spinde et al., Findings of EMNLP 2021), rounded.
PUBLISHED_MACRO_F1 = 0.80
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


def _tokens(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


class LoadedLexicon:
    """A word list of loaded language learned from sentences with annotated biased words.

    Parameters
    ----------
    min_marked : int
        A word must be marked biased in at least this many training sentences.
    min_precision : float or None
        ... and in at least this share of the training sentences that contain it (``None``: tuned on
        the training sentences for macro-F1 over a small grid).
    """

    def __init__(self, min_marked: int = 2, min_precision: float | None = None):
        self.min_marked = min_marked
        self.min_precision = min_precision

    def fit(self, texts: Sequence[str], biased_words: Sequence[Iterable[str]], labels: Sequence[bool]) -> LoadedLexicon:
        """Learn the word list from sentences, their marked words and their labels."""
        if not (len(texts) == len(biased_words) == len(labels)):
            raise FramingError("E480", "texts, biased_words and labels must have the same length")
        if self.min_marked < 1:
            raise FramingError("E480", "min_marked must be >= 1")
        contain: Counter[str] = Counter()
        marked: Counter[str] = Counter()
        toks = [_tokens(t) for t in texts]
        for tk, words in zip(toks, biased_words):
            contain.update(tk)
            marked.update({w.lower() for w in words for w in _WORD.findall(str(w))} & tk)
        self.stats_ = pd.DataFrame({"marked": pd.Series(marked, dtype=float),
                                    "contain": pd.Series(contain, dtype=float)}).fillna(0)
        self.stats_ = self.stats_[self.stats_.marked >= self.min_marked]
        self.stats_["precision"] = self.stats_.marked / self.stats_.contain.clip(lower=1)
        y = np.asarray(labels, bool)
        if self.min_precision is None:
            from sklearn.metrics import f1_score

            best = (-1.0, 0.3)
            for p in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
                words = set(self.stats_.index[self.stats_.precision >= p])
                pred = np.array([bool(tk & words) for tk in toks])
                best = max(best, (f1_score(y, pred, average="macro", zero_division=0), p))
            self.precision_ = best[1]
        else:
            self.precision_ = float(self.min_precision)
        self.words_ = frozenset(self.stats_.index[self.stats_.precision >= self.precision_])
        return self

    def find(self, text: str) -> list[str]:
        """The lexicon words in ``text``."""
        return sorted(_tokens(text) & self.words_)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """True for each text containing at least one lexicon word."""
        if not hasattr(self, "words_"):
            raise FramingError("E481", "LoadedLexicon is not fitted; call fit() first")
        return np.array([bool(_tokens(t) & self.words_) for t in texts])


def make_sentence_model(C: float = 2.0, seed: int = 0) -> Pipeline:
    """TF-IDF (words and word pairs, sublinear) + class-balanced logistic regression, as a ``Pipeline``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                     ("model", LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed))])


def evaluate_babe(sentences: pd.DataFrame, *, n_splits: int = 5, seed: int = 0) -> pd.DataFrame:
    """Cross-validated macro-F1 of the lexicon, the sentence model and the majority baseline on BABE.

    ``sentences`` is the frame of :func:`framing.datasets.babe.load_babe`. Folds are grouped by article.

    Returns
    -------
    DataFrame
        ``method, macro_f1_mean, macro_f1_sd, n_folds, n_sentences`` plus a row for the published figure.
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    need = {"text", "biased", "biased_words", "article"}
    if not need <= set(sentences.columns):
        raise FramingError("E482", f"sentences need columns {sorted(need)}")
    texts = sentences.text.astype(str).to_numpy()
    y = sentences.biased.astype(bool).to_numpy()
    words = sentences.biased_words.to_numpy()
    folds = StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed).split(texts, y, sentences.article)
    scores: dict[str, list[float]] = {"loaded-word lexicon": [], "TF-IDF + logistic regression": [],
                                      "majority baseline": []}
    for tr, te in folds:
        lex = LoadedLexicon().fit(texts[tr], words[tr], y[tr])
        scores["loaded-word lexicon"].append(f1_score(y[te], lex.predict(texts[te]), average="macro"))
        model = make_sentence_model(seed=seed).fit(texts[tr], y[tr])
        scores["TF-IDF + logistic regression"].append(f1_score(y[te], model.predict(texts[te]), average="macro"))
        majority = bool(pd.Series(y[tr]).mode()[0])
        scores["majority baseline"].append(f1_score(y[te], np.full(len(te), majority), average="macro",
                                                    zero_division=0))
    rows = [{"method": m, "macro_f1_mean": float(np.mean(v)), "macro_f1_sd": float(np.std(v, ddof=1)),
             "n_folds": len(v), "n_sentences": len(y)} for m, v in scores.items()]
    rows.append({"method": "published: best BABE model (Spinde et al. 2021)", "macro_f1_mean": PUBLISHED_MACRO_F1,
                 "macro_f1_sd": np.nan, "n_folds": np.nan, "n_sentences": np.nan})
    return pd.DataFrame(rows)


def loaded_sentence_share(analysis: Analysis, lexicon: LoadedLexicon) -> pd.DataFrame:
    """Per article: the share of body sentences containing a lexicon word (``loaded_sentence_share``)."""
    from framing.compare.stories import body_texts
    from framing.document import Document

    arts = analysis.articles
    texts = body_texts(analysis, arts.doc_id)
    shares = []
    for d, t in zip(arts.doc_id, texts):
        doc = Document.from_text(str(d), t)
        sents = [t[s:e] for s, e in doc.sentences]
        shares.append(float(np.mean(lexicon.predict(sents))) if sents else np.nan)
    return pd.DataFrame({"doc_id": arts.doc_id.to_numpy(), "outlet": arts.outlet.to_numpy(),
                         "loaded_sentence_share": shares})
