"""Loader for NewsMTSC: sentiment toward a named target in a news sentence.

NewsMTSC (Hamborg & Donnay, EACL 2021) has crowd labels of how a sentence treats one
target mention (a person, party or organisation). Files are JSON lines, one sentence per
line, each with its ``targets``: ``from``/``to`` character offsets (``to`` exclusive) and
a ``polarity`` of 2.0 (negative), 4.0 (neutral) or 6.0 (positive). The loader returns one
row per target.

Error codes: ``E350`` file missing or unreadable, ``E351`` malformed record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framing.errors import FramingError

__all__ = ["load_newsmtsc", "resolve_file", "POLARITY"]

POLARITY = {2.0: -1, 4.0: 0, 6.0: 1}
_SPLIT_FILES = {"train": "train.jsonl", "rw": "dev_rw.jsonl", "mt": "dev_mt.jsonl",
                "dev_rw": "dev_rw.jsonl", "dev_mt": "dev_mt.jsonl"}


def resolve_file(path: str | Path, split: str) -> Path:
    """The JSONL file of ``split`` (``train``, ``rw``/``dev_rw``, ``mt``/``dev_mt``, or a file name)."""
    p = Path(path)
    if p.is_dir():
        name = _SPLIT_FILES.get(split, split if split.endswith(".jsonl") else f"{split}.jsonl")
        p = p / name
    if not p.is_file():
        raise FramingError("E350", f"NewsMTSC file not found: {p} (split {split!r}; expected one of "
                                   f"{sorted(set(_SPLIT_FILES.values()))} in the folder)")
    return p


def load_newsmtsc(path: str | Path, split: str = "rw") -> pd.DataFrame:
    """Read one NewsMTSC split as a tidy frame, one row per target.

    Parameters
    ----------
    path : str or Path
        The NewsMTSC folder (holding ``train.jsonl``, ``dev_rw.jsonl``, ``dev_mt.jsonl``) or a file.
    split : str
        ``train``, ``rw`` or ``mt`` (ignored when ``path`` is a file).

    Returns
    -------
    DataFrame
        ``id`` (target id), ``sentence_id``, ``sentence``, ``target_start``, ``target_end``
        (exclusive), ``target`` (the mention text) and ``label`` (-1, 0, 1).
    """
    p = resolve_file(path, split)
    rows = []
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FramingError("E350", f"cannot read NewsMTSC file {p}: {exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            sent = rec["sentence_normalized"]
            for k, t in enumerate(rec["targets"]):
                s, e = int(t["from"]), int(t["to"])
                if not (0 <= s < e <= len(sent)):
                    raise ValueError(f"target offsets {s}-{e} outside the sentence")
                rows.append({
                    "id": f'{rec["primary_gid"]}#{k}',
                    "sentence_id": rec["primary_gid"],
                    "sentence": sent,
                    "target_start": s,
                    "target_end": e,
                    "target": sent[s:e],
                    "label": POLARITY[float(t["polarity"])],
                })
        except (ValueError, KeyError, TypeError) as exc:
            raise FramingError("E351", f"{p}, line {n}: malformed NewsMTSC record: {exc}") from exc
    columns = ["id", "sentence_id", "sentence", "target_start", "target_end", "target", "label"]
    return pd.DataFrame(rows, columns=columns)
