"""Compiled (mypyc) or pure-Python hot modules, and the guard that keeps a stale build out.

``setup.py`` compiles the modules in :data:`NATIVE_MODULES` with mypyc when it can (a C
compiler and mypy at build time); they then give identical results faster (on real articles,
the full analysis about 1.2x, attribution about 1.5x). Without a compiler the same modules run
as pure Python. Two cases load the pure source even when a compiled build is present:

- ``FRAMING_PURE=1`` in the environment (to compare, debug or profile the Python code);
- the build is stale: a module's source no longer matches the hash recorded when it was
  compiled (an edited checkout of an editable install). Then *all* of them load as source,
  with a :class:`~framing.errors.FramingWarning`, because compiled modules call each other
  directly and a half-compiled set could still run old code.

:func:`native_status` says which case applies.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

__all__ = ["NATIVE_MODULES", "MANIFEST_NAME", "native_status", "source_hash"]

#: The modules ``setup.py`` compiles: the per-article hot path, profiled on real articles.
NATIVE_MODULES: tuple[str, ...] = (
    "framing.document",
    "framing.pipeline",
    "framing.extractors.attribution",
    "framing.extractors.attribution_model",
    "framing.extractors.boilerplate",
    "framing.extractors.hedging",
    "framing.extractors.actors",
    "framing.extractors.sentiment",
    "framing.extractors.readability",
)
#: Written by ``setup.py`` beside the compiled modules: ``{module: sha256 of its source}``.
MANIFEST_NAME = "_native_manifest.json"
_PKG = Path(__file__).resolve().parent
_STATUS: dict[str, Any] = {}


def source_hash(path: str | os.PathLike[str]) -> str:
    """The sha256 of a source file's bytes (what the manifest records)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _source_path(module: str) -> Path:
    return _PKG.parent.joinpath(*module.split(".")).with_suffix(".py")


def _compiled_path(module: str) -> Path | None:
    base = _PKG.parent.joinpath(*module.split("."))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        p = base.with_name(base.name + suffix)
        if p.exists():
            return p
    return None


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Load the listed modules from their ``.py`` source even where a compiled file sits beside it."""

    def __init__(self, modules: tuple[str, ...]):
        self.modules = frozenset(modules)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        src = _source_path(fullname)
        return importlib.util.spec_from_file_location(fullname, src) if src.exists() else None


def _decide() -> dict[str, Any]:
    compiled = {m: _compiled_path(m) for m in NATIVE_MODULES}
    if not any(compiled.values()):
        return {"mode": "pure", "reason": "no compiled build (pure-Python install)"}
    if os.environ.get("FRAMING_PURE", "").strip() not in ("", "0"):
        return {"mode": "pure", "reason": "FRAMING_PURE is set", "force": True}
    try:
        manifest = json.loads((_PKG / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    # A module without its .py beside it (a packager stripped the sources) has nothing to be stale against.
    stale = [m for m in NATIVE_MODULES
             if compiled[m] is None
             or (_source_path(m).exists() and manifest.get(m) != source_hash(_source_path(m)))]
    if stale:
        return {"mode": "pure", "force": True,
                "reason": f"compiled build is older than the source of {', '.join(stale)}; "
                          "reinstall (pip install -e .) to rebuild it"}
    return {"mode": "compiled", "reason": "mypyc build matches the source"}


def install_guard() -> None:
    """Decide once, before any hot module is imported, whether compiled modules may load."""
    if _STATUS:
        return
    status = _decide()
    if status.pop("force", False):
        if any(m in sys.modules for m in NATIVE_MODULES):  # too late to choose; say what runs
            status = {"mode": "mixed", "reason": "hot modules were imported before framing"}
        else:
            sys.meta_path.insert(0, _SourceFirst(NATIVE_MODULES))
            if "older than" in status["reason"]:
                from framing.errors import FramingWarning

                warnings.warn(f"framing: {status['reason']}; running the pure-Python source",
                              FramingWarning, stacklevel=3)
    _STATUS.update(status)


def native_status() -> dict[str, Any]:
    """``{"mode": "compiled" | "pure", "reason": ..., "modules": {module: "compiled" | "source"}}``."""
    install_guard()
    mods = {}
    for m in NATIVE_MODULES:
        mod = sys.modules.get(m)
        f = getattr(mod, "__file__", "") or ""
        mods[m] = ("compiled" if not f.endswith(".py") else "source") if mod else "not imported"
    return {**_STATUS, "modules": mods}


install_guard()  # on import, i.e. before ``framing`` imports any hot module
