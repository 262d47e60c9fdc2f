"""A fixed gallery of nasty input files: no crash, a correct analysis or a clear per-article error.

Every file is generated here (nothing binary is committed). For every case the test states what
must happen: the article is analysed (``ok``, sometimes with a warning code) or it becomes an
error record with a given code, a ``doc_id``, the source file and a reason. The same must hold in
memory (``framing.analyze``), in the CLI's output folder (``Analysis.load``) and on the CLI's
stderr; every other article is analysed, and every span offset is valid for its text.
"""

from __future__ import annotations

import codecs
import gzip
import json

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import main


def good(tag: str = "") -> str:
    """A readable article; ``tag`` makes every line unique (so no line is boilerplate by repetition)."""
    return (f"Port talks collapse {tag}\nThe minister said on Monday that the {tag} talks had failed.\n"
            f"Officials claimed the {tag} port may close, according to a source close to the talks.")


GOOD = good()
GOOD2 = "Second story\nThe mayor told reporters the road would reopen next week."

# (doc_id, expected): "ok", ("ok", warning code) or ("error", code)
EXPECTED: dict[str, object] = {}


def _put(root, rel, data, expected, doc_id=None):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    (p.write_bytes if isinstance(data, bytes) else lambda d: p.write_text(d, encoding="utf-8", newline=""))(data)
    if doc_id is None:
        doc_id = rel.rsplit(".", 1)[0]
    if expected is not None:
        EXPECTED[doc_id] = expected
    return p


