"""Attribution span conventions studied on PolNeAR (sources with appositions, post-posed quotes)
and the learned record verifier of ``Options(attribution_univocal=True)`` (it only ever drops
reports nested in another report)."""

from __future__ import annotations

import json
from importlib import resources

import framing.extractors.attribution as A
from framing.document import Document
from framing.extractors.attribution import extract_attributions
from framing.extractors.attribution_model import load_verifier
from framing.options import Options


def run(text: str, **kw) -> list[dict]:
    return extract_attributions(Document.from_text("t", text), Options(body_only=False), **kw)


def _content(text: str, r: dict) -> str | None:
    return text[r["content_start"] : r["content_end"]] if r["content_start"] is not None else None


def test_source_keeps_its_appositions():
    text = (
        "Richard Revesz, director of the Institute for Policy Integrity at New York University’s law "
        "school, said the suing states were exaggerating the reach of the EPA."
    )
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert r["speaker"].startswith("Richard Revesz, director of") and r["speaker"].endswith("law school")
    assert r["canonical_speaker"] == "Richard Revesz" and r["source_type"] == "named_person"
    assert _content(text, r) == "the suing states were exaggerating the reach of the EPA"


def test_apposition_chain_needs_a_name_at_the_clause_start():
    text = "In the end, the officials, speaking on condition of anonymity, said the talks had failed."
    recs = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert all(not (r["speaker"] or "").startswith("In the end") for r in recs)


def test_quote_closed_before_the_source_is_the_content():
    text = "“It never crossed my mind that I was losing it,” she said several months after her release."
    (r,) = [r for r in run(text) if r["cue"] == "said"]
    assert _content(text, r).startswith("“It never crossed") and r["kind"] == "direct"


def test_colon_at_paragraph_end_takes_the_next_paragraph():
    text = "The governor added:\n\nIt is typical of her. She knows nothing.\n\nOther news."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "added"]
    assert _content(text, r).startswith("It is typical of her")


def test_pronoun_contraction_is_not_a_possessive():
    text = "He’s claiming that voting fraud is a big problem."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "claiming"]
    assert r["speaker"].startswith("He")


def test_verifier_ships_as_json():
    raw = resources.files("framing.models").joinpath("attribution_records.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert {"weights", "bias", "threshold", "cv"} <= set(data)
    v = load_verifier()
    assert v is not None and 0.0 < v.threshold < 1.0


def test_verifier_runs_only_when_asked_and_only_drops_nested_reports(monkeypatch):
    text = (
        "Figueroa said the campaign planned to bus in supporters, though she acknowledged it was unlikely "
        "to work. Reid claimed that he had a source who told him Trump had paid no taxes. Officials said "
        "the senator had told reporters that he wanted a vote, and critics said he knew it would fail."
    )
    doc = Document.from_text("t", text)
    kept = extract_attributions(doc, Options(body_only=False, attribution_univocal=True))
    every = run(text)  # the default keeps nested reports
    monkeypatch.setattr(A, "load_verifier", lambda: None)
    assert run(text) == every == extract_attributions(doc, Options(body_only=False, attribution_univocal=True))
    assert kept and len(kept) <= len(every)
    spans = {(r["start"], r["end"]) for r in kept}
    for r in every:
        if (r["start"], r["end"]) in spans:
            continue
        assert any(
            o is not r and o["content_start"] is not None and o["content_start"] <= r["start"] < o["content_end"]
            for o in every
        ), r


def test_split_quotation_is_one_content():
    text = "“Now that I don’t have to be politically correct anymore,” he told the host, “it was demoralizing.”"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "told"]
    assert _content(text, r).startswith("“Now that") and _content(text, r).endswith("demoralizing.”")


def test_source_after_a_double_apostrophe_quote_keeps_its_apposition():
    text = (
        "''It has the important virtue of being fiscally responsible,'' Leonard E. Burman, director of "
        "the Tax Policy Center, said of Mrs. Clinton's plan."
    )
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert r["speaker"].startswith("Leonard E. Burman, director")
    assert _content(text, r).startswith("''It has the important virtue")


