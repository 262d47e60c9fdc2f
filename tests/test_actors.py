"""Actor mentions: alias table, longest match, case rules, user extension, offsets, the seed page."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.extractors.actors import alias_table, find_mentions
from framing.options import Options
from tests.conftest import need_data


def mentions(text: str, **opts) -> list[tuple[str, str]]:
    doc = Document.from_text("t", text)
    return [(text[m["start"]:m["end"]], m["actor"]) for m in find_mentions(doc, Options(**opts))]


def test_names_demonyms_capitals_and_metonyms():
    text = ("Russia and the Russians said Moscow would respond. The Kremlin denied it. "
            "The White House and Downing Street spoke to Brussels. Putin met Zelensky in Kyiv.")
    got = mentions(text)
    assert got == [
        ("Russia", "Russia"), ("Russians", "Russia"), ("Moscow", "Russia"), ("Kremlin", "Russia"),
        ("White House", "United States"), ("Downing Street", "United Kingdom"), ("Brussels", "European Union"),
        ("Putin", "Russia"), ("Zelensky", "Ukraine"), ("Kyiv", "Ukraine"),
    ]


def test_longest_match_wins():
    got = mentions("North Korea and South Korean troops; North Koreans fled. Vladimir Putin spoke.")
    assert got == [("North Korea", "North Korea"), ("South Korean", "South Korea"),
                   ("North Koreans", "North Korea"), ("Vladimir Putin", "Russia")]


def test_us_only_as_uppercase_token():
    assert mentions("Tell us what the US plans.") == [("US", "United States")]
    assert mentions("the USSR and US-led talks") == [("US", "United States")]
    assert mentions("JOIN US TODAY") == []  # shouted text, not the country


def test_un_uppercase_only():
    assert mentions("The UN said the un-named official left.") == [("UN", "United Nations")]
    assert mentions("NATO and Nato, but not nato.") == [("NATO", "NATO"), ("Nato", "NATO")]


def test_may_and_other_ambiguous_names():
    assert mentions("In May the talks resumed.") == []
    assert mentions("Theresa May resigned.") == [("Theresa May", "United Kingdom")]
    assert mentions("Atlanta, Georgia, voted.") == []  # bare Georgia is left out on purpose
    assert mentions("a turkey dinner") == []
    assert mentions("Turkey said so.") == [("Turkey", "Turkey")]


def test_exclusions_absorb_longer_names():
    assert mentions("The Washington Post reported it from Latin America.") == []
    assert mentions("Washington said so.") == [("Washington", "United States")]


def test_possessive_and_hyphen():
    assert mentions("Russia’s war; Ukraine-Russia talks; pro-Russian") == [
        ("Russia", "Russia"), ("Ukraine", "Ukraine"), ("Russia", "Russia"), ("Russian", "Russia")]
    assert mentions("Prussia and Russiagate") == []


def test_user_extension_file(tmp_path):
    f = tmp_path / "extra.tsv"
    f.write_text("actor\talias\ttype\tsource\nGeorgia\tTbilisi\tcountry\tmine\n"
                 "Georgia\tGeorgian government\tcountry\tmine\nAcme Corp\tAcme\torganisation\tmine\n",
                 encoding="utf-8")
    got = mentions("The Georgian government and Acme met in Tbilisi.", actors=str(f))
    assert got == [("Georgian government", "Georgia"), ("Acme", "Acme Corp"), ("Tbilisi", "Georgia")]
    # The built-in table is unchanged for others.
    assert mentions("Acme met.") == []
    assert alias_table(Options(actors=str(f))) is not alias_table(Options())


def test_body_only_skips_boilerplate():
    text = "Support us: donate to fight Russia.\nRussia attacked Kyiv."
    doc = Document.from_text("t", text)
    doc.boilerplate = [(0, text.index("\n"), "donation_appeal")]
    got = [(m["start"], m["actor"]) for m in find_mentions(doc, Options())]
    assert got == [(text.index("Russia attacked"), "Russia"), (text.index("Kyiv"), "Ukraine")]
    assert len(find_mentions(doc, Options(body_only=False))) == 3


def test_offsets_point_at_alias():
    text = "  Blinken warned Pyongyang.\n\nSeoul replied; Paris too.  "
    doc = Document.from_text("t", text)
    for m in find_mentions(doc):
        assert text[m["start"]:m["end"]] == m["alias"]
        assert set(m) == {"start", "end", "actor", "alias"}


def test_table_is_sourced():
    from framing.lexicons import load_lexicon
    rows = load_lexicon("actors")
    assert len(rows) > 500
    assert all(r["source"] and r["actor"] and r["alias"] for r in rows)
    assert {r["type"] for r in rows} <= {"country", "leader", "organisation", "bloc", "exclude"}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.lists(st.sampled_from(["Russia", "US", "us", " ", "\n", "North", "Korea", "“", "é", "مرحبا", "🙂",
                                    "-", "’s", "U.S.", "Nato"]), max_size=40).map("".join))
def test_any_text_valid_offsets(text):
    doc = Document.from_text("h", text)
    for m in find_mentions(doc):
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["alias"]


def test_long_single_line():
    text = ("Russia said no. " * 70000)[:1_000_000]
    got = find_mentions(Document.from_text("big", text))
    assert len(got) >= 60000


# -- the seed page --------------------------------------------------------------------
SEED_BOILERPLATE = [3, 4, 5, 6, 41, 49, 50, 51, 52, 70, 71, 72, 73, 74]


def seed_doc():
    folder = need_data("seed")
    text = (folder / "independent-ukraine-live-2024-11.txt").read_text(encoding="utf-8")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    doc = Document.from_text("seed", text)
    doc.boilerplate = [(starts[i - 1], starts[i - 1] + len(lines[i - 1]), "x") for i in SEED_BOILERPLATE]
    appeal = "Your support makes all the difference."
    doc.boilerplate.append((starts[6], starts[6] + len(appeal), "donation_appeal"))
    return doc, gold


def test_seed_ranking_default_table():
    doc, _ = seed_doc()
    counts = Counter(m["actor"] for m in find_mentions(doc))
    assert [a for a, _ in counts.most_common(3)] == ["Russia", "Ukraine", "North Korea"]


def test_seed_ranking_and_sentiment_with_gold_groups(tmp_path):
    from framing.extractors.sentiment import score_mentions

    doc, gold = seed_doc()
    f = tmp_path / "seed_actors.tsv"
    rows = ["actor\talias\ttype\tsource"]
    rows += [f"{actor}\t{alias}\tcountry\tseed gold.json" for actor, aliases in gold["actors"].items()
             for alias in aliases]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    gold_alias = {a: actor for actor, aliases in gold["actors"].items() for a in aliases}
    ms = [m for m in find_mentions(doc, Options(actors=str(f))) if m["alias"] in gold_alias]
    counts = Counter(m["actor"] for m in ms)
    assert [a for a, _ in counts.most_common(3)] == ["Russia", "Ukraine", "North Korea"]
    score_mentions(doc, ms)
    by_sentence: dict[str, dict[int, list[float]]] = {}
    for m in ms:
        by_sentence.setdefault(m["actor"], {}).setdefault(doc.sentence_of(m["start"]), []).append(m["sentiment"])

    def mean_sentence_sentiment(actor):
        vals = [sum(v) / len(v) for v in by_sentence[actor].values()]
        return sum(vals) / len(vals)

    assert mean_sentence_sentiment("Russia") < mean_sentence_sentiment("South Korea")
