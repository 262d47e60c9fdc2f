"""Docstring examples are tests: every ``>>>`` example in the package runs and gives the output it shows.

Same as ``pytest --doctest-modules framing``, but part of the normal suite (``make test``), one test per
module that has examples, with the flags the docs rely on (``...`` elides, whitespace is normalised).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

import pytest

import framing

PACKAGE_DIR = Path(framing.__file__).resolve().parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def modules_with_examples() -> list[str]:
    """Dotted names of the package's modules whose source contains a doctest prompt (found without importing)."""
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="framing."):
        rel = Path(*info.name.split(".")[1:])
        path = PACKAGE_DIR / rel / "__init__.py" if info.ispkg else PACKAGE_DIR / rel.with_suffix(".py")
        if path.is_file() and ">>>" in path.read_text(encoding="utf-8"):
            names.append(info.name)
    init = PACKAGE_DIR / "__init__.py"
    if ">>>" in init.read_text(encoding="utf-8"):
        names.append("framing")
    return sorted(names)


MODULES = modules_with_examples()


def _source_copy(name: str):
    """A fresh module object executed from ``name``'s ``.py`` source (the compiled one stays in place)."""
    path = PACKAGE_DIR.joinpath(*name.split(".")[1:]).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(f"_doctest_source_of.{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_some_modules_have_examples():
    assert MODULES, "no docstring example found in the package: the API reference promises runnable examples"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and not exc.name.startswith("framing"):
            pytest.skip(f"{name} needs the optional package {exc.name}")
        raise
    if not str(module.__file__).endswith(".py"):
        # compiled by mypyc (see framing/_native.py): its functions carry no inspectable source, so the
        # examples run against the module's pure-Python source, loaded as a separate copy
        module = _source_copy(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    tests = [t for t in finder.find(module, name) if t.examples]
    # only the module's own objects: re-exported objects are tested where they are defined
    tests = [t for t in tests if t.filename is None or Path(t.filename).resolve() == Path(module.__file__).resolve()]
    for test in tests:
        runner.run(test, out=report.append, clear_globs=True)
    results = runner.summarize(verbose=False)
    assert results.attempted > 0, f"{name}: no example was run"
    assert results.failed == 0, f"{results.failed} docstring example(s) failed in {name}:\n" + "".join(report)
