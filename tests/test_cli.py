"""The command line: analyze writes loadable tables; exit codes; --help and --version."""

import subprocess
import sys

from click.testing import CliRunner

import framing
from framing.cli import main


def test_version_and_help():
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and framing.__version__ in r.output
    for cmd in ([], ["analyze"], ["show"], ["evaluate"], ["report"]):
        r = CliRunner().invoke(main, [*cmd, "--help"])
        assert r.exit_code == 0 and "Usage" in r.output


def test_analyze_folder_with_a_bad_file(tmp_path):
    corpus = tmp_path / "c" / "outlet-a"
    corpus.mkdir(parents=True)
    (corpus / "one.txt").write_text("Title\nThe mayor said the road would reopen.")
    (corpus / "bad.txt").write_bytes(b"\x00\x00binary")
    r = CliRunner().invoke(main, ["analyze", str(tmp_path / "c"), "-o", str(tmp_path / "out"), "--quiet"])
    assert r.exit_code == 0, r.output
    assert "analysed 1 article(s)" in r.output
    assert "outlet-a/bad" in r.output and "E002" in r.output
    a = framing.Analysis.load(tmp_path / "out")
    assert a.articles.outlet.tolist() == ["outlet-a"]
    assert a.errors.doc_id.tolist() == ["outlet-a/bad"]


def test_exit_code_nonzero_only_when_nothing_analysed(tmp_path):
    (tmp_path / "empty.txt").write_text("  ")
    r = CliRunner().invoke(main, ["analyze", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o"), "--quiet"])
    assert r.exit_code == 1


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "framing.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and framing.__version__ in out.stdout


def test_python_dash_m_framing_is_the_same_command_line():
    r = subprocess.run([sys.executable, "-m", "framing", "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"framing, version {framing.__version__}"


def test_framing_evaluate_stays_callable():
    """Regression: the first call used to replace ``framing.evaluate`` by the subpackage."""
    import pytest

    import framing
    import framing.evaluate.polnear  # noqa: F401  (imports the subpackage, as a first call did)

    for _ in range(2):
        with pytest.raises(framing.FramingError, match="E300"):
            framing.evaluate("no-such-dataset")
    assert callable(framing.evaluate)
