"""The Dask engine on a LocalCluster with 2 workers gives the same tables as the local engine."""

import json

import pandas as pd
import pytest

import framing

pytest.importorskip("distributed", reason="the Dask engine is an optional extra (framing-toolkit[dask])")

APPEAL = "Support our newsroom today: your donation keeps independent reporting free for everyone."


def _corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    n = 0
    for shard in range(3):
        lines = []
        for _ in range(4):
            n += 1
            body = (f"Story {n}\nThe minister said on Monday that talks number {n} had failed.\n{APPEAL}\n"
                    f"Officials claimed Russia may send envoys, according to a source close to the talks.")
            lines.append(json.dumps({"doc_id": f"a{n}", "outlet": "Buzz" if n % 2 else "Ledger", "text": body}))
        lines.append(json.dumps({"doc_id": "a1", "outlet": "Buzz", "text": "A duplicate id said so."}))
        lines.append("{not json")
        (root / f"part-{shard}.jsonl").write_text("\n".join(lines) + "\n")
    return root


@pytest.mark.slow
def test_dask_equals_local(tmp_path):
    root = _corpus(tmp_path)
    local = framing.analyze(root)
    dask = framing.analyze(root, engine="dask")
    for t in ["articles", "attributions", "hedges", "mentions", "boilerplate", "texts"]:
        pd.testing.assert_frame_equal(getattr(dask, t), getattr(local, t), check_dtype=False)
    key = ["doc_id", "code"]
    pd.testing.assert_frame_equal(dask.errors.sort_values(key).reset_index(drop=True),
                                  local.errors.sort_values(key).reset_index(drop=True))
    # the repeated appeal is found across partitions (3 Buzz articles in different shards)
    assert (local.boilerplate.kind == "repeated").sum() > 0


@pytest.mark.slow
def test_dask_to_folder_writes_partitioned_parquet(tmp_path):
    root = _corpus(tmp_path)
    from framing.engines.dask import analyze_dask_to_folder

    counts = analyze_dask_to_folder(root, tmp_path / "out")
    assert counts["partitions"] == 3
    assert len(list((tmp_path / "out" / "parts" / "articles").glob("part-*.parquet"))) == 3
    a = framing.Analysis.load(tmp_path / "out")
    local = framing.analyze(root)
    pd.testing.assert_frame_equal(a.articles, local.articles, check_dtype=False)
