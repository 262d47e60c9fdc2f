"""run.json: what a run did (toolkit version, options, lexicon and model versions, input fingerprint)."""

import json
import re

from click.testing import CliRunner

import framing
from framing.cli import main
from framing.lexicons import available_lexicons, lexicon_version


def _corpus(root):
    (root / "ledger").mkdir(parents=True)
    (root / "ledger" / "one.txt").write_text("Talks\nThe minister said the talks had failed.", encoding="utf-8")
    (root / "ledger" / "two.txt").write_text("Road\nThe mayor claimed the road may reopen.", encoding="utf-8")
    (root / "ledger" / "bad.txt").write_bytes(b"\x00\x01binary")
    return root


def test_cli_run_records_its_provenance(tmp_path):
    root = _corpus(tmp_path / "c")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyze", str(root), "-o", str(out), "--quiet", "--include-boilerplate",
                                  "--chunk-size", "2"])
    assert r.exit_code == 0, r.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["toolkit"] == "framing" and run["version"] == framing.__version__
    assert run["options"] == {**framing.Options().to_dict(), "body_only": False}
    assert run["chunk_size"] == 2 and run["engine"] == "local" and run["n_input_records"] == 2
    assert run["input"] == str(root) and re.fullmatch(r"[0-9a-f]{64}", run["input_fingerprint"])
    assert run["lexicons"] == {name: lexicon_version(name) for name in available_lexicons()}
    assert set(run["rule_files_sha256"]) == {f"{n}.tsv" for n in available_lexicons()}
    sent = run["models"]["sentiment"]
    assert sent["version"] and not str(sent["version"]).startswith("unavailable")
    assert re.fullmatch(r"[0-9a-f]{16}", sent["sha256"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["created"]) and run["python"]
    # the loaded analysis carries it, and the in-memory API computes the same fingerprint
    assert framing.Analysis.load(out).provenance == run
    mem = framing.analyze(root, body_only=False)
    assert mem.provenance["input_fingerprint"] == run["input_fingerprint"]
    assert mem.provenance["lexicons"] == run["lexicons"] and mem.provenance["models"] == run["models"]


def test_fingerprint_follows_the_input(tmp_path):
    root = _corpus(tmp_path / "c")
    fp = framing.analyze(root).provenance["input_fingerprint"]
    assert framing.analyze(root).provenance["input_fingerprint"] == fp
    (root / "ledger" / "two.txt").write_text("Road\nThe mayor claimed the road may reopen!", encoding="utf-8")
    fp2 = framing.analyze(root).provenance["input_fingerprint"]
    assert fp2 != fp
    assert framing.analyze(root, outlet="other").provenance["input_fingerprint"] != fp2  # metadata counts too
