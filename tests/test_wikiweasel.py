"""WikiWeasel loader and evaluation (data-dependent parts skip when the folder is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from framing.datasets.wikiweasel import detokenize, load_wikiweasel
from framing.errors import FramingError


def _ww_dir() -> Path:
    root = os.environ.get("FRAMING_DATA")
    base = Path(root) if root else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    return base / "wikiweasel"


def test_detokenize_ptb() -> None:
    ptb = "Some -LRB- but not all -RRB- say `` it is n't true '' , he 's sure ."
    assert detokenize(ptb) == 'Some (but not all) say "it isn\'t true", he\'s sure.'


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FramingError, match="E330"):
        load_wikiweasel(tmp_path / "nope.csv")


def test_wrong_columns_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "wikiweasel_dev.csv"
    bad.write_text("sentence,y\nfoo,1\n", encoding="utf-8")
    with pytest.raises(FramingError, match="E331"):
        load_wikiweasel(tmp_path)


def test_small_file_end_to_end(tiny_wikiweasel_csv) -> None:
    from framing.evaluate.wikiweasel import evaluate_wikiweasel

    f = tiny_wikiweasel_csv
    out = evaluate_wikiweasel(f, peers=False)
    assert out["n"] == 4
    assert out["uncertain_r"] == 1.0 and out["uncertain_p"] == 1.0


def test_dev_file_loads() -> None:
    path = _ww_dir() / "wikiweasel_dev.csv"
    if not path.is_file():
        pytest.skip(f"WikiWeasel data not found at {path} (set FRAMING_DATA)")
    df = load_wikiweasel(path)
    assert len(df) > 1000 and set(df["label"].unique()) == {0, 1}
    assert not df["text"].str.contains("-LRB-", regex=False).any()
