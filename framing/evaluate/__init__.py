"""Evaluation on real annotated news data: one module per dataset, one dispatcher.

``evaluate(dataset, path)`` runs the toolkit and, where installable offline, the
peers on the same data, and returns a tidy frame with ``dataset, system,
metric, value`` (``system`` is ``framing`` or the peer's name, taken from
metric names that start with ``peer_<name>_``). ``frame.attrs`` holds ``n``
(items scored) and the flat ``metrics`` dict written by ``framing evaluate --json``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pandas as pd

from framing.errors import FramingError

__all__ = ["evaluate", "DATASETS", "default_data_root", "metrics_frame"]

# dataset name -> (module, function)
DATASETS: dict[str, tuple[str, str]] = {
    "seed": ("framing.evaluate.seed", "evaluate_seed"),
    "polnear": ("framing.evaluate.polnear", "evaluate_polnear"),
    "newsmtsc": ("framing.evaluate.newsmtsc", "evaluate_newsmtsc"),
    "wikiweasel": ("framing.evaluate.wikiweasel", "evaluate_wikiweasel"),
    "article_extraction_benchmark": ("framing.evaluate.boilerplate", "evaluate_article_extraction_benchmark"),
    "trafilatura_eval_en": ("framing.evaluate.boilerplate", "evaluate_trafilatura_eval"),
    "babe": ("framing.evaluate.babe", "evaluate_babe_dataset"),
}

PEERS = ("vader", "tfidf_lr", "keywords", "trafilatura_nocomments", "trafilatura", "textacy", "spacy_verbs",
         "majority", "published_bert")


def default_data_root() -> Path:
    """``$FRAMING_DATA`` or ``../shared/data`` beside the repository root."""
    env = os.environ.get("FRAMING_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def metrics_frame(dataset: str, metrics: dict[str, Any]) -> pd.DataFrame:
    """A flat metrics dict as a tidy frame with a ``system`` column."""
    rows = []
    for name, value in metrics.items():
        if name == "n" or not isinstance(value, (int, float)):
            continue
        system, metric = "framing", name
        if name.startswith("peer_"):
            rest = name[5:]
            for p in sorted(PEERS, key=len, reverse=True):
                if rest.startswith(p + "_"):
                    system, metric = p, rest[len(p) + 1:]
                    break
            else:
                system, metric = rest.split("_", 1)[0], rest.split("_", 1)[-1]
        rows.append({"dataset": dataset, "system": system, "metric": metric, "value": float(value)})
    return pd.DataFrame(rows, columns=["dataset", "system", "metric", "value"])


def evaluate(dataset: str, path: str | Path | None = None, **kwargs: Any) -> pd.DataFrame:
    """Score the toolkit on ``dataset`` laid out as in ``shared/data/<dataset>`` at ``path``."""
    if dataset not in DATASETS:
        raise FramingError("E300", f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
    root = Path(path) if path is not None else default_data_root() / dataset
    if not root.exists():
        raise FramingError("E301", f"no data folder for {dataset!r} at {root}")
    mod_name, fn_name = DATASETS[dataset]
    fn = getattr(importlib.import_module(mod_name), fn_name)
    metrics = dict(fn(root, **kwargs))
    n = metrics.pop("n", None)
    if n is None:  # items scored, from the dataset's own counts
        for key in ("n_pages", "n_sentences", "n_gold"):
            if isinstance(metrics.get(key), (int, float)):
                n = int(metrics[key])
                break
        else:
            parts = [metrics[k] for k in ("n_rw", "n_mt") if isinstance(metrics.get(k), (int, float))]
            n = int(sum(parts)) if parts else None
    frame = metrics_frame(dataset, metrics)
    frame.attrs["n"] = n
    frame.attrs["metrics"] = metrics
    frame.attrs["dataset"] = dataset
    return frame