def build_gallery(root):
    """Write the gallery under ``root`` (outlet folder ``gallery``); return the expectations."""
    EXPECTED.clear()
    g = "gallery/"
    _put(root, g + "good.txt", GOOD, "ok")
    _put(root, g + "empty.txt", b"", ("error", "E005"))
    _put(root, g + "whitespace.txt", b"  \n\t \r\n \xc2\xa0 \n", ("error", "E005"))
    _put(root, g + "binary.txt", bytes(range(256)) * 64, ("error", "E002"))
    _put(root, g + "utf16-bom.txt", good("utf16-bom").encode("utf-16"), ("ok", "W002"))
    _put(root, g + "utf16le-nobom.txt", good("utf16le-nobom").encode("utf-16-le"), ("ok", "W002"))
    _put(root, g + "utf16be-nobom.txt", good("utf16be-nobom").encode("utf-16-be"), ("ok", "W002"))
    _put(root, g + "utf8-bom.txt", codecs.BOM_UTF8 + good("utf8-bom").encode(), "ok")
    _put(root, g + "latin1.txt", "Café in Zürich\nThe señor said the crème was très bon.".encode("latin-1"),
         ("ok", "W002"))
    _put(root, g + "invalid-utf8.txt", "Crème brûlée\nThe chef said it was ".encode() + b"\xff\xfe" + b" good.",
         ("error", "E003"))
    _put(root, g + "line-endings.txt",
         "Mixed endings\r\nThe minister said the talks failed.\rOfficials claimed the port may close.\n"
         "A spokesperson said nothing.\r\n\r\n", "ok")
    _put(root, g + "no-sentences.txt", "1234 5678\n--- *** ###\n!!! ??? ...\n3.14 2.71 42 %%%", "ok")
    _put(root, g + "unclosed-quote.txt",
         "Unclosed\nThe minister said: \u201cWe will never give up the port and\nthe talks will go on \u2018for "
         "ever.\nOfficials said \"nothing more", "ok")
    _put(root, g + "rtl.txt", "\u05d7\u05d3\u05e9\u05d5\u05ea\n\u05d4\u05e9\u05e8 \u05d0\u05de\u05e8 "
         "\u05e9\u05d4\u05e9\u05d9\u05d7\u05d5\u05ea \u05e0\u05db\u05e9\u05dc\u05d5.\n\u0642\u0627\u0644 "
         "\u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a "
         "\u0641\u0634\u0644\u062a. The minister said \u202bmixed\u202c text.", "ok")
    _put(root, g + "emoji.txt", "Emoji \U0001F600\nThe minister \U0001F468\u200d\U0001F469\u200d\U0001F467 said "
         "the talks \U0001F525 failed \U0001F1EB\U0001F1F7 today.\n\U0001F44D\U0001F3FD " * 3, "ok")
    # HTML
    _put(root, g + "nested.html", "<html><body>" + "<div>" * 5000 + "<p>The minister said the talks failed.</p>"
         + "</div>" * 5000 + "</body></html>", "ok")
    _put(root, g + "nested-unclosed.html", "<html><body>" + "<div><span>" * 5000 + "<p>The minister said the talks"
         " failed.<p>Officials claimed the port may close", "ok")
    _put(root, g + "unclosed.html", "<html><head><title>Talks fail</title><body><h1>Talks fail<p>The minister "
         "said <b>the talks had failed.<p>Officials claimed <i>the port may close", "ok")
    _put(root, g + "scripts-only.html", "<html><head><style>body{color:red}</style><script>var s = 'The minister "
         "said';</script></head><body><script>alert(1)</script><style>p{}</style><noscript></noscript></body>"
         "</html>", ("error", "E020"))
    _put(root, g + "empty-page.html", b"", ("error", "E020"))
    # CSV
    _put(root, g + "no-text-column.csv", "doc_id,title\nx1,Only a title\n", ("error", "E012"),
         doc_id="no-text-column.csv")
    _put(root, g + "rows.csv",
         'doc_id,outlet,title,text\n'
         'c1,Ledger,Quoted newline,"The minister said\nthe talks, ""sadly"", had failed."\n'
         'c2,Ledger\n'
         'c3,Ledger,Extra,The mayor said the road would reopen.,EXTRA,MORE\n'
         'c4,Ledger,Empty text,\n'
         'c5,Ledger,Crlf,"The mayor said\r\nit was fine."\r\n', None)
    EXPECTED.update({"c1": "ok", "c2": ("error", "E005"), "c3": "ok", "c4": ("error", "E005"),
                     "c5": "ok"})
    _put(root, g + "mixed-bytes.csv", b"doc_id,text\nc7,The chef said it was tr\xc3\xa8s bon.\n"
         b"c8,The chef said it was \xff bad.\nc9,The mayor said the road reopened.\n", None)
    EXPECTED.update({"c7": "ok", "mixed-bytes.csv:3": ("error", "E003"), "c9": "ok"})
    _put(root, g + "latin1.csv", "doc_id;text\nc10;Le maire a dit: \u00e7a va tr\u00e8s bien.\n".encode("latin-1"),
         None)
    EXPECTED["c10"] = "ok"
    _put(root, g + "utf16.tsv", "doc_id\ttext\nc11\tThe mayor said the road would reopen.\n".encode("utf-16"), None)
    EXPECTED["c11"] = "ok"
    # A quote that never closes (or closes with a stray, undoubled quote mark) must not swallow the rows after it.
    _put(root, g + "unclosed-quote.csv",
         'doc_id,text\n'
         'q1,"The mayor said the road reopened."\n'
         'q2,"The minister said the port\n'
         'q3,"The minister said "no" to the plan\n'
         'q4,The mayor said the bridge reopened.\n'
         'q5,"Officials said the talks failed.', None)
    EXPECTED.update({"q1": "ok", "unclosed-quote.csv:3": ("error", "E013"), "q3": "ok", "q4": "ok", "q5": "ok"})
    _put(root, g + "extra-header.csv", "text,doc_id,unused,also_unused\n\"The mayor said so.\",c6,1,2\n", None)
    EXPECTED["c6"] = "ok"
    # JSON Lines
    deep = "[" * 5000 + "]" * 5000
    lines = [
        json.dumps({"doc_id": "j1", "outlet": "Ledger", "text": GOOD}),
        "{not json",
        "[1, 2, 3]",
        '"just a string"',
        json.dumps({"doc_id": "j2", "title": "no text field"}),
        json.dumps({"doc_id": "j3", "text": 42}),
        json.dumps({"doc_id": "j4", "text": ""}),
        '{"doc_id": "j5", "text": "A lone \\ud800 surrogate, the minister said."}',
        json.dumps({"doc_id": "j1", "text": GOOD2}),  # duplicate id -> j1#2
        json.dumps({"doc_id": "j6", "outlet": "Never Heard Of It \U0001F984", "text": GOOD2}),
        json.dumps({"doc_id": "j7", "outlet": None, "text": GOOD2}),
        json.dumps({"doc_id": "j8", "text": "The minister said\u2028the line separator\u2029is text."}),
        '{"doc_id": "j9", "nested": ' + deep + ', "text": "deep"}',
        json.dumps({"doc_id": "j10", "text": "NUL \u0000 inside, the minister said."}),
        json.dumps({"doc_id": "j12", "text": "   \n\t  "}),
    ]
    body = "\n".join(lines).encode() + b"\n" + b'{"doc_id": "j11", "text": "caf\xc3\xa9 and \xff said"}\n' + \
        b'\r\n\n{"doc_id": "j13", "text": "The minister sa'
    _put(root, g + "records.jsonl", body, None)
    EXPECTED.update({"j1": "ok", "records.jsonl:2": ("error", "E011"), "records.jsonl:3": ("error", "E010"),
                     "records.jsonl:4": ("error", "E010"), "j2": ("error", "E004"), "j3": ("error", "E004"),
                     "j4": ("error", "E005"), "j5": ("ok", "W004"), "j1#2": ("ok", "W001"), "j6": "ok", "j7": "ok",
                     "j8": "ok", "records.jsonl:13": ("error", "E011"), "j10": ("error", "E002"),
                     "j12": ("error", "E005"), "records.jsonl:16": ("error", "E003"),
                     "records.jsonl:19": ("error", "E011")})
    # compressed
    _put(root, g + "ok.jsonl.gz", gzip.compress((json.dumps({"doc_id": "z1", "text": GOOD2}) + "\n").encode()), None)
    EXPECTED["z1"] = "ok"
    _put(root, g + "broken.jsonl.gz", b"\x1f\x8b\x08\x00garbage, not a gzip stream", ("error", "E007"),
         doc_id="broken.jsonl.gz")
    return dict(EXPECTED)


