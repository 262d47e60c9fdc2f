"""Build hook: compile the per-article hot path with mypyc when this machine can.

The package metadata lives in ``pyproject.toml``; this file only adds the optional compiled
modules (listed in ``framing/_native.py``). mypyc turns the type-annotated Python of those
modules into C extensions that give the same results faster (full analysis about 1.2x,
attribution about 1.5x, on real articles). When mypyc or a C
compiler is missing, or ``FRAMING_PURE=1`` is set at install time, the install goes on as
pure Python. A manifest of source hashes is written beside the compiled files so that
``framing`` can refuse a build that no longer matches its source (see ``framing._native``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def native_modules() -> list[str]:
    """The module names in ``framing/_native.py`` (read as text: the package is not importable yet)."""
    text = (HERE / "framing" / "_native.py").read_text(encoding="utf-8")
    block = re.search(r"NATIVE_MODULES: tuple\[str, \.\.\.\] = \((.*?)\)", text, re.S)
    return re.findall(r'"([\w.]+)"', block.group(1)) if block else []


def _say(msg: str) -> None:
    print(f"framing build: {msg}", file=sys.stderr)


# mypy's options for the compiled modules (tests/test_native.py runs the same check).
MYPYC_FLAGS = ("--ignore-missing-imports", "--follow-imports=skip", "--disable-error-code", "annotation-unchecked")
# Commands that compile; metadata steps (egg_info, dist_info, sdist) skip mypyc's type check.
_BUILD_COMMANDS = frozenset({"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"})


def ext_modules() -> list:
    if not _BUILD_COMMANDS.intersection(sys.argv[1:]):
        return []
    if os.environ.get("FRAMING_PURE", "").strip() not in ("", "0"):
        _say("FRAMING_PURE is set: pure-Python install")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _say("mypyc is not available: pure-Python install")
        return []
    paths = [str(Path(*m.split(".")).with_suffix(".py")) for m in native_modules()]
    old = os.getcwd()
    os.chdir(HERE)
    try:
        return mypycify([*MYPYC_FLAGS, *paths],
                        opt_level="3", group_name="framing._native_lib")
    except (Exception, SystemExit) as exc:  # mypyc exits on a type error: that must not block a pure install
        _say(f"mypyc could not compile ({type(exc).__name__}: {exc}): pure-Python install")
        return []
    finally:
        os.chdir(old)


class OptionalBuildExt(build_ext):
    """Compile if possible; on any compiler failure, fall back to the pure-Python package."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            _say(f"compiling failed ({type(exc).__name__}: {exc}): pure-Python install")
            self._remove_outputs()
            return
        if self.extensions:
            self._write_manifest()

    def _package_dir(self) -> Path:
        return Path(self.get_ext_fullpath("framing._native_lib__mypyc")).parent

    def _remove_outputs(self) -> None:
        for ext in self.extensions:
            Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)

    def _write_manifest(self) -> None:
        hashes = {m: hashlib.sha256((HERE / Path(*m.split(".")).with_suffix(".py")).read_bytes()).hexdigest()
                  for m in native_modules()}
        out = self._package_dir() / "_native_manifest.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def get_outputs(self) -> list[str]:
        outs = super().get_outputs()
        return [*outs, str(self._package_dir() / "_native_manifest.json")] if self.extensions else outs


if __name__ == "__main__":  # how pip / setuptools run this file (importing it only defines the helpers)
    setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
