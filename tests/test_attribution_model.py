"""The learned attribution-cue stage: shipped model, determinism, clear cases, robustness."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.extractors.attribution import extract_attributions
from framing.extractors.attribution_model import MODEL_RULE, load_model, stem
from framing.lexicons import load_lexicon
from framing.options import Options


def run(text: str, **kw) -> list[dict]:
    return extract_attributions(Document.from_text("t", text), Options(body_only=False), **kw)


def test_model_ships_as_json_and_loads_offline():
    raw = resources.files("framing.models").joinpath("attribution_cues.json").read_text(encoding="utf-8")
    data = json.loads(raw)  # plain JSON: vocabulary + weights, no pickle
    assert {"vocabulary", "weights", "bias", "threshold", "cv"} <= set(data)
    m = load_model()
    assert m is not None and len(m.vocab) > 100 and len(m.weights) > 100
    assert 0.0 < m.threshold < 1.0


def test_no_scikit_learn_at_prediction_time():
    code = (
        "import sys\n"
        "from framing.document import Document\n"
        "from framing.extractors.attribution import extract_attributions\n"
        "r = extract_attributions(Document.from_text('x', 'Trump appeared to suggest that the vote was rigged.'))\n"
        "assert any(x['rule'] == 'model:attribution_cues' for x in r), r\n"
        "assert 'sklearn' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_non_lexicon_cue_found_in_clear_case():
    lexicon = {r["cue"].lower() for r in load_lexicon("cues")}
    text = "Trump appeared to suggest that the election was rigged."
    assert "appeared" not in lexicon
    recs = run(text)
    (r,) = [r for r in recs if r["cue"].startswith("appeared")]
    assert r["rule"] == MODEL_RULE and r["cue_class"] == "neutral"
    assert r["speaker"] == "Trump" and r["source_type"] in ("named_person", "named_org")
    assert text[r["content_start"] : r["content_end"]].endswith("the election was rigged")
    assert run(text, model=False) == []  # the rules alone do not see it


def test_model_cue_with_nominal_form_and_possessor():
    # (was "The senator’s criticism ...", a borderline case: 0.03 above the threshold's log-odds with
    # the model before word classes, 0.09 below it with them; the pronoun possessor is a clear case)
    text = "Her criticism of the plan was sharp."
    recs = [r for r in run(text) if r["rule"] == MODEL_RULE]
    assert recs and recs[0]["cue"] == "criticism" and recs[0]["speaker"] == "Her"


def test_word_classes_cover_unseen_inflections():
    from framing.extractors.attribution_model import inflections, load_classes

    classes = load_classes()
    # regular inflections of a listed lemma share its class; irregular forms come from the forms column
    assert "L33_judgment" in classes["applauded"] and "L33_judgment" in classes["criticizes"]
    assert "L37.2_tell" in classes["told"] and "nominal_report" in classes["accusations"]
    assert inflections("rally", "verb") == ["rally", "rallies", "rallied", "rallying"]
    assert inflections("confident", "adj") == ["confident"]


def test_model_generalises_to_class_words_unseen_in_training():
    # "opined" is in no cue list and never a gold cue in train_sample, but it is a say verb (Levin 37.7)
    model = load_model()
    assert "cls=L37.7_say" in model.weights and "w=opined" not in model.weights
    text = "The columnist opined that taxes were too high."
    (r,) = [r for r in run(text) if r["rule"] == MODEL_RULE]
    assert r["cue"] == "opined" and r["speaker"] == "The columnist"


def test_lexicon_class_kept_for_model_cues():
    # a model cue whose form is in the cue lexicon takes the lexicon's class and lemma
    from framing.extractors import attribution as A

    text = "Her supporters claimed victory."
    ctx = A._Ctx(text, A._resources())
    ctx.low = text.lower()
    s = text.index("claimed")
    probe = A.source_probe(ctx, text, s, s + 7, 0, len(text))
    r = A._model_record(ctx, text, s, s + 7, 0, len(text), [], probe)
    assert (r["cue_lemma"], r["cue_class"], r["rule"]) == ("claim", "distancing", MODEL_RULE)
    assert r["speaker"] == "Her supporters"


def test_hard_negatives_of_rules_stay_negative():
    for text in (
        "That said, the economy grew faster than expected.",
        "The castle is said to be haunted.",
        "The said property was sold in 2019.",
    ):
        assert not [r for r in run(text) if r["cue"].lower().startswith("said")]


def test_deterministic():
    text = (
        "Clinton appeared to embrace the plan. Her critics see it as a gift to donors.\n"
        "Republicans are backing the bill, which seems likely to pass, aides said."
    )
    assert run(text) == run(text)


def test_stem():
    assert stem("appeared") == stem("appears") == "appear"
    assert stem("planned") == "plan" and stem("criticism") == "criticism"


_pieces = st.sampled_from(
    [
        "appeared",
        "seems",
        "criticism",
        "backing",
        " that ",
        "“",
        "”",
        '"',
        ",",
        ".",
        "\n",
        "Trump ",
        "her ",
        "has ",
        "said",
        "😀",
        "مرحبا",
        " ",
        "’s ",
        ":",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=40).map("".join))
def test_property_model_stage_offsets_valid(text):
    n = len(text)
    for r in run(text):
        assert 0 <= r["start"] < r["end"] <= n
        for k in ("speaker", "content", "quote"):
            s, e = r[f"{k}_start"], r[f"{k}_end"]
            assert (s is None) == (e is None)
            if s is not None:
                assert 0 <= s < e <= n


def test_refused_cue_words_are_candidates_only_for_reviewed_rules():
    from framing.extractors import attribution as A
    from framing.extractors.attribution_model import CueModel

    text = "Trump went on CNN to say he had never suggested it. Kremlin says it has nothing more to say about it."
    doc = Document.from_text("t", text)
    rej: list = []
    A.extract_attributions(doc, Options(body_only=False), model=False, rejected=rej)
    why = {text[s:e] + "@" + str(s): w for s, e, w in rej}
    first, second = text.index("say he"), text.rindex("to say") + 3
    assert why[f"say@{first}"] == "to" and why[f"say@{second}"] == "to_bare"
    low = text.lower()
    res = A._resources()

    def cands(soft):
        m = CueModel({"vocabulary": ["zzz"], "weights": {}, "bias": 0.0, "threshold": 0.5, "soft_rejects": soft})
        found = A.model_candidates(text, low, doc.sentences, doc.blocks, [], res[0], m, rej)
        return {s: f for s, _e, _ss, _se, _q, f in found}

    got = cands(["to"])
    assert "rej=to" in got[first] and second not in got  # a bare infinitive stays a hard negative
    assert cands([]) == {}


def test_capitalised_cue_after_a_name_stays_refused():
    from framing.extractors import attribution as A

    for text, w in (("Edward Said wrote many books.", "cap_name"), ("Asked about it, Trump shrugged.", None)):
        rej: list = []
        A.extract_attributions(Document.from_text("t", text), Options(body_only=False), model=False, rejected=rej)
        assert [r[2] for r in rej if r[2].startswith("cap")] == ([w] if w else [])