# -- checks ---------------------------------------------------------------------------------------

OFFSET_PAIRS = {"attributions": [("start", "end"), ("speaker_start", "speaker_end"), ("quote_start", "quote_end"),
                                 ("content_start", "content_end")],
                "hedges": [("start", "end")], "mentions": [("start", "end")], "boilerplate": [("start", "end")]}


def assert_offsets_valid(a: framing.Analysis) -> int:
    """Every span in every table lies inside its article's text; returns the number of spans checked."""
    lengths = dict(zip(a.texts.doc_id, a.texts.text.str.len()))
    assert set(lengths) == set(a.articles.doc_id)
    checked = 0
    for table, pairs in OFFSET_PAIRS.items():
        df = getattr(a, table)
        assert set(df.doc_id) <= set(lengths), f"{table} has rows for articles without text"
        for s_col, e_col in pairs:
            for doc_id, s, e in zip(df.doc_id, df[s_col], df[e_col]):
                if pd.isna(s) and pd.isna(e):
                    continue
                assert not pd.isna(s) and not pd.isna(e), (table, s_col, doc_id, s, e)
                assert 0 <= int(s) < int(e) <= lengths[doc_id], (table, s_col, doc_id, s, e, lengths[doc_id])
                checked += 1
    for doc_id, share in zip(a.articles.doc_id, a.articles.boilerplate_share):
        assert pd.isna(share) or 0.0 <= share <= 1.0, (doc_id, share)
    return checked


