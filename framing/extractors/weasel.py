"""Sentence-level uncertainty for encyclopedic text: a learned weighting of hedge and weasel cues.

In news, one clear hedge cue marks a sentence (see :mod:`framing.extractors.hedging`). In
encyclopedic text (Wikipedia), the phenomenon annotators mark as uncertain is mostly the
*weasel*: vague quantifiers ("some", "many"), generalisations ("generally", "often"),
puffery ("one of the most", "well-known") and unsupported attributions. Many of these words
are also used plainly, so no single cue decides; instead each cue is a feature and a
logistic regression, fitted on WikiWeasel (CoNLL-2010 Wikipedia sentences), weighs them.

Features of a sentence:

* ``h:<rule>`` and ``c:<category>``: the hedge records :func:`extract_hedges` finds in it, with
  the opt-in vague-quantifier supplement (``hedges_vague.tsv``) switched on;
* ``w:<entry>`` and ``g:<group>``: entries of ``framing/lexicons/weasel_cues.tsv`` (puffery,
  generalisers, approximators, boosters, relative time, ... from Wikipedia's Manual of Style
  and Hyland 2005); an entry may get a negative weight;
* ``initial_quantifier``: the sentence opens with a vague quantifier ("Some ...", "Many ...");
* ``a:any``, ``a:nosrc``, ``a:src=<source type>``, ``a:cls=<cue class>``: the reports
  :func:`framing.extractors.attribution.extract_attributions` finds in it (since 1.2). Wikipedia's
  unsupported attributions ("critics say", "it is believed", "some argue") are weasels: a report,
  a report without a source, an unnamed source, a distancing cue;
* ``u:<word>``: the lower-cased words of the sentence (:func:`word_features`). They enter the
  regression scaled down (``word_scale``, 0.2 as shipped; :func:`select_word_scale` can pick
  among candidates by cross-validation), i.e. far more strongly regularised than the lexicon
  features, so a word only gains weight where the cue lexicons leave a consistent gap; words
  seen in fewer than ``min_count`` (50) training sentences are dropped, which keeps mostly
  function words and generic verbs rather than article topics. The stored weight of a word is
  its effective weight (coefficient x scale).

The weights ship as ``framing/models/hedge_weights.json`` (card ``hedge_weights_card.md``),
written by ``scripts/train_hedge_weights.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from framing.document import Document
from framing.errors import FramingError
from framing.extractors.attribution import extract_attributions
from framing.extractors.hedging import VAGUE_QUANTIFIERS_TSV, extract_hedges
from framing.lexicons import lexicon_version, load_lexicon
from framing.options import Options

__all__ = [
    "HedgeModel",
    "load_hedge_model",
    "sentence_features",
    "attribution_features",
    "document_features",
    "score_sentences",
    "fit_weights",
    "cross_validated_probabilities",
    "text_hashes",
    "text_features",
    "word_features",
    "select_word_scale",
    "MODEL_FILE",
]

MODEL_FILE = "hedge_weights.json"
_GROUP_CAP = 3
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: Word features are scaled by one of these in the regression (chosen by nested CV).
WORD_SCALES = (0.2,)
#: A word must occur in at least this many training sentences to become a feature.
MIN_WORD_COUNT = 50
_INITIAL = re.compile(r"\W*(?:some|many|most|several|various|numerous|others|few|certain)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cue_matchers() -> tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]:
    """One alternation per cue group: ``(group, regex, entry name per capturing group)``.

    Within a group the first (longest-listed) entry matching at a position wins; groups are
    scanned separately, so "most popular" can count as superlative and as puffery.
    """
    rows = load_lexicon("weasel_cues")
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        kind, pattern, name = row.get("kind"), row.get("pattern", ""), row.get("name", "")
        if kind == "literal":
            pattern = r"\s+".join(re.escape(w) for w in pattern.split())
        elif kind != "regex":
            raise FramingError(
                "E121", f"weasel cue lexicon: entry {name!r} has kind {kind!r}, expected literal or regex"
            )
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise FramingError("E121", f"weasel cue lexicon: entry {name!r} is not a valid regex: {exc}") from exc
        if compiled.groups or compiled.match(""):
            raise FramingError("E121", f"weasel cue lexicon: entry {name!r} has a capturing group or matches ''")
        groups.setdefault(row["group"], []).append((name, pattern))
    out = []
    for group, entries in groups.items():
        # Longer literal phrases first, so "best known" is tried before "best".
        entries = sorted(entries, key=lambda e: -len(e[1]))
        alt = "|".join(f"({p})" for _, p in entries)
        out.append((group, re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", re.IGNORECASE), tuple(n for n, _ in entries)))
    return tuple(out)


def sentence_features(text: str, hedges: Iterable[dict] = ()) -> dict[str, float]:
    """Features of one sentence: its hedge records plus the weasel-cue matches in ``text``.

    Parameters
    ----------
    text : str
        The sentence.
    hedges : iterable of dict
        Hedge records found in it (only ``rule`` and ``category`` are read).
    """
    feats: dict[str, float] = {}
    for r in hedges:
        feats["h:" + r["rule"].removeprefix("hedges/")] = 1.0
        feats["c:" + r["category"]] = 1.0
    for group, regex, names in _cue_matchers():
        n = 0
        for m in regex.finditer(text):
            feats["w:" + names[(m.lastindex or 1) - 1]] = 1.0
            n += 1
        if n:
            feats["g:" + group] = float(min(n, _GROUP_CAP))
    if _INITIAL.match(text):
        feats["initial_quantifier"] = 1.0
    return feats


def attribution_features(records: Iterable[dict]) -> dict[str, float]:
    """``a:`` features of a sentence from its attribution records.

    Reads ``source_type``, ``cue_class`` and ``speaker_start`` of each record.
    """
    feats: dict[str, float] = {}
    for r in records:
        feats["a:any"] = 1.0
        if r.get("speaker_start") is None:
            feats["a:nosrc"] = 1.0
        feats[f"a:src={r.get('source_type')}"] = 1.0
        feats[f"a:cls={r.get('cue_class')}"] = 1.0
    return feats


def word_features(text: str) -> dict[str, float]:
    """``u:<word>`` for each distinct lower-cased alphabetic word of ``text`` (digits dropped)."""
    return {"u:" + w.lower(): 1.0 for w in _WORD.findall(text)}


def _hedge_options(options: Options | None) -> Options:
    base = options if options is not None else Options()
    return Options(body_only=base.body_only, lexicons={**base.lexicons, "hedges": VAGUE_QUANTIFIERS_TSV})


def document_features(doc: Document, options: Options | None = None) -> list[tuple[int, int, dict[str, float]]]:
    """``(start, end, features)`` for every sentence read (body sentences with ``body_only``)."""
    opts = _hedge_options(options)
    spans = doc.body_sentences() if opts.body_only else doc.sentences
    recs = sorted(extract_hedges(doc, opts), key=lambda r: r["start"])
    reports = sorted(extract_attributions(doc, opts), key=lambda r: r["start"])
    rec_starts = [r["start"] for r in recs]
    report_starts = [r["start"] for r in reports]
    out = []
    for s, e in spans:  # each sentence's records: those that start inside it
        feats = sentence_features(doc.text[s:e], recs[bisect_left(rec_starts, s) : bisect_left(rec_starts, e)])
        feats.update(attribution_features(reports[bisect_left(report_starts, s) : bisect_left(report_starts, e)]))
        feats.update(word_features(doc.text[s:e]))
        out.append((s, e, feats))
    return out


def text_features(texts: Iterable[str]) -> list[dict[str, float]]:
    """Features of each text read as one sentence (a split sentence's parts are pooled)."""
    opts = Options(body_only=False)
    out = []
    for i, t in enumerate(texts):
        merged: dict[str, float] = {}
        for _, _, f in document_features(Document.from_text(str(i), t), opts):
            for k, v in f.items():
                merged[k] = max(merged.get(k, 0.0), v)
        out.append(merged)
    return out


@dataclass(frozen=True)
class HedgeModel:
    """Logistic weights over sentence features and the probability cut-off for *uncertain*."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    meta: dict

    def probability(self, features: dict[str, float]) -> float:
        """P(uncertain) of one sentence's features."""
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def train_hashes(self) -> frozenset[int]:
        """32-bit hashes of the training sentences (to detect evaluation on training data)."""
        raw = base64.b64decode(self.meta.get("train_hashes", ""))
        return frozenset(int.from_bytes(raw[i : i + 4], "big") for i in range(0, len(raw) - 3, 4))


def load_hedge_model(path: str | Path | None = None) -> HedgeModel:
    """Load the shipped weights (or a JSON file written by ``scripts/train_hedge_weights.py``)."""
    try:
        if path is None:
            text = resources.files("framing").joinpath("models").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
        return HedgeModel(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["intercept"]),
            float(data["threshold"]),
            {k: v for k, v in data.items() if k not in ("weights", "intercept", "threshold")},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FramingError("E132", f"hedge weight model {path or MODEL_FILE} cannot be read: {exc}") from None


def score_sentences(doc: Document, options: Options | None = None, model: HedgeModel | None = None) -> list[dict]:
    """Per sentence: ``start, end, probability, uncertain`` under the learned weighting.

    Meant for encyclopedic text (the register the weights were fitted on); for news, count
    the hedge records of :func:`extract_hedges` instead.
    """
    m = model if model is not None else load_hedge_model()
    out = []
    for s, e, feats in document_features(doc, options):
        p = m.probability(feats)
        out.append({"start": s, "end": e, "probability": p, "uncertain": p >= m.threshold})
    return out


def text_hashes(texts: Iterable[str]) -> list[int]:
    """32-bit content hashes of whitespace-normalised, lower-cased sentences."""
    return [
        int.from_bytes(hashlib.blake2b(" ".join(t.lower().split()).encode("utf-8"), digest_size=4).digest(), "big")
        for t in texts
    ]


def encode_hashes(hashes: Iterable[int]) -> str:
    """Sorted unique hashes packed as base64 (for the model file)."""
    return base64.b64encode(b"".join(h.to_bytes(4, "big") for h in sorted(set(hashes)))).decode("ascii")


def _best_threshold(probs: Sequence[float], labels: Sequence[int]) -> float:
    """The probability cut-off with the highest F1 of the positive class."""
    best_t, best_f = 0.5, -1.0
    for k in range(10, 71):
        t = k / 100
        f = _f1_at(probs, labels, t)
        if f > best_f:
            best_t, best_f = t, f
    return best_t


def fit_weights(
    features: Sequence[dict[str, float]],
    labels: Sequence[int],
    C: float = 0.3,
    word_scale: float = 0.2,
    min_count: int = MIN_WORD_COUNT,
) -> tuple[dict[str, float], float]:
    """Fit the logistic regression; returns ``(weights, intercept)`` (needs scikit-learn).

    Word features (``u:``) seen in fewer than ``min_count`` of these sentences are dropped; the
    rest enter multiplied by ``word_scale`` (``0`` drops all words), and their returned weights
    are the effective ones (coefficient x scale), so :meth:`HedgeModel.probability` reads binary
    features as they are.
    """
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for f in features for k in f if k.startswith("u:"))
    rows = [
        {
            k: (v * word_scale if k.startswith("u:") else v)
            for k, v in f.items()
            if not k.startswith("u:") or (word_scale > 0 and counts[k] >= min_count)
        }
        for f in features
    ]
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    lr = LogisticRegression(C=C, max_iter=5000, solver="lbfgs").fit(X, list(labels))
    names = vec.get_feature_names_out()
    weights = {}
    for n, w in zip(names, lr.coef_[0]):
        n = str(n)
        eff = float(w) * word_scale if n.startswith("u:") else float(w)
        if abs(eff) >= 1e-4:
            weights[n] = eff
    return weights, float(lr.intercept_[0])


