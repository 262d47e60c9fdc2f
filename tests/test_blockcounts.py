"""The compact repetition counter gives exactly the counts (and repeated sets) of a plain dict."""

import pickle
import random

import framing.blockcounts as bc
from framing.blockcounts import BlockCounts
from framing.options import Options
from framing.pipeline import outlet_block_counts, repetition_from_counts


def _dict_counts(docs):
    out = {}
    for keys in docs:
        for k in set(keys):
            out[k] = out.get(k, 0) + 1
    return out


def test_counts_equal_a_dict_across_many_fold_ins(monkeypatch):
    monkeypatch.setattr(bc, "_MIN_BUFFER", 64)  # force many fold-ins
    rng = random.Random(7)
    pool = [f"{rng.getrandbits(64):016x}" for _ in range(3000)] + ["0" * 16, "f" * 16]
    docs = [{rng.choice(pool) for _ in range(rng.randint(0, 20))} for _ in range(2000)]
    c = BlockCounts()
    for keys in docs:
        c.add_doc(keys)
    expected = _dict_counts(docs)
    assert dict(c.items()) == expected
    assert len(c) == len(expected) and c == expected
    for n in (1, 2, 3, 5):
        assert c.at_least(n) == frozenset(k for k, v in expected.items() if v >= n)
    k = next(iter(expected))
    assert c[k] == expected[k]
    assert "not a key" not in c


def test_update_from_counter_and_dict_and_pickle():
    a, b = BlockCounts(), BlockCounts()
    a.add_doc(["00000000000000aa", "00000000000000bb"])
    b.add_doc(["00000000000000bb", "00000000000000cc"])
    merged = BlockCounts()
    merged.update(a)
    merged.update(b)
    merged.update({"00000000000000cc": 5})
    assert dict(merged.items()) == {"00000000000000aa": 1, "00000000000000bb": 2, "00000000000000cc": 6}
    assert dict(pickle.loads(pickle.dumps(merged)).items()) == dict(merged.items())


def test_outlet_block_counts_matches_the_dict_version():
    from framing.document import split_blocks
    from framing.extractors.boilerplate import block_key

    appeal = "Support our newsroom today: your donation keeps reporting free."
    recs = [{"doc_id": f"d{i}", "outlet": ["A", "B", None][i % 3],
             "text": f"Story {i} has a long enough first paragraph here.\n{appeal}\nShort.\n"
                     f"Paragraph number {i % 4} repeats now and then in this corpus."} for i in range(30)]
    opts = Options()
    counts = outlet_block_counts(recs, opts)
    for outlet in ("A", "B", ""):
        docs = [{block_key(r["text"][s:e]) for s, e in split_blocks(r["text"]) if e - s >= opts.repetition_min_chars}
                for r in recs if (r["outlet"] or "") == outlet]
        assert dict(counts[outlet].items()) == _dict_counts(docs)
    rep = repetition_from_counts(counts, opts)
    plain = repetition_from_counts({o: dict(c.items()) for o, c in counts.items()}, opts)
    assert rep == plain
    assert block_key(appeal) in rep["A"]