def check_against_expectations(a: framing.Analysis, expected: dict[str, object]) -> None:
    errs = a.errors
    assert errs.doc_id.notna().all() and errs.source.notna().all(), errs
    assert (errs.reason.str.len() > 5).all() and errs.code.str.match(r"^[EW]\d{3}$").all(), errs
    hard = errs[errs.severity == "error"]
    assert not hard.doc_id.duplicated().any(), hard
    assert "E201" not in set(hard.code), "internal error in an extractor:\n" + hard.to_string()
    analysed = set(a.articles.doc_id)
    for doc_id, exp in expected.items():
        kind, code = (exp, None) if isinstance(exp, str) else exp
        rows = errs[errs.doc_id == doc_id]
        if kind == "ok":
            assert doc_id in analysed, f"{doc_id} not analysed; errors: {rows.to_dict('records')}"
            assert (rows.severity == "error").sum() == 0, rows
            if code:
                assert code in set(rows.code), (doc_id, code, rows.to_dict("records"))
        else:
            assert doc_id not in analysed, doc_id
            assert code in set(rows[rows.severity == "error"].code), (doc_id, code, errs.to_dict("records"))
    ok = {d for d, e in expected.items() if (e if isinstance(e, str) else e[0]) == "ok"}
    assert analysed == ok, f"analysed but not expected: {analysed - ok}; missing: {ok - analysed}"
    assert set(hard.doc_id) == {d for d in expected if d not in ok}


