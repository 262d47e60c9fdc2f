"""read_corpus: every format, column mapping, and bad articles that never stop the others."""

import gzip
import json

import pandas as pd
import pytest

from framing import FramingError, FramingWarning, read_corpus


def _ids(df):
    return sorted(df.doc_id)


def test_txt_folder_outlet_from_folder_title_and_date(tmp_path):
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "2026-02-03-talks.txt").write_text("Talks fail\n\nThe minister said talks failed.\n")
    (tmp_path / "courier").mkdir()
    (tmp_path / "courier" / "talks.txt").write_text("Talks collapse\nOfficials claimed the talks failed.")
    df = read_corpus(tmp_path)
    assert _ids(df) == ["courier/talks", "ledger/2026-02-03-talks"]
    row = df.set_index("doc_id").loc["ledger/2026-02-03-talks"]
    assert row.outlet == "ledger" and row.title == "Talks fail" and row.date == "2026-02-03"
    assert row.text.startswith("Talks fail\n")  # offsets index the text as read: nothing stripped
    assert list(df.columns[:7]) == ["doc_id", "outlet", "title", "text", "date", "url", "source"]


def test_jsonl_csv_parquet_with_mapped_columns(tmp_path):
    recs = [{"id": "a", "body": "Police said one man was hurt.", "site": "X"},
            {"id": "b", "body": "The mayor told reporters it was calm.", "site": "Y"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in recs))
    pd.DataFrame(recs).to_csv(tmp_path / "c.csv", index=False)
    pd.DataFrame(recs).to_parquet(tmp_path / "c.parquet")
    for name in ("c.jsonl", "c.csv", "c.parquet"):
        df = read_corpus(tmp_path / name, text_col="body", id_col="id", outlet_col="site")
        assert list(df.doc_id) == ["a", "b"], name
        assert list(df.outlet) == ["X", "Y"], name
        assert df.text[0] == recs[0]["body"]


def test_csv_quoted_newlines_extra_and_missing_columns(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('doc_id,text,outlet\n1,"Line one.\nLine two said.",A\n2,Only text\n3,"Three",B,extra\n')
    df = read_corpus(p)
    assert list(df.doc_id) == ["1", "2", "3"]
    assert df.text[0] == "Line one.\nLine two said."
    warn = df.attrs["errors"]
    assert set(warn.code) == {"W003"} and set(warn.severity) == {"warning"}


def test_csv_without_text_column_is_one_clear_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,body\n1,hello\n")
    with pytest.warns(FramingWarning):
        df = read_corpus(p)
    assert df.empty
    assert "no 'text' column" in df.attrs["errors"].reason[0]


def test_bad_articles_are_reported_and_others_go_on(tmp_path):
    (tmp_path / "good.txt").write_text("Title\nThe minister said talks failed.")
    (tmp_path / "empty.txt").write_text("   \n\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "corrupt.txt").write_bytes("Café said “yes”.".encode() + b"\xff\xfe bad")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owner said it was fine.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes("Title\nThe mayor said so.".encode("utf-16"))
    (tmp_path / "recs.jsonl").write_text('{"doc_id": "j1", "text": "Ok said."}\n{broken\n[1,2]\n{"doc_id": "j4"}\n')
    with pytest.warns(FramingWarning):
        df = read_corpus(tmp_path)
    assert _ids(df) == ["good", "j1", "latin1", "utf16"]
    err = df.attrs["errors"].set_index("doc_id")
    assert err.loc["empty", "code"] == "E005"
    assert err.loc["binary", "code"] == "E002"
    assert err.loc["corrupt", "code"] == "E003" and "byte" in err.loc["corrupt", "reason"]
    assert err.loc["latin1", "severity"] == "warning"
    assert err.loc["recs.jsonl:2", "code"] == "E011"
    assert err.loc["recs.jsonl:3", "code"] == "E010"
    assert err.loc["j4", "code"] == "E004"
    assert df.set_index("doc_id").loc["latin1", "text"].startswith("Café")
    assert all(isinstance(s, str) and s for s in err.source)


def test_duplicate_ids_are_renamed_with_a_warning():
    df = read_corpus(pd.DataFrame({"doc_id": ["a", "a"], "text": ["One said.", "Two said."]}))
    assert list(df.doc_id) == ["a", "a#2"]
    assert df.attrs["errors"].code.tolist() == ["W001"]


def test_list_of_texts_and_missing_path():
    df = read_corpus(["One.", "Two."])
    assert list(df.doc_id) == ["doc1", "doc2"]
    with pytest.raises(FramingError, match="no such file"):
        read_corpus("/nonexistent/corpus")


def test_gzipped_files_and_hidden_files_skipped(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Headline\nBody said."))
    (tmp_path / ".hidden.txt").write_text("secret")
    df = read_corpus(tmp_path)
    assert list(df.doc_id) == ["a"]
