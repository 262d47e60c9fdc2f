"""BABE (Spinde et al. 2021): the loaded-language measure scored on expert sentence labels.

Both our measures are learned from BABE itself (the data cannot ship with the toolkit), so the
scores are cross-validated with folds grouped by article (see
:func:`framing.loaded_language.evaluate_babe`). ``macro_f1`` is the TF-IDF + logistic-regression
sentence model, ``lexicon_macro_f1`` the loaded-word lexicon learned from the marked words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["evaluate_babe_dataset"]

def evaluate_babe_dataset(path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """Metrics for ``framing evaluate babe PATH``: ours, the majority baseline, and the published figure."""
    from framing.datasets.babe import load_babe
    from framing.loaded_language import PUBLISHED_MACRO_F1, evaluate_babe

    sentences = load_babe(path)
    table = evaluate_babe(sentences, **kwargs).set_index("method")
    return {
        "n": int(len(sentences)),
        "macro_f1": float(table.loc["TF-IDF + logistic regression", "macro_f1_mean"]),
        "macro_f1_sd": float(table.loc["TF-IDF + logistic regression", "macro_f1_sd"]),
        "lexicon_macro_f1": float(table.loc["loaded-word lexicon", "macro_f1_mean"]),
        "peer_majority_macro_f1": float(table.loc["majority baseline", "macro_f1_mean"]),
        "peer_published_bert_macro_f1": PUBLISHED_MACRO_F1,
    }