def same_table(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal tables, with missing values compared as missing (None and NaN alike, as after a Parquet round trip)."""
    def norm(df):
        df = df.reset_index(drop=True).astype(object)
        return df.where(df.notna(), None)

    pd.testing.assert_frame_equal(norm(left), norm(right), check_dtype=False)


def check_contents(a: framing.Analysis) -> None:
    """Spot checks that the nasty-but-readable cases were read *correctly*, not just without a crash."""
    for doc_id in ("gallery/utf16-bom", "gallery/utf16le-nobom", "gallery/utf16be-nobom", "gallery/utf8-bom"):
        assert a.text(doc_id) == good(doc_id.split("/")[1]), doc_id
        assert "said" in set(a.attributions[a.attributions.doc_id == doc_id].cue), doc_id
    assert a.text("gallery/latin1").startswith("Café in Zürich\nThe señor said the crème")
    assert a.text("gallery/line-endings").count("\r") == 4  # the text as read, offsets point into it
    assert a.text("c1") == 'The minister said\nthe talks, "sadly", had failed.'
    assert a.text("c5") == "The mayor said\r\nit was fine."
    assert a.text("j5") == "A lone \ufffd surrogate, the minister said."
    assert a.text("j8") == "The minister said\u2028the line separator\u2029is text."
    assert a.text("j1#2") == GOOD2
    assert a.text("c7") == "The chef said it was tr\u00e8s bon." and a.text("c10").endswith("tr\u00e8s bien.")
    assert a.text("c11") == "The mayor said the road would reopen."
    assert {"latin1.csv", "utf16.tsv"} <= set(a.errors.loc[a.errors.code == "W002", "doc_id"])
    warned = set(a.errors.loc[a.errors.code == "W003", "doc_id"])  # short and long CSV rows are reported
    assert {"rows.csv:4", "rows.csv:5"} <= warned
    assert a.text("q4") == "The mayor said the bridge reopened."  # not swallowed by q2's or q3's open quote
    assert a.text("q5") == "Officials said the talks failed."  # the last row's quote never closes: read, and warned
    # rows whose quoting is wrong within their own line are read leniently, with a warning
    assert {"unclosed-quote.csv:4", "unclosed-quote.csv:6"} <= set(a.errors.loc[a.errors.code == "W005", "doc_id"])
    art = a.articles.set_index("doc_id")
    assert art.loc["j6", "outlet"] == "Never Heard Of It \U0001F984"
    assert art.loc["j7", "outlet"] == "gallery"  # a null outlet falls back to the folder name
    assert "The minister said the talks failed." in a.text("gallery/nested")
    assert "Officials claimed the port may close" in a.text("gallery/nested-unclosed")
    assert "Officials claimed the port may close" in a.text("gallery/unclosed")
    for doc_id in ("gallery/rtl", "gallery/emoji"):
        for _, r in a.spans("attributions", doc_id).iterrows():
            assert r.text == r.cue or r.text.lower() == str(r.cue).lower()


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    root = tmp_path_factory.mktemp("gallery") / "corpus"
    return root, build_gallery(root)


def test_gallery_in_memory(gallery):
    root, expected = gallery
    a = framing.analyze(root)
    check_against_expectations(a, expected)
    check_contents(a)
    assert assert_offsets_valid(a) > 0


def test_gallery_cli_output_folder_and_stderr(gallery, tmp_path):
    root, expected = gallery
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", str(root), "-o", str(out), "--quiet", "--chunk-size", "7"])
    assert r.exit_code == 0, r.output + (r.stderr or "")
    a = framing.Analysis.load(out)
    check_against_expectations(a, expected)
    check_contents(a)
    assert_offsets_valid(a)
    hard = a.errors[a.errors.severity == "error"]
    assert f"{len(hard)} article(s) could not be analysed" in r.stderr
    for row in hard.itertuples():  # every failed article is named on stderr with its code, reason and file
        assert f"{row.doc_id} [{row.code}] {row.reason} ({row.source})" in r.stderr
    # same tables as the in-memory analysis (the chunked run changes nothing)
    mem = framing.analyze(root)
    for t in ("articles", "attributions", "hedges", "mentions", "boilerplate", "texts"):
        same_table(getattr(a, t), getattr(mem, t))
    key = ["doc_id", "code"]
    same_table(a.errors.sort_values(key), mem.errors.sort_values(key))


def test_each_error_names_its_source_file(gallery):
    root, _ = gallery
    a = framing.analyze(root)
    for row in a.errors.itertuples():
        path = str(row.source).rsplit(":", 1)[0] if ".jsonl:" in row.source or ".csv:" in row.source else row.source
        assert (root / "gallery").as_posix() in path.replace("\\", "/"), row


def test_huge_inputs(tmp_path):
    """A 10 MB article is refused with a clear reason (over max_chars); a single 1 MB line is analysed."""
    root = tmp_path / "big"
    root.mkdir()
    para = "The minister said the talks had failed. Officials claimed the port may close. "
    (root / "huge-10mb.txt").write_text("Huge\n" + (para * 80 + "\n") * 1700, encoding="utf-8")
    filler = "the harbour board met again and the weather was mild for the season while traders waited "
    (root / "one-line-1mb.txt").write_text(("The mayor said the road would reopen. " + filler * 20) * 560,
                                           encoding="utf-8")
    (root / "small.txt").write_text(GOOD, encoding="utf-8")
    assert (root / "huge-10mb.txt").stat().st_size > 10_000_000
    assert (root / "one-line-1mb.txt").stat().st_size > 1_000_000
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", str(root), "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    a = framing.Analysis.load(out)
    assert sorted(a.articles.doc_id) == ["one-line-1mb", "small"]
    err = a.errors.set_index("doc_id").loc["huge-10mb"]
    assert err.code == "E202" and "max_chars" in err.reason and str(root) in err.source
    assert "huge-10mb [E202]" in r.stderr
    assert len(a.text("one-line-1mb")) > 1_000_000 and "\n" not in a.text("one-line-1mb")
    assert (a.attributions.doc_id == "one-line-1mb").sum() >= 500
    assert_offsets_valid(a)


def test_dataframe_and_list_inputs_with_bad_rows():
    df = pd.DataFrame({"doc_id": ["a", "a", "b", "c", None, "e"],
                       "outlet": ["X", "X", None, "Y", "Y", float("nan")],
                       "text": [GOOD, GOOD2, "", None, GOOD2, 3.5]})
    a = framing.analyze(df)
    assert list(a.articles.doc_id) == ["a", "a#2", "dataframe:5"]
    codes = dict(zip(a.errors.doc_id, a.errors.code))
    assert codes["a#2"] == "W001" and codes["b"] == "E005" and codes["c"] == "E004" and codes["e"] == "E004"
    assert_offsets_valid(a)
    b = framing.analyze([GOOD, None, b"bytes", "   ", GOOD2])
    assert list(b.articles.doc_id) == ["doc1", "doc5"]
    assert dict(zip(b.errors.doc_id, b.errors.code)) == {"doc2": "E004", "doc3": "E004", "doc4": "E005"}
