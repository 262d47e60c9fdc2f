"""Shared scoring helpers: precision, recall and F1 from counts or from label sequences.

Kept in one place so every dataset module reports the same numbers the same way
(zero denominators give 0.0, not an error). Span helpers (overlap, one-to-one greedy
matching, character-level counts) serve span-annotated datasets such as PolNeAR.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

__all__ = ["prf", "binary_prf", "prf_totals", "overlaps", "overlap_size", "greedy_match", "char_counts"]

Span = tuple[int, int]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from true-positive, false-positive and false-negative counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def binary_prf(y_true: Iterable, y_pred: Iterable, positive: object = 1) -> tuple[float, float, float]:
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


def prf_totals(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from true positives and the numbers of predicted and gold items."""
    return prf(tp, n_pred - tp, n_gold - tp)


def overlaps(a: Span | None, b: Span | None) -> bool:
    """True when two half-open spans share at least one character."""
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def overlap_size(a: Span, b: Span) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def greedy_match(
    pred: Sequence[Span], gold: Sequence[Span], same: Callable[[Span, Span], bool] = overlaps
) -> list[tuple[int, int]]:
    """One-to-one matching of predicted to gold spans.

    Candidate pairs (those for which ``same`` holds) are taken greedily by decreasing shared
    length, then by position, so each prediction and each gold span is used at most once.
    Returns ``(pred_index, gold_index)`` pairs.
    """
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if same(p, g):
                cands.append((-overlap_size(p, g), i, j))
    cands.sort()
    used_p, used_g, out = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def char_counts(pred: Sequence[Span], gold: Sequence[Span]) -> tuple[int, int, int]:
    """``(tp, n_pred, n_gold)`` characters of the union of predicted vs gold spans."""
    ps = {c for s, e in pred for c in range(s, e)}
    gs = {c for s, e in gold for c in range(s, e)}
    return len(ps & gs), len(ps), len(gs)
