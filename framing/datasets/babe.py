"""Loader for BABE (Spinde et al., Findings of EMNLP 2021): news sentences labelled biased / non-biased by experts.

Gives the sentence frame (for the loaded-language measure in :mod:`framing.loaded_language`) and,
grouping sentences by their article URL, a corpus frame for :func:`framing.analyze`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from framing.errors import FramingError

__all__ = ["load_babe", "babe_articles"]


def load_babe(path: str | Path) -> pd.DataFrame:
    """Load the BABE sentences.

    Returns
    -------
    DataFrame
        ``text, article, outlet, topic, leaning, biased`` (bool), ``opinion``, ``biased_words`` (list of str);
        rows without an agreed bias label are dropped.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "babe_sg2_dev.csv"
    if not p.is_file():
        raise FramingError("E301", f"BABE file not found: {p}")
    df = pd.read_csv(p, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    need = {"text", "news_link", "outlet", "label_bias", "biased_words"}
    if not need <= set(df.columns):
        raise FramingError("E303", f"BABE file lacks column(s) {sorted(need - set(df.columns))}")
    df = df[df.label_bias.isin(["Biased", "Non-biased"])]

    def words(s: str) -> list[str]:
        try:
            v = ast.literal_eval(s) if s.strip() else []
        except (ValueError, SyntaxError):
            return []
        return [str(w) for w in v] if isinstance(v, (list, tuple)) else []

    return pd.DataFrame({"text": df.text.to_numpy(), "article": df.news_link.to_numpy(), "outlet": df.outlet.to_numpy(),
                         "topic": df.get("topic", ""), "leaning": df.get("type", "").replace("", None).to_numpy(),
                         "biased": (df.label_bias == "Biased").to_numpy(),
                         "opinion": df.get("label_opinion", "").to_numpy(),
                         "biased_words": df.biased_words.map(words).to_numpy()}).reset_index(drop=True)


def babe_articles(sentences: pd.DataFrame) -> pd.DataFrame:
    """One corpus row per article URL: its BABE sentences joined as paragraphs (a partial article)."""
    g = sentences.groupby("article", sort=True)
    return pd.DataFrame({"doc_id": [f"babe-{i}" for i in range(g.ngroups)], "outlet": g.outlet.first().to_numpy(),
                         "title": None, "text": g.text.apply(lambda s: "\n\n".join(s)).to_numpy(),
                         "url": list(g.groups), "leaning": g.leaning.first().to_numpy()})
