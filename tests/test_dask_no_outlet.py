"""The Dask engine on articles without an outlet (the repetition dict then has the key "")."""

import json

import pandas as pd
import pytest

import framing

pytest.importorskip("distributed", reason="the Dask engine is an optional extra (framing-toolkit[dask])")

APPEAL = "The harbour board meets every second Tuesday in the old customs house by the quay."


@pytest.mark.slow
def test_dask_without_outlets_equals_local(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for shard in range(2):
        rows = [{"doc_id": f"d{shard}-{i}", "text": f"Report {shard}-{i}\nThe mayor said talks number {i} failed.\n"
                 f"{APPEAL}"} for i in range(3)]
        (root / f"part-{shard}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    local = framing.analyze(root)
    dask = framing.analyze(root, engine="dask")
    for t in ["articles", "attributions", "hedges", "mentions", "boilerplate", "texts"]:
        pd.testing.assert_frame_equal(getattr(dask, t), getattr(local, t), check_dtype=False)
    assert (local.boilerplate.kind == "repeated").sum() == 6  # the shared line, counted across both partitions
