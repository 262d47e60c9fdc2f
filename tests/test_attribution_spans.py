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


# -- content rules of polnear8 (out-of-fold study of matched cues with a wrong or missing content) --------


def _ctx(text: str) -> A._Ctx:
    ctx = A._Ctx(text, A._resources())
    ctx.low = text.lower()
    return ctx


def _span(text: str, span) -> str | None:
    return text[span[0] : span[1]] if span is not None else None


def test_quotation_after_another_verb_of_saying_is_that_verbs():
    text = "The mayor confirmed the plan was dead and added, “We will start over next spring.”"
    recs = run(text, model=False)
    (r,) = [r for r in recs if r["cue"] == "confirmed"]
    assert _content(text, r) == "the plan was dead"
    (r,) = [r for r in recs if r["cue"] == "added"]
    assert _content(text, r) == "“We will start over next spring.”"
    # no verb of saying between the cue and the quotation: the quotation stays the content
    text = "The senator said of the new budget, “It will not pass the House.”"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "“It will not pass the House.”"
    # a verb of saying with its own infinitive does not introduce the quotation
    assert A._said_in(_ctx(text), "he rarely asks donors to call him, “", 0, 35) == -1
    assert A._said_in(_ctx(text), "the plan, telling the crowd, “", 0, 29) == 10
    # "continued by saying, “…”": the manner of the cue itself
    assert A._said_in(_ctx(text), "by saying, “", 0, 11) == -1


def test_that_clause_of_the_cue_keeps_a_later_quotation_out():
    text = "When the mayor suggested that the city would sue, the governor shot back: “Let them try.”"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "suggested"]
    assert _content(text, r) == "that the city would sue"


def test_title_after_the_cue_is_not_the_content():
    text = "Prices fell sharply in the crisis, the author said in her book, “The Long Fall.”"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "Prices fell sharply in the crisis"
    text = "The author said in her book, “Prices will fall again next year.”"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "“Prices will fall again next year.”"


def test_quotation_inside_an_introductory_phrase_is_not_the_content():
    text = "Asked whether the plan is “realistic enough,” 60 percent of the voters said no."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "no"
    # a quotation opening the sentence is the content
    text = "“The plan is realistic enough,” 60 percent of the voters said."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "“The plan is realistic enough,”"


def test_sentence_adverb_before_the_source_is_not_a_content():
    text = "Overall, Democrats appeared pleased with the nominee."
    s = text.index("appeared")
    sp = (text.index("Democrats"), text.index("Democrats") + 9)
    got = A._content(_ctx(text), text, 0, len(text), s, s + 16, sp, "verb_chain", "appear", [], (0, len(text)))
    assert _span(text, got[0]) == "with the nominee"
    text = "The talks have failed, Democrats said."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "The talks have failed"


def test_according_to_after_a_conjunction_takes_the_clause_after():
    for text in (
        "But according to the latest survey, the party is losing ground.",
        "Turnout fell after, according to the survey, the party is losing ground.",
        "It went unnoticed: According to the latest survey, the party is losing ground.",
    ):
        (r,) = [r for r in run(text, model=False) if r["cue"].lower() == "according to"]
        assert _content(text, r) == "the party is losing ground", text
    text = "The party is losing ground, according to the latest survey."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "according to"]
    assert _content(text, r) == "The party is losing ground"


def test_declined_to_comment_and_respond_to():
    text = "A spokeswoman for the ministry declined to comment."
    (r,) = [r for r in run(text, model=False) if r["cue"].startswith("declined")]
    assert _content(text, r) == "to comment"
    text = "Adelson has not endorsed anyone in the race, and his spokesman declined to comment."
    (r,) = [r for r in run(text, model=False) if r["cue"].startswith("declined")]
    assert _content(text, r) == "to comment"
    text = "The school declined to comment Tuesday on reports that the dean had resigned."
    (r,) = [r for r in run(text, model=False) if r["cue"].startswith("declined")]
    assert "the dean had resigned" in _content(text, r)
    text = "A lawyer for the firm did not respond to a request for comment."
    (r,) = [r for r in run(text, model=False) if "respond" in r["cue"]]
    assert _content(text, r) == "a request for comment"
    # "responded to reporters": an addressee, not a content
    text = "The mayor responded to reporters on Monday."
    (r,) = [r for r in run(text, model=False) if "respond" in r["cue"]]
    assert r["content_start"] is None
    text = "Senator Responds To Critics Of Tax Plan"
    (r,) = [r for r in run(text, model=False) if r["cue"] == "Responds"]
    assert _content(text, r) == "Critics Of Tax Plan"


def test_possessive_day_name_is_not_an_adverbial():
    text = "Berg, a donor from Ohio, said Thursday's speeches had changed her mind."
    (r,) = [r for r in run(text, model=False) if r["cue"] == "said"]
    assert _content(text, r) == "Thursday's speeches had changed her mind"
    assert A._ADVERBIAL.match("Thursday's speeches had changed her mind") is None
    assert A._ADVERBIAL.match("Thursday at a news conference") is not None


def test_stimulus_before_a_passive_or_experiencer_cue():
    def stim(text: str, cue: str) -> str | None:
        return _span(text, A._stimulus_before(_ctx(text), text, 0, A._aux_head(text, 0, text.index(cue))))

    assert stim("That is something that worries the party's senators.", "worries") == "that"
    assert stim("Sanders' win, which was projected by the networks, came early.", "was projected") == "which"
    assert stim("Trump, whose views on trade have upset many members, spoke.", "have upset") == "whose views on trade"
    assert stim("He faced a number of arrests documented by local reporters.", "documented") == "a number of arrests"
    assert stim("Trump, for years a registered Democrat, has offended many voters.", "has offended") == "Trump"
    # no noun phrase: an auxiliary or a bare clause before the verb group
    assert stim("The nominee will almost certainly be decided by the delegates.", "decided") is None
    assert stim("It was decided by the delegates.", "decided") is None


def test_target_of_criticism_from_a_source():
    ctx = _ctx("")

    def probe(text: str, cue: str):
        ctx.text, ctx.low = text, text.lower()
        s = text.index(cue)
        span, rule = A.source_probe(ctx, text, s, s + len(cue), 0, len(text))
        return _span(text, span), rule

    assert probe("The House bill has drawn criticism from some senators as well.", "criticism") == (
        "some senators",
        "target",
    )
    assert probe("The House bill was backed by some senators.", "backed") == ("some senators", "passive")
    assert probe("The senators voiced criticism of the bill.", "criticism")[1] != "target"


def test_asked_opening_the_sentence_puts_a_question():
    text = "Asked on Fox News who leads the party, he said Ryan."
    e = len("Asked")
    got = A._content(_ctx(text), text, 0, len(text), 0, e, None, "none", "ask", [], (0, len(text)))
    assert _span(text, got[0]) == "on Fox News who leads the party"