def _oof_probabilities(
    features: Sequence[dict[str, float]], labels: Sequence[int], C: float, word_scale: float, folds: int, seed: int
) -> list[float]:
    """Out-of-fold probabilities of a plain (un-nested) cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    y = list(labels)
    probs = [0.0] * len(y)
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split([0] * len(y), y):
        w, b = fit_weights([features[i] for i in tr], [y[i] for i in tr], C, word_scale)
        m = HedgeModel(w, b, 0.5, {})
        for i in te:
            probs[i] = m.probability(features[i])
    return probs


def _f1_at(probs: Sequence[float], labels: Sequence[int], t: float) -> float:
    tp = sum(1 for p, y in zip(probs, labels) if p >= t and y)
    fp = sum(1 for p, y in zip(probs, labels) if p >= t and not y)
    fn = sum(1 for p, y in zip(probs, labels) if p < t and y)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def select_word_scale(
    features: Sequence[dict[str, float]],
    labels: Sequence[int],
    C: float = 0.3,
    word_scales: Sequence[float] = WORD_SCALES,
    folds: int = 5,
    seed: int = 0,
) -> tuple[float, float, list[float]]:
    """``(word_scale, threshold, out-of-fold probabilities)`` with the best cross-validated F1.

    Each candidate scale is scored by a ``folds``-fold cross-validation on ``features`` at its
    own F1-best cut-off; ties go to the smaller scale (the more strongly regularised model).
    """
    best: tuple[float, float, float, list[float]] | None = None
    for scale in sorted(word_scales):
        probs = _oof_probabilities(features, labels, C, scale, folds, seed)
        t = _best_threshold(probs, labels)
        f = _f1_at(probs, labels, t)
        if best is None or f > best[0]:
            best = (f, scale, t, probs)
    assert best is not None
    return best[1], best[2], best[3]


def cross_validated_probabilities(
    features: Sequence[dict[str, float]],
    labels: Sequence[int],
    C: float = 0.3,
    folds: int = 5,
    seed: int = 0,
    word_scales: Sequence[float] = WORD_SCALES,
) -> tuple[list[float], list[int]]:
    """Out-of-fold probabilities and predictions, word scale and cut-off chosen inside each training fold.

    Each fold's model, word-feature scale and threshold are fitted on the other folds only (scale
    and threshold by an inner cross-validation, :func:`select_word_scale`), so no sentence is
    scored by a model, or a choice, that saw it.
    """
    from sklearn.model_selection import StratifiedKFold

    y = list(labels)
    probs = [0.0] * len(y)
    preds = [0] * len(y)
    outer = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in outer.split([0] * len(y), y):
        tr_f = [features[i] for i in train]
        tr_y = [y[i] for i in train]
        scale, threshold, _ = select_word_scale(tr_f, tr_y, C, word_scales, folds, seed + 1)
        w, b = fit_weights(tr_f, tr_y, C, scale)
        m = HedgeModel(w, b, threshold, {})
        for i in test:
            probs[i] = m.probability(features[i])
            preds[i] = int(probs[i] >= threshold)
    return probs, preds


def lexicon_versions() -> dict[str, str]:
    """Versions of the lexicons the features read (recorded in the model file)."""
    return {name: lexicon_version(name) for name in ("hedges", "hedges_vague", "weasel_cues")}
