"""Lint and types: ``ruff check framing tests`` and ``mypy`` (config in pyproject.toml) pass, as in ``make lint``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The documentation generators (owned with the docs) are held to the same rules.
DOC_SCRIPTS = ["scripts/gen_api_docs.py", "scripts/mkdocs_hooks.py", "scripts/update_codebook_scores.py"]


def _tool(name: str) -> str:
    exe = BIN / name
    if exe.is_file():
        return str(exe)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def _run(args: list[str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_ruff_check_package_and_tests():
    proc = _run([_tool("ruff"), "check", "--no-cache", "framing", "tests"])
    assert proc.returncode == 0, f"ruff check framing tests:\n{proc.stdout}{proc.stderr}"


def test_ruff_check_doc_scripts():
    proc = _run([_tool("ruff"), "check", "--no-cache", *DOC_SCRIPTS])
    assert proc.returncode == 0, f"ruff check {' '.join(DOC_SCRIPTS)}:\n{proc.stdout}{proc.stderr}"


@pytest.fixture(scope="module")
def mypy_output() -> str:
    """One mypy run over the package (files from pyproject.toml) and the doc scripts; its error lines."""
    proc = _run([_tool("mypy"), "--no-error-summary", "framing", *DOC_SCRIPTS])
    if proc.returncode not in (0, 1):
        pytest.fail(f"mypy could not run:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def _errors(output: str, prefix: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith(prefix) and ": error:" in ln]


@pytest.mark.slow
def test_mypy_package(mypy_output):
    errors = _errors(mypy_output, "framing/")
    assert not errors, f"{len(errors)} mypy error(s) in framing/:\n" + "\n".join(errors)


@pytest.mark.slow
def test_mypy_doc_scripts(mypy_output):
    errors = _errors(mypy_output, "scripts/")
    assert not errors, "mypy errors in the doc scripts:\n" + "\n".join(errors)


def _public_callables():
    """(qualified name, function) of every public function and method the API reference documents."""
    import importlib
    import importlib.util
    import inspect

    spec = importlib.util.spec_from_file_location("gen_api_docs", REPO / "scripts" / "gen_api_docs.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["gen_api_docs"] = gen
    spec.loader.exec_module(gen)
    for name in gen.public_module_names():
        module = importlib.import_module(name)
        for member, obj in gen.public_members(module):
            if getattr(obj, "__module__", None) != name:
                continue  # documented (and checked) where it is defined
            if inspect.isfunction(obj):
                yield f"{name}.{member}", obj
            elif inspect.isclass(obj):
                for meth, fn in gen._class_members(obj):
                    fn = fn.fget if isinstance(fn, property) else fn
                    if fn is not None:
                        yield f"{name}.{member}.{meth}", fn


def test_public_api_is_annotated():
    """Type hints on the public API: every parameter (self/cls aside) and every return is annotated."""
    import inspect

    missing = []
    for qual, fn in _public_callables():
        sig = inspect.signature(fn)
        params = [p.name for p in sig.parameters.values() if p.name not in ("self", "cls") and p.annotation is p.empty]
        no_return = sig.return_annotation is sig.empty
        if params or no_return:
            missing.append(f"{qual}: {', '.join(params) or '-'}{' (return)' if no_return else ''}")
    assert not missing, f"{len(missing)} public functions lack type hints:\n" + "\n".join(missing)
