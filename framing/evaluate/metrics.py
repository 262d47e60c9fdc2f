"""Shared scoring helpers: precision, recall and F1 from counts or from label sequences.

Kept in one place so every dataset module reports the same numbers the same way
(zero denominators give 0.0, not an error).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["prf", "binary_prf"]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from true-positive, false-positive and false-negative counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def binary_prf(y_true: Iterable, y_pred: Iterable, positive=1) -> tuple[float, float, float]:
    """Precision, recall and F1 of the ``positive`` class for two equally long label sequences."""
    tp = fp = fn = 0
    for t, p in zip(y_true, y_pred, strict=True):
        if p == positive:
            if t == positive:
                tp += 1
            else:
                fp += 1
        elif t == positive:
            fn += 1
    return prf(tp, fp, fn)
