"""The documentation: the site builds offline without warnings, the API reference covers the public API,
codebook scores are generated (not typed), the how-to and tutorial code runs, and the project files
(CITATION.cff, CHANGELOG.md, LICENSE, licence table) agree with the code."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
METHOD_PAGES = ["attribution", "source-types", "hedging", "actor-sentiment", "boilerplate", "readability",
                "loaded-language"]
SECTIONS = ["Definition", "Decision rules", "What it does not capture", "Lexicons and provenance", "Evaluation",
            "Literature", "Methods summary"]


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


# -- the site -----------------------------------------------------------------------------------

def test_mkdocs_build_strict_offline(tmp_path):
    """`mkdocs build --strict` passes: no broken link or anchor, no unimportable module, no missing lexicon."""
    pytest.importorskip("mkdocs")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    site = tmp_path / "site"
    for page in ["index.html", "methods/attribution/index.html", "api/framing/index.html",
                 "project/contributing/index.html", "evaluation/index.html", "benchmarks/index.html",
                 "architecture/index.html"]:
        assert (site / page).is_file(), page
    # generated content really is there: lexicon summaries, includes and versions were expanded
    hedging = (site / "methods/hedging/index.html").read_text(encoding="utf-8")
    assert "framing/lexicons/hedges.tsv" in hedging and "lexicon:" not in hedging
    citing = (site / "project/citing/index.html").read_text(encoding="utf-8")
    assert "cff-version" in citing
    # no page asks a browser to fetch anything from the network to be read
    for html in (p for p in site.rglob("*.html") if p.is_file()):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"https?://", text), f"{html} loads a remote script"


def test_api_reference_covers_public_api():
    gen = _script("gen_api_docs")
    pages = gen.render_pages()
    import framing

    top = pages["framing.md"]
    for name in framing.__all__:
        if name.startswith("__"):
            continue
        assert f"### {name} {{#framing-{name.replace('_', '-').lower()}}}" in top, name
    broken = [p for p, text in pages.items() if "could not be imported" in text]
    assert not broken, f"modules that do not import: {broken}"
    assert "analyze" in pages["framing.api.md"] and "**Parameters**" in pages["framing.api.md"]


def test_api_docstring_rendering_escapes_html_and_links_roles():
    gen = _script("gen_api_docs")
    doc = """Summary with <script>alert(1)</script> & a role :func:`framing.analyze`.

    Parameters
    ----------
    x : int
        The <b>value</b>.

    Examples
    --------
    >>> 1 + 1
    2
    """
    targets = {"framing.analyze": ("framing.api.md", "framing-api-analyze")}
    md = gen.docstring_markdown(doc, "framing", "framing.md", targets)
    assert "<script>" not in md and "&lt;script&gt;" in md and "&amp;" in md
    assert "[`framing.analyze`](framing.api.md#framing-api-analyze)" in md
    assert "- `x` (int) — The &lt;b&gt;value&lt;/b&gt;." in md
    assert "```pycon\n>>> 1 + 1\n2\n```" in md


# -- the codebook -------------------------------------------------------------------------------

@pytest.mark.parametrize("page", METHOD_PAGES)
def test_codebook_page_has_every_section(page):
    text = (DOCS / "methods" / f"{page}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^##\s+(.+)$", text, flags=re.M)
    for section in SECTIONS:
        assert any(h.startswith(section) for h in headings), f"{page}.md has no '{section}' section"
    summary = text.split("## Methods summary", 1)[1]
    assert summary.count(">") >= 3, "the methods summary is a quotable paragraph"
    if page != "readability":  # readability formulas are definitions: there is no annotated data to score them
        assert "scores:begin" in text


def test_codebook_is_linked_from_index_and_nav():
    index = (DOCS / "methods" / "index.md").read_text(encoding="utf-8")
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in METHOD_PAGES:
        assert f"({page}.md)" in index and f"methods/{page}.md" in nav


def test_codebook_scores_are_generated_from_evaluation_json(tmp_path):
    mod = _script("update_codebook_scores")
    page = tmp_path / "m.md"
    page.write_text("# M\n\n<!-- scores:begin dataset=toy metrics=cue_*,f1 -->\nhand-typed 0.99\n<!-- scores:end -->\n"
                    "<!-- scores:begin dataset=polnear -->\n<!-- scores:end -->\n"
                    "<!-- scores:begin dataset=absent -->\n<!-- scores:end -->\n", encoding="utf-8")
    ev = tmp_path / "eval"
    ev.mkdir()
    (ev / "toy.json").write_text(json.dumps({"dataset": "toy", "n": 84, "commit": "abc1234", "metrics": {
        "cue_p": 0.8125, "cue_f1": 0.5, "source_f1": 0.1, "peer_vader_f1": 0.25, "peer_vader_cue_f1": 0.3}}))
    changed = mod.update_pages([page], ev)
    assert changed == [page]
    out = page.read_text(encoding="utf-8")
    assert "hand-typed" not in out and "0.99" not in out
    assert "| metric | framing | vader |" in out
    assert "| `cue_p` | 0.812 | – |" in out and "| `cue_f1` | 0.500 | 0.300 |" in out
    assert "| `f1` | – | 0.250 |" in out and "source_f1" not in out
    assert "n = 84" in out and "abc1234" in out
    assert "No evaluation file for `polnear` yet" in out
    assert "`framing evaluate` does not score `absent` yet" in out
    # idempotent, and --check sees no change afterwards
    assert mod.update_pages([page], ev, check=True) == []
    # a new evaluation makes the page out of date
    (ev / "toy.json").write_text(json.dumps({"dataset": "toy", "n": 84, "metrics": {"cue_p": 0.9, "cue_f1": 0.6}}))
    assert mod.update_pages([page], ev, check=True) == [page]


def test_codebook_scores_marker_errors_are_clear(tmp_path):
    mod = _script("update_codebook_scores")
    page = tmp_path / "m.md"
    page.write_text("<!-- scores:begin metrics=x -->\n<!-- scores:end -->\n", encoding="utf-8")
    with pytest.raises(mod.ScoresError, match="without dataset="):
        mod.update_pages([page], tmp_path)
    page.write_text("<!-- scores:begin dataset=toy -->\n", encoding="utf-8")
    with pytest.raises(mod.ScoresError, match="unbalanced"):
        mod.update_pages([page], tmp_path)


def test_codebook_scores_are_up_to_date():
    """The tables in docs/methods match reports/evaluation/*.json (run the script after `make evaluate`)."""
    mod = _script("update_codebook_scores")
    stale = mod.update_pages(sorted((DOCS / "methods").glob("*.md")), REPO / "reports" / "evaluation", check=True)
    assert not stale, (f"codebook scores out of date in {[p.name for p in stale]}: "
                       "run `python scripts/update_codebook_scores.py`")


# -- code in the tutorials and how-to guides runs as written ----------------------------------------

_BLOCK = re.compile(r"(?P<skip><!--\s*no-run[^>]*-->\s*\n)?```python\n(?P<code>.*?)```", re.S)
RUNNABLE = sorted([*(DOCS / "tutorials").glob("*.md"), *(DOCS / "how-to").glob("*.md"), DOCS / "getting-started.md"])


_DEMO_ANALYSIS: dict = {}


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_documented_code_runs(page, monkeypatch):
    blocks = [m.group("code") for m in _BLOCK.finditer(page.read_text(encoding="utf-8")) if not m.group("skip")]
    if not blocks:
        pytest.skip("no runnable Python block")
    monkeypatch.chdir(REPO)
    import framing

    real_analyze = framing.analyze

    def analyze_demo_once(source, *args, **kwargs):
        """The pages analyse the demo corpus again and again: do it once per session (same call, same result)."""
        if isinstance(source, str) and source == "corpora/demo" and not args and not kwargs:
            if "demo" not in _DEMO_ANALYSIS:
                _DEMO_ANALYSIS["demo"] = real_analyze(source)
            return _DEMO_ANALYSIS["demo"]
        return real_analyze(source, *args, **kwargs)

    monkeypatch.setattr(framing, "analyze", analyze_demo_once)
    namespace: dict = {"__name__": "__docs__"}
    for i, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{page.relative_to(REPO)} block {i} fails: {type(exc).__name__}: {exc}\n---\n{code}")


# -- project files ------------------------------------------------------------------------------

def test_citation_cff_matches_version():
    yaml = pytest.importorskip("yaml")
    import framing

    meta = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert meta["cff-version"] == "1.2.0"
    assert str(meta["version"]) == framing.__version__
    assert meta["license"] == "Apache-2.0" and meta["title"] and meta["authors"]


def test_changelog_has_current_version():
    import framing

    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(framing.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)


def test_license_is_apache_and_agrees_with_pyproject():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    project = _pyproject()
    assert project["license"] in ({"text": "Apache-2.0"}, "Apache-2.0", {"file": "LICENSE"})


def test_every_runtime_dependency_has_a_licence_row():
    project = _pyproject()
    table = (DOCS / "project" / "licensing.md").read_text(encoding="utf-8").lower()
    rows = set(re.findall(r"^\|\s*([a-z0-9_.\-]+)\s*\|", table, flags=re.M))
    missing = []
    for dep in project["dependencies"]:
        name = re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].strip().lower()
        if name not in rows:
            missing.append(name)
    assert not missing, f"add a row to docs/project/licensing.md for: {missing}"


def test_cli_reports_version():
    from click.testing import CliRunner

    import framing
    from framing.cli import main

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and framing.__version__ in result.output


def test_provenance_records_toolkit_and_lexicon_versions():
    """What citing.md tells researchers to report is in every run's provenance."""
    import framing
    from framing.lexicons import available_lexicons, lexicon_version

    prov = framing.analyze(["The minister said the talks had failed."]).provenance
    assert prov["version"] == framing.__version__
    assert prov["lexicons"] == {name: lexicon_version(name) for name in available_lexicons()}
    assert prov["options"] == framing.Options().to_dict()


def test_provenance_records_model_version():
    import json

    import framing

    prov = framing.analyze(["The minister said the talks had failed."]).provenance
    shipped = json.loads((REPO / "framing" / "models" / "sentiment.json").read_text(encoding="utf-8"))["version"]
    recorded = prov["models"].get("sentiment")
    assert recorded is not None, "run provenance does not say which sentiment model was used"
    assert (recorded.get("version") if isinstance(recorded, dict) else recorded) == shipped


def test_error_code_page_lists_every_code_in_the_source():
    gen = _script("gen_api_docs")
    page = gen.render_error_codes()
    in_source = set()
    for path in (REPO / "framing").rglob("*.py"):
        in_source |= set(re.findall(r"[\"']([EW]\d{3})[\"']", path.read_text(encoding="utf-8")))
    listed = set(re.findall(r"^\| `([EW]\d{3})` \|", page, flags=re.M))
    assert in_source and not (in_source - listed), f"codes missing from the error-code page: {in_source - listed}"
    assert "<" not in page.split("|---|---|---|", 1)[1], "messages must be HTML-escaped"


def test_columns_page_lists_exactly_the_columns_of_every_table():
    import framing
    from framing.analysis import TABLES, table_frame

    page = (DOCS / "columns.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", page, flags=re.M | re.S))
    expected = {t: list(table_frame(t, []).columns) for t in TABLES}
    expected["Analysis.actors"] = list(framing.analyze(["Moscow said the talks failed."]).actors.columns)
    for table, columns in expected.items():
        assert table in sections, f"columns.md has no section for {table}"
        documented = re.findall(r"^\| `([a-z_0-9]+)` \|", sections[table], flags=re.M)
        assert documented == columns, f"{table}: documented {documented}, code has {columns}"


def test_every_shipped_lexicon_has_a_version_sourced_rows_and_a_provenance_note():
    """Rules as data, as the codebook promises: a version, a source for every entry, a SOURCES.md section."""
    from framing.lexicons import available_lexicons, lexicon_version, load_lexicon

    sources_md = (REPO / "framing" / "lexicons" / "SOURCES.md").read_text(encoding="utf-8")
    headings = " ".join(re.findall(r"^## (.+)$", sources_md, flags=re.M))
    for name in available_lexicons():
        assert lexicon_version(name) != "unversioned", f"{name}.tsv has no '# version:' line"
        rows = load_lexicon(name)
        assert rows and "source" in rows[0], f"{name}.tsv has no source column"
        unsourced = [r for r in rows if not r["source"].strip()]
        assert not unsourced, f"{name}.tsv: {len(unsourced)} row(s) without a source, e.g. {unsourced[0]}"
        assert f"{name}.tsv" in headings, f"framing/lexicons/SOURCES.md has no section for {name}.tsv"
