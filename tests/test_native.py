"""The compiled (mypyc) build of the hot modules: the same tables as pure Python, and never a stale build.

``setup.py`` compiles the modules of :data:`framing._native.NATIVE_MODULES` when it can. The
comparison and stale-build tests need such a build and skip without one; the decision logic is
tested on a fake package tree either way.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import framing
from framing import _native

from .conftest import REPO, data_root

COMPILED = framing.native_status()["mode"] == "compiled"
needs_build = pytest.mark.skipif(not COMPILED, reason="no compiled build here (a pure-Python install)")

_SCRIPT = """
import json, os, sys, warnings
warnings.simplefilter("always")
root = os.environ.get("FRAMING_TEST_ROOT")
if root:  # import framing from there, ahead of an editable install's import hook
    sys.meta_path[:] = [f for f in sys.meta_path if not str(getattr(f, "__module__", "")).startswith("__editable__")]
    sys.path.insert(0, root)
import framing
a = framing.analyze(sys.argv[1])
out = {t: getattr(a, t).astype(str).values.tolist() for t in
       ("articles", "attributions", "hedges", "mentions", "boilerplate", "errors")}
out["status"] = framing.native_status()
out["file"] = framing.__file__
print(json.dumps(out))
"""


def _analyse_in_subprocess(corpus: Path, env: dict[str, str]) -> tuple[dict, str]:
    run = subprocess.run([sys.executable, "-c", _SCRIPT, str(corpus)], env={**os.environ, **env},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), run.stderr


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> Path:
    """The invented demo corpus plus, when the shared data is here, 60 real PolNeAR articles."""
    path = tmp_path_factory.mktemp("native") / "corpus.jsonl"
    demo = framing.read_corpus(REPO / "corpora" / "demo")
    rows = [{"doc_id": r.doc_id, "outlet": r.outlet, "text": r.text} for r in demo.itertuples()]
    texts = sorted((data_root() / "polnear" / "dev" / "text").glob("*.txt"))[:60]
    rows += [{"doc_id": f"polnear-{p.stem}", "outlet": "polnear", "text": p.read_text(encoding="utf-8")} for p in texts]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_status_says_what_is_loaded():
    import framing.extractors.attribution as attribution

    status = framing.native_status()
    compiled = not attribution.__file__.endswith(".py")
    assert status["mode"] == ("compiled" if compiled else "pure")
    assert status["modules"]["framing.extractors.attribution"] == ("compiled" if compiled else "source")


@needs_build
def test_compiled_and_pure_python_give_identical_tables(mixed_corpus):
    fast, _ = _analyse_in_subprocess(mixed_corpus, {"FRAMING_PURE": "0"})
    pure, _ = _analyse_in_subprocess(mixed_corpus, {"FRAMING_PURE": "1"})
    assert fast.pop("status")["mode"] == "compiled"
    assert pure.pop("status")["mode"] == "pure"
    assert len(fast["attributions"]) > 100 and len(fast["mentions"]) > 100
    assert fast == pure


@needs_build
def test_a_build_older_than_its_source_is_refused(tmp_path, mixed_corpus):
    copy = tmp_path / "framing"
    shutil.copytree(Path(framing.__file__).resolve().parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "extractors" / "hedging.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")
    out, err = _analyse_in_subprocess(mixed_corpus, {"FRAMING_TEST_ROOT": str(tmp_path), "FRAMING_PURE": "0"})
    assert Path(out["file"]).resolve().parent == copy.resolve()  # the edited copy is what ran
    assert out["status"]["mode"] == "pure"
    assert "framing.extractors.hedging" in out["status"]["reason"]
    assert set(out["status"]["modules"].values()) <= {"source", "not imported"}
    assert "older than the source" in err


# -- the decision, on a fake package tree (runs with or without a compiled build) -------------------

@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    pkg = tmp_path / "framing"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    hashes = {}
    for mod in _native.NATIVE_MODULES:
        src = tmp_path.joinpath(*mod.split(".")).with_suffix(".py")
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text(f"# {mod}\n", encoding="utf-8")
        src.with_name(src.stem + suffix).write_bytes(b"")
        hashes[mod] = _native.source_hash(src)
    (pkg / _native.MANIFEST_NAME).write_text(json.dumps(hashes), encoding="utf-8")
    monkeypatch.setattr(_native, "_PKG", pkg)
    monkeypatch.delenv("FRAMING_PURE", raising=False)
    return pkg


def test_matching_build_is_used(fake_package):
    assert _native._decide()["mode"] == "compiled"


def test_one_edited_source_makes_every_module_load_as_source(fake_package):
    (fake_package / "extractors" / "boilerplate.py").write_text("# changed\n", encoding="utf-8")
    status = _native._decide()
    assert status["mode"] == "pure" and status["force"]
    assert "framing.extractors.boilerplate" in status["reason"] and "framing.document" not in status["reason"]


def test_missing_manifest_or_compiled_file_is_stale(fake_package):
    (fake_package / _native.MANIFEST_NAME).unlink()
    assert _native._decide()["force"]


def test_compiled_modules_without_their_source_are_used(fake_package):
    (fake_package / "extractors" / "hedging.py").unlink()  # e.g. a wheel stripped of sources
    assert _native._decide()["mode"] == "compiled"


def test_framing_pure_wins(fake_package, monkeypatch):
    monkeypatch.setenv("FRAMING_PURE", "1")
    assert _native._decide() == {"mode": "pure", "reason": "FRAMING_PURE is set", "force": True}


def test_no_build_is_plain_python(fake_package):
    for p in fake_package.rglob("*" + importlib.machinery.EXTENSION_SUFFIXES[0]):
        p.unlink()
    status = _native._decide()
    assert status["mode"] == "pure" and not status.get("force")


def _setup_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_framing_setup_probe", REPO / "setup.py")
    assert spec is not None and spec.loader is not None
    setup_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup_module)  # defines the helpers; setup() runs only as __main__
    return setup_module


def test_hot_modules_pass_the_type_check_the_compiler_needs():
    """A type error makes the install fall back to pure Python (slower, silently): catch it here."""
    mypy_api = pytest.importorskip("mypy.api")
    setup_module = _setup_module()
    paths = [str(REPO.joinpath(*m.split(".")).with_suffix(".py")) for m in setup_module.native_modules()]
    limit = sys.getrecursionlimit()
    try:
        out, err, code = mypy_api.run([*setup_module.MYPYC_FLAGS, *paths])
    finally:  # mypy raises the process's recursion limit (to 2**14); later tests expect Python's default
        sys.setrecursionlimit(limit)
    assert code == 0, out + err


def test_setup_compiles_the_modules_the_guard_knows():
    assert _setup_module().native_modules() == list(_native.NATIVE_MODULES)