def test_quoted_transcript_turns_are_attributed_to_their_label():
    text = (
        "Partial transcript as follows:\n\n"
        "\"WALLACE: Let's start with breaking news on the debate story.\n\n"
        "\"PENCE: Well, look, the question really should be about her record. And that is all.\n\n"
        "BOOM: not a speaker."
    )
    recs = [r for r in run(text, model=False) if r["rule"] == "colon_label"]
    assert [r["speaker"] for r in recs] == ["WALLACE", "PENCE"]
    assert _content(text, recs[1]).endswith("And that is all")


def test_said_comma_participle_is_a_cue_but_the_said_property_is_not():
    text = "“We do not see a link,” the mayor said, adding that it would take more hours."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "adding"]
    assert r["speaker"] == "the mayor" and _content(text, r) == "that it would take more hours"
    assert not [r for r in run("They sold the said property last year.", model=False) if r["cue"] == "said"]


def test_mixed_quotation_marks_close_the_quote():
    # a curly quotation closed by a straight mark: the cue after it is outside the quotation
    text = '“Our roads and bridges are crumbling," she said. "Families endure blackouts.”'
    assert A._quote_spans(text, 0, len(text))[0] == (0, text.index('"') + 1)
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r).startswith('“Our roads and bridges are crumbling,"')
    assert r["speaker"] == "she"
    # a straight pair nested in a curly quotation does not close it
    text = "“He called it \"crazy\" yesterday,” she said."
    assert A._quote_spans(text, 0, len(text)) == [(0, text.index("”") + 1)]


def test_coordinated_verb_takes_no_inverted_source():
    # "... but defended Bernie Sanders": Sanders is the object, not an inverted subject
    text = "Biden complained about the tone of the primary but defended Bernie Sanders as a mainstream candidate."
    assert not [r for r in run(text) if r["speaker"] == "Bernie Sanders"]
    text = "Clinton, who called Sanders shortly after the result, told her supporters, “I still love New Hampshire.”"
    assert not [r for r in run(text) if r["speaker"] == "her supporters"]
    # quotative inversion stays: "…, said officials" / "“…,” wrote Smith"
    text = "The talks had failed, said officials in Kyiv."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert (r["speaker"], r["rule"]) == ("officials", "inverted")
    assert A._may_invert(text, 0, text.index("said"), "say")
    assert not A._may_invert(text, 0, text.index("said"), "defend")


def test_participle_after_a_quote_takes_the_content_after_it():
    text = "“It is up to them,” Lewandowski added, saying it should be up to the prosecutor."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "saying"]
    assert _content(text, r) == "it should be up to the prosecutor"


def test_report_in_an_introductory_subordinate_clause_ends_at_its_comma():
    text = (
        "While Comey said there was clear evidence that Clinton was careless, he said there was no "
        "precedent for a case like hers."
    )
    first = [r for r in run(text, model=False) if r["cue"] == "said"][0]
    assert _content(text, first) == "there was clear evidence that Clinton was careless"
    # a comma inside a quotation does not end it
    text = "Though he said it resulted in “a handful of people, mostly unknown,” filing papers, John disagreed."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "it resulted in “a handful of people, mostly unknown,” filing papers"


def test_model_cue_source_probe_passive_and_evidential():
    # the subject of a passive or of "seem"/"appear" is not the source; a passive's "by" agent is
    ctx = A._Ctx("", A._resources())

    def probe(text: str, cue: str):
        ctx.text, ctx.low = text, text.lower()
        s = text.index(cue)
        (span, rule) = A.source_probe(ctx, text, s, s + len(cue), 0, len(text))
        return (text[span[0] : span[1]] if span else None), rule

    assert probe("Clinton was declared the winner in Maryland.", "declared") == (None, "passive")
    assert probe("The proposal was rejected by 64 percent of the electorate.", "rejected") == (
        "64 percent of the electorate",
        "passive",
    )
    assert probe("The race appeared closer in Ohio.", "appeared") == (None, "passive")
    # one cue with a verb of saying keeps its subject
    assert probe("Sanders appeared to dismiss the email issue.", "appeared to dismiss")[0] == "Sanders"
    assert probe("Sanders has long railed against the banks.", "railed")[0] == "Sanders"


def test_text_before_the_source_without_a_separator_is_not_the_content():
    text = "Adelson has not endorsed anyone in the race, and his spokesman declined to comment on the report."
    (r,) = [r for r in run(text, model=False) if r["cue"].startswith("declined")]
    assert _content(text, r) == "on the report"
    # a post-posed content ends in a separator: "…, officials said"
    text = "The talks had failed, officials said on Monday."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "The talks had failed"
