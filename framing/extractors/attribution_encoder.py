"""Attribution cues with the optional encoder: the linear cue model mixed with a head on MiniLM vectors.

The learned cue stage (:mod:`framing.extractors.attribution_model`) reads a few words around a
candidate; the same word is a cue in one sentence and not in the next ("the poll [showed]" /
"the show"). With ``Options(encoder=True)`` every candidate also gets the contextual vectors of
:mod:`framing.encoder` (the mean over the candidate's word pieces and the mean over its
sentence), a logistic-regression head turns them into log-odds, and the two models' log-odds are
mixed with the weight chosen out of fold on PolNeAR train_sample
(``framing/models/attribution_cues_encoder.json``, ``scripts/train_attribution.py --encoder``;
see ``framing/models/attribution_card.md``). The head also lists candidate forms that the linear
model's pruning for speed dropped (the mixture accepts some of them); they are candidates only with
the option on. About 10 ms per sentence that holds a candidate.
"""

from __future__ import annotations

import math
from collections.abc import MutableMapping, Sequence
from functools import lru_cache

import numpy as np

from framing.errors import FramingError
from framing.extractors.attribution_model import CueModel
from framing.models import read_model_json

__all__ = ["CueHead", "load_cue_head", "cue_rows", "HEAD_FILE"]

HEAD_FILE = "attribution_cues_encoder.json"

Item = tuple[int, int, int, int]  # (start, end, sentence start, sentence end)


def cue_rows(text: str, items: Sequence[Item], cache: MutableMapping | None = None) -> np.ndarray:
    """Encoder rows (768 floats: mean of the candidate's word-piece vectors, mean of its sentence's)
    for ``items`` of one text. Each sentence is encoded once, on its own; a candidate beyond the
    128 word pieces of a long sentence gets a window of the sentence centred on it. ``cache`` (keyed
    by the sentence text and the candidate's offsets in it) lets training re-use rows."""
    from framing.encoder import load_encoder

    out = np.zeros((len(items), 768), dtype=np.float32)
    by_sent: dict[tuple[int, int], list[int]] = {}
    for i, (_s, _e, ss, se) in enumerate(items):
        by_sent.setdefault((ss, se), []).append(i)
    todo_of: dict[tuple[int, int], list[int]] = {}
    for (ss, se), rows in by_sent.items():
        sent = text[ss:se]
        for i in rows:
            key = (sent, items[i][0] - ss, items[i][1] - ss)
            got = cache.get(key) if cache is not None else None
            if got is None:
                todo_of.setdefault((ss, se), []).append(i)
            else:
                out[i] = got
    if not todo_of:
        return out
    enc = load_encoder()
    enc.prime([text[ss:se] for ss, se in todo_of])  # one batched forward pass for the article's sentences
    for (ss, se), todo in todo_of.items():
        sent = text[ss:se]
        spans = [(items[i][0] - ss, items[i][1] - ss) for i in todo]
        out[todo] = enc.span_features(sent, spans, whole=enc.encode(sent))
        if cache is not None:
            for i, (s, e) in zip(todo, spans):
                cache[(sent, s, e)] = out[i].copy()
    return out


class CueHead:
    """The shipped head: linear weights on the encoder rows (standardisation folded in), the weight
    of the head in the mixed log-odds, the decision threshold of the mixture and the extra candidate
    forms (``vocabulary``: words of the linear model's training vocabulary that its pruning for speed
    dropped because the linear model alone rarely accepts them; the mixture does)."""

    def __init__(self, data: dict):
        self.data = data
        extra = data.get("vocabulary") or ()
        if not all(isinstance(w, str) and w and all(c.isalnum() or c in "_’'-" for c in w) for w in extra):
            raise FramingError("E155", f"encoder head {HEAD_FILE} has a vocabulary word that is not letters, "
                                       "digits and _’'- only")
        self.extra: frozenset[str] = frozenset(extra)
        self._extended: tuple[CueModel, CueModel] | None = None
        self.coef = np.asarray(data["coef"], dtype=np.float64)
        self.intercept = float(data["intercept"])
        self.weight = float(data["mix_weight"])  # weight of the head; 1 - weight for the linear model
        self.threshold = float(data["threshold"])
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        self.logit_threshold = math.log(t / (1 - t))
        if self.coef.shape != (768,):
            raise FramingError("E154", f"encoder head {HEAD_FILE} has weights of shape {self.coef.shape}")

    def candidates_of(self, model: CueModel) -> CueModel:
        """``model`` with the head's extra candidate forms added to its vocabulary (same weights;
        built once per model), or ``model`` itself when the head has none."""
        if not self.extra or self.extra <= model.vocab:
            return model
        if self._extended is None or self._extended[0] is not model:
            self._extended = (model, model.with_vocabulary(self.extra))
        return self._extended[1]

    def mix(self, linear: Sequence[float] | np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mixed log-odds from the linear cue model's log-odds and the encoder rows."""
        head = rows.astype(np.float64) @ self.coef + self.intercept
        return self.weight * head + (1.0 - self.weight) * np.asarray(linear, dtype=np.float64)


@lru_cache(maxsize=1)
def load_cue_head() -> CueHead:
    """The shipped encoder head of the cue stage (read once per process)."""
    return CueHead(read_model_json(HEAD_FILE, "E154", "encoder head"))
