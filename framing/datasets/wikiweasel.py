"""Loader for WikiWeasel: Wikipedia sentences labelled certain (0) / uncertain (1).

The sentences come from the Wikipedia "weasel" portion of the CoNLL-2010 shared task
(Farkas et al. 2010) in a third-party copy that keeps only sentence labels (no cue spans).
They are Penn-Treebank tokenised (``-LRB-``, ````` ``, ``''``, `` 's``, `` n't``); the
extractors are written for running text, so :func:`detokenize` turns them back into plain
text before analysis. The original tokens are kept in ``text_ptb``.

Error codes: ``E330`` file missing or unreadable, ``E331`` wrong columns or labels.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framing.errors import FramingError

__all__ = ["load_wikiweasel", "detokenize", "resolve_file"]

_BRACKETS = {
    "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
}
_BRACKET_RE = re.compile(r"-(?:LRB|RRB|LSB|RSB|LCB|RCB)-")
# Ordered substitutions (pattern, replacement); each is a regex applied once over the sentence.
_DETOK_STEPS = [
    (re.compile(r"``\s*"), '"'),                       # opening double quote
    (re.compile(r"\s*''"), '"'),                       # closing double quote
    (re.compile(r"([(\[{])\s+"), r"\1"),               # no space after an opening bracket
    (re.compile(r"\s+([)\]}])"), r"\1"),               # no space before a closing bracket
    (re.compile(r"\s+(n't|N'T)\b"), r"\1"),            # do n't -> don't
    (re.compile(r"\s+('(?:s|S|re|RE|ve|VE|ll|LL|d|D|m|M))\b"), r"\1"),  # John 's -> John's
    (re.compile(r"\b(can)\s+(not)\b", re.I), r"\1\2"),  # can not -> cannot (PTB splits it)
    (re.compile(r"\s+([,.;:!?%])"), r"\1"),            # no space before punctuation
    (re.compile(r"(\$)\s+(?=\d)"), r"\1"),             # $ 5 -> $5
    (re.compile(r"`\s*"), "'"),                        # single opening quote
    (re.compile(r"\s{2,}"), " "),
]


def detokenize(text: str) -> str:
    """Turn one PTB-tokenised sentence into plain running text.

    Brackets (``-LRB-`` -> ``(``), quotes (````` `` and ``''`` -> ``"``), clitics
    (`` 's``, `` n't``) and spaces before punctuation are undone. The result is for
    analysis only; it need not match the original Wikipedia text byte for byte.
    """
    if not text:
        return ""
    out = _BRACKET_RE.sub(lambda m: _BRACKETS[m.group(0)], text)
    for pattern, repl in _DETOK_STEPS:
        out = pattern.sub(repl, out)
    return out.strip()


def resolve_file(path: str | Path, split: str = "dev") -> Path:
    """The CSV file for ``path``: the file itself, or ``wikiweasel_<split>.csv`` in a folder.

    A folder holding exactly one CSV file (e.g. a held-out copy under another name) resolves
    to that file.
    """
    p = Path(path)
    if p.is_dir():
        named = p / f"wikiweasel_{split}.csv"
        if named.is_file():
            return named
        csvs = sorted(p.glob("*.csv"))
        if len(csvs) == 1:
            return csvs[0]
        raise FramingError(
            "E330",
            f"no WikiWeasel file {named.name!r} in {str(p)!r} (CSV files there: {[c.name for c in csvs]})",
        )
    return p


def load_wikiweasel(path: str | Path, split: str = "dev") -> pd.DataFrame:
    """Read a WikiWeasel CSV file (columns ``text``, ``label``).

    Parameters
    ----------
    path : str or Path
        The CSV file, e.g. ``.../wikiweasel/wikiweasel_dev.csv``, or its folder.
    split : str
        With a folder: read ``wikiweasel_<split>.csv``.

    Returns
    -------
    DataFrame
        ``text`` (detokenised plain text), ``text_ptb`` (as stored), ``label`` (int, 1 = uncertain).

    Raises
    ------
    FramingError
        ``E330`` when the file is missing or unreadable, ``E331`` when columns or labels are wrong.
    """
    p = resolve_file(path, split)
    if not p.is_file():
        raise FramingError("E330", f"WikiWeasel file not found: {str(p)!r} (expected a CSV with columns text,label)")
    try:
        df = pd.read_csv(p, dtype={"text": "string"}, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FramingError("E330", f"cannot read WikiWeasel file {str(p)!r}: {exc}") from exc
    missing = {"text", "label"} - set(df.columns)
    if missing:
        raise FramingError("E331", f"WikiWeasel file {str(p)!r} lacks column(s) {sorted(missing)}")
    labels = pd.to_numeric(df["label"], errors="coerce")
    if labels.isna().any() or not set(labels.unique()) <= {0, 1}:
        raise FramingError("E331", f"WikiWeasel file {str(p)!r}: labels must be 0 or 1")
    ptb = df["text"].fillna("").astype(str)
    return pd.DataFrame(
        {
            "text": [detokenize(t) for t in ptb],
            "text_ptb": ptb.tolist(),
            "label": labels.astype(int).tolist(),
        }
    )
