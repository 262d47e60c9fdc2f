"""Target sentiment with the optional encoder: the linear model mixed with a head on MiniLM vectors.

The fast linear model (``sentiment.json``) stays the default. With ``Options(encoder=True)``
or ``sentiment_toward(..., model="encoder")`` each target also gets the contextual vectors of
:mod:`framing.encoder` (mean over the target's word pieces and over its sentence), a logistic
regression head turns them into class log-probabilities, and the two models' log-probabilities
are mixed with the weight chosen by cross-validation on NewsMTSC train (see
``framing/models/sentiment_card.md`` and ``scripts/train_sentiment_encoder.py``).
About 10 ms per sentence that holds a target, against well under 1 ms for the linear model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from framing.errors import FramingError
from framing.models import read_model_json

__all__ = ["EncoderHead", "load_head", "encoder_features", "HEAD_FILE"]

HEAD_FILE = "sentiment_encoder.json"

Item = tuple[tuple[int, int], int, int]  # (context span, target start, target end)


def encoder_features(text: str, items: Sequence[Item]) -> np.ndarray:
    """Encoder rows (768 floats) for ``items`` of one text: each target is read in its context
    (its sentence), which is encoded once for all the targets it holds."""
    from framing.encoder import load_encoder

    enc = load_encoder()
    out = np.zeros((len(items), 768), dtype=np.float32)
    by_ctx: dict[tuple[int, int], list[int]] = {}
    for i, (ctx, _, _) in enumerate(items):
        by_ctx.setdefault(ctx, []).append(i)
    enc.prime([text[c0:c1] for c0, c1 in by_ctx])  # one batched forward pass for the article's contexts
    for (c0, c1), rows in by_ctx.items():
        spans = [(items[i][1] - c0, items[i][2] - c0) for i in rows]
        out[rows] = enc.span_features(text[c0:c1], spans)
    return out


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class EncoderHead:
    """The shipped head: linear weights on the encoder rows and the mixing rule."""

    def __init__(self, data: dict):
        self.data = data
        self.classes = np.asarray(data["classes"])
        self.coef = np.asarray(data["coef"], dtype=np.float64)  # (768, 3), standardisation folded in
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.weight = float(data["mix_weight"])  # weight of the head; 1 - weight for the linear model
        self.offsets = np.asarray(data["offsets"], dtype=np.float64)
        if self.coef.shape != (768, len(self.classes)):
            raise FramingError("E152", f"encoder head {HEAD_FILE} has weights of shape {self.coef.shape}")

    def mix(self, linear_logits: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mixed class log-probabilities from the linear model's logits and the encoder rows."""
        head = rows.astype(np.float64) @ self.coef + self.intercept
        return self.weight * _log_softmax(head) + (1.0 - self.weight) * _log_softmax(linear_logits)

    def predict(self, mixed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, labels)``: P(pos) - P(neg) of the renormalised mixture, offset argmax class."""
        if len(mixed) == 0:
            return np.zeros(0), np.zeros(0, dtype=int)
        p = np.exp(_log_softmax(mixed))
        pos = int(np.nonzero(self.classes == 1)[0][0])
        neg = int(np.nonzero(self.classes == -1)[0][0])
        return np.clip(p[:, pos] - p[:, neg], -1.0, 1.0), self.classes[(mixed + self.offsets).argmax(axis=1)]


@lru_cache(maxsize=1)
def load_head() -> EncoderHead:
    """The shipped encoder head (read once per process)."""
    return EncoderHead(read_model_json(HEAD_FILE, "E152", "encoder head"))
