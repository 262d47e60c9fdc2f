"""Write the API reference of ``framing`` as Markdown pages, from signatures and numpydoc docstrings.

The documentation site calls :func:`render_pages` at build time (through the MkDocs hook in
``scripts/mkdocs_hooks.py``), so the reference can never lag behind the code. Run it by hand to
get the pages as files::

    python scripts/gen_api_docs.py --out build/api-docs

Only the standard library and ``framing`` itself are needed (no mkdocstrings). A module that
cannot be imported because an *optional* third-party package is missing gets a short page that
says so; any other import error is shown on the module's page and logged as a warning (which
fails ``mkdocs build --strict``), so a broken module cannot slip through.
"""

from __future__ import annotations

import argparse
import ast
import html
import importlib
import inspect
import logging
import pkgutil
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

# a child of the "mkdocs" logger, so that MkDocs counts our warnings in --strict mode
log = logging.getLogger("mkdocs.hooks.gen_api_docs")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "framing"

# numpydoc section titles we recognise (anything else is kept as a plain paragraph heading)
_PARAM_SECTIONS = {"Parameters", "Other Parameters", "Attributes", "Returns", "Yields", "Raises", "Warns",
                   "Receives"}
_TEXT_SECTIONS = {"Notes", "References", "See Also", "Examples", "Warnings", "Methods"}
_SECTIONS = _PARAM_SECTIONS | _TEXT_SECTIONS
_ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|attr|data|obj|exc|const|ref):`~?([^`]+)`")
_DOUBLE_TICK = re.compile(r"``(.+?)``")


@dataclass
class ModulePage:
    """One page of the reference: a module, its docstring and its public members."""

    name: str
    path: str  # relative to the api/ folder, e.g. "framing.analysis.md"
    module: ModuleType | None
    skipped_reason: str | None = None
    members: list[tuple[str, Any]] = field(default_factory=list)


# -- discovery ---------------------------------------------------------------------------------

def public_module_names(package: str = PACKAGE) -> list[str]:
    """Dotted names of the package and its public submodules (no ``_private`` parts), sorted."""
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + ".", onerror=lambda n: None):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return sorted(set(names))


def _import(name: str) -> tuple[ModuleType | None, str | None]:
    """Import a module; a missing *optional third-party* dependency gives a reason instead of an error."""
    try:
        return importlib.import_module(name), None
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing and missing != PACKAGE:
            log.info("API docs: %s needs the optional package %s; documented as such", name, missing)
            return None, f"needs the optional package `{missing}`, which is not installed where the docs were built"
        log.warning("API docs: cannot import %s: %s: %s", name, type(exc).__name__, exc)
        return None, f"could not be imported when the docs were built (`{type(exc).__name__}: {exc}`)"
    except Exception as exc:  # a broken module: say so on its page and fail a strict build
        log.warning("API docs: cannot import %s: %s: %s", name, type(exc).__name__, exc)
        return None, f"could not be imported when the docs were built (`{type(exc).__name__}: {exc}`)"


def public_members(module: ModuleType) -> list[tuple[str, Any]]:
    """The members a module exports: its ``__all__``, else public names defined in it."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items()
                 if not n.startswith("_") and getattr(v, "__module__", None) == module.__name__
                 and (inspect.isfunction(v) or inspect.isclass(v))]
    out = []
    for n in names:
        if n.startswith("__") or not hasattr(module, n):
            continue
        out.append((n, getattr(module, n)))
    return out


def collect(package: str = PACKAGE) -> list[ModulePage]:
    """Import every public module and list what it exports."""
    pages = []
    for name in public_module_names(package):
        mod, reason = _import(name)
        page = ModulePage(name=name, path=f"{name}.md", module=mod, skipped_reason=reason)
        if mod is not None:
            page.members = public_members(mod)
        pages.append(page)
    return pages


# -- anchors and cross references ----------------------------------------------------------------

def _defined_here(obj: Any, module: str) -> bool:
    origin = getattr(obj, "__module__", None)
    return not (inspect.isclass(obj) or inspect.isfunction(obj)) or origin == module


def anchor_map(pages: list[ModulePage]) -> dict[str, tuple[str, str]]:
    """Dotted name -> (page path, anchor) for every documented object.

    An object is documented in full on the page of the module that defines it; a re-export
    (e.g. ``framing.Analysis``) points to that place when it is documented, else to its own stub.
    """
    targets: dict[str, tuple[str, str]] = {}
    for page in pages:
        targets.setdefault(page.name, (page.path, _anchor(page.name)))
        for name, obj in page.members:
            if not _defined_here(obj, page.name):
                continue
            qual = f"{page.name}.{name}"
            targets.setdefault(qual, (page.path, _anchor(qual)))
            if inspect.isclass(obj):
                for mname, _ in _class_members(obj):
                    targets.setdefault(f"{qual}.{mname}", (page.path, _anchor(f"{qual}.{mname}")))
    for page in pages:
        for name, obj in page.members:
            if _defined_here(obj, page.name):
                continue
            qual = f"{page.name}.{name}"
            origin = f"{obj.__module__}.{obj.__qualname__}"
            targets.setdefault(qual, targets.get(origin, (page.path, _anchor(qual))))
            if inspect.isclass(obj):
                for mname, _ in _class_members(obj):
                    if f"{origin}.{mname}" in targets:
                        targets.setdefault(f"{qual}.{mname}", targets[f"{origin}.{mname}"])
    return targets


def _anchor(dotted: str) -> str:
    return dotted.replace(".", "-").replace("_", "-").lower()


def _resolve(ref: str, current: str, targets: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    ref = ref.strip().lstrip("~").rstrip("()")
    for cand in (ref, f"{current}.{ref}", f"{PACKAGE}.{ref}"):
        if cand in targets:
            return targets[cand]
    # a short name such as ``Analysis.load`` or ``read_corpus``: unique suffix match
    hits = {v for k, v in targets.items() if k.endswith("." + ref)}
    return hits.pop() if len(hits) == 1 else None


# -- docstring -> Markdown ---------------------------------------------------------------------

def _escape_prose(text: str) -> str:
    """Escape HTML-significant characters outside code spans (docstrings are text, not HTML)."""
    parts = re.split(r"(`+[^`]*?`+)", text)
    for i in range(0, len(parts), 2):
        # RST and Markdown agree on *emphasis* and **strong**, so asterisks are left alone
        parts[i] = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(parts)


def _inline(text: str, current: str, page_path: str, targets: dict[str, tuple[str, str]]) -> str:
    """Sphinx roles -> (linked) code spans, RST literals -> Markdown code, prose escaped."""

    def role(m: re.Match[str]) -> str:
        ref = m.group(1)
        shown = ref.split(".")[-1] if m.group(0).count("~") else ref
        hit = _resolve(ref, current, targets)
        code = f"`{shown}`"
        if hit is None:
            return code
        page, anchor = hit
        href = f"#{anchor}" if page == page_path else f"{page}#{anchor}"
        return f"[{code}]({href})"

    text = _DOUBLE_TICK.sub(lambda m: f"`{m.group(1)}`" if "`" not in m.group(1) else f"`` {m.group(1)} ``", text)
    text = _ROLE.sub(role, text)
    # escape prose between code spans and links we just made
    chunks = re.split(r"(\[`[^`]+`\]\([^)]+\)|`[^`]+`)", text)
    return "".join(c if i % 2 else _escape_prose(c) for i, c in enumerate(chunks))


def _type_links(typ: str, current: str, page_path: str, targets: dict[str, tuple[str, str]]) -> str:
    """A numpydoc type ("Options, optional", "list of Document") with documented class names linked."""
    if "`" in typ or ":" in typ:
        return _inline(typ, current, page_path, targets)
    out = []
    for tok in re.split(r"([A-Za-z_][\w.]*)", typ):
        hit = _resolve(tok, current, targets) if tok[:1].isupper() or "." in tok else None
        if hit is None:
            out.append(_escape_prose(tok))
        else:
            page, anchor = hit
            out.append(f"[`{tok}`]({'#' + anchor if page == page_path else page + '#' + anchor})")
    return "".join(out)


def _split_sections(doc: str) -> list[tuple[str | None, list[str]]]:
    lines = inspect.cleandoc(doc).splitlines()
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and set(nxt.strip()) == {"-"} and len(nxt.strip()) >= 3 and not line.startswith(" "):
            sections.append((line.strip(), []))
            i += 2
            continue
        sections[-1][1].append(line)
        i += 1
    return sections


def _prose(lines: list[str], current: str, page_path: str, targets: dict[str, tuple[str, str]]) -> str:
    """Paragraphs of prose; ``::`` literal blocks and doctest lines become fenced code."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i].strip() if lines[i].lstrip().startswith((">>>", "...")) else lines[i].rstrip())
                i += 1
            out += ["", "```pycon", *block, "```", ""]
            continue
        if line.rstrip().endswith("::"):
            head = line.rstrip()[:-1].rstrip()
            out.append(_inline(head if head.strip() not in ("", ":") else "", current, page_path, targets))
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            indent = None
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                if lines[i].strip():
                    cur = len(lines[i]) - len(lines[i].lstrip())
                    indent = cur if indent is None else min(indent, cur)
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out += ["", "```text", *[b[indent or 0:] for b in block], "```", ""]
            continue
        out.append(_inline(line.strip(), current, page_path, targets) if line.strip() else "")
        i += 1
    return "\n".join(out).strip()


def _param_entries(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """``name : type`` header lines with their indented descriptions."""
    entries: list[tuple[str, str, list[str]]] = []
    for line in lines:
        if not line.strip():
            if entries:
                entries[-1][2].append("")
            continue
        if not line.startswith((" ", "\t")):
            name, _, typ = line.partition(" : ") if " : " in line else (line.rstrip(":"), "", "")
            entries.append((name.strip(), typ.strip(), []))
        elif entries:
            entries[-1][2].append(line.strip())
        else:
            entries.append(("", "", [line.strip()]))
    return entries


def docstring_markdown(doc: str | None, current: str, page_path: str, targets: dict[str, tuple[str, str]]) -> str:
    """A numpydoc docstring as Markdown (sections as bold labels, parameters as a list)."""
    if not doc or not doc.strip():
        return "*No docstring.*"
    parts: list[str] = []
    for title, lines in _split_sections(doc):
        if title is None:
            text = _prose(lines, current, page_path, targets)
            if text:
                parts.append(text)
            continue
        parts.append(f"**{title}**")
        if title in _PARAM_SECTIONS:
            items = []
            for name, typ, desc in _param_entries(lines):
                d = " ".join(x for x in desc if x)
                label = f"`{name}`" if name else ""
                if name and not typ and title in ("Returns", "Yields", "Raises", "Warns", "Receives"):
                    label = _type_links(name, current, page_path, targets)  # a bare type, not a name
                elif typ:
                    typ_md = _type_links(typ, current, page_path, targets)
                    label += f" ({typ_md})" if label else typ_md
                body = _inline(d, current, page_path, targets)
                items.append(f"- {label}{' — ' + body if body else ''}")
            parts.append("\n".join(items))
        else:
            parts.append(_prose(lines, current, page_path, targets))
    return "\n\n".join(p for p in parts if p)


# -- objects -> Markdown ----------------------------------------------------------------------

def _annotation(a: Any) -> str:
    return a if isinstance(a, str) else inspect.formatannotation(a)


def _signature(obj: Any, name: str) -> str:
    """``name(a: int = 1, *, b: str | None = None) -> T``, with annotations as written in the code."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return f"{name}(...)"
    parts = []
    seen_kwonly = False
    params = list(sig.parameters.values())
    for i, p in enumerate(params):
        if p.kind is p.KEYWORD_ONLY and not seen_kwonly:
            parts.append("*")
        if p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL):
            seen_kwonly = True
        stars = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        text = stars + p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += (" = " if p.annotation is not p.empty else "=") + repr(p.default)
        parts.append(text)
        if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(params) or params[i + 1].kind is not p.POSITIONAL_ONLY):
            parts.append("/")
    ret = f" -> {_annotation(sig.return_annotation)}" if sig.return_annotation is not sig.empty else ""
    one = f"{name}({', '.join(parts)}){ret}"
    if len(one) <= 100:
        return one
    return f"{name}(\n" + "".join(f"    {x},\n" for x in parts) + f"){ret}"


def _class_members(cls: type) -> list[tuple[str, Any]]:
    """Public methods, class/static methods and properties defined on the class itself."""
    out: list[tuple[str, Any]] = []
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(raw, (staticmethod, classmethod)):
            out.append((name, raw.__func__))
        elif isinstance(raw, property) or inspect.isfunction(raw):
            out.append((name, raw))
    return out


def _fence(code: str) -> str:
    return f"```python\n{code}\n```"


def render_object(qual: str, name: str, obj: Any, page: ModulePage, targets: dict[str, tuple[str, str]]) -> str:
    """Markdown for one exported object (function, class with members, or data)."""
    anchor = _anchor(qual)
    lines: list[str] = []
    defined = getattr(obj, "__module__", None)
    note = ""
    if defined and defined != page.name and (inspect.isclass(obj) or inspect.isfunction(obj)):
        hit = _resolve(f"{defined}.{obj.__qualname__}", page.name, targets)
        where = f"[`{defined}`]({hit[0]}#{hit[1]})" if hit and hit[0] != page.path else f"`{defined}`"
        note = f"*Defined in {where}.*\n\n"
    if inspect.isclass(obj):
        kind = "exception" if issubclass(obj, BaseException) else "class"
        lines.append(f"### {name} {{#{anchor}}}")
        lines.append(f"*{kind}*\n")
        lines.append(_fence(f"class {_signature(obj, name)}"))
        lines.append(note + docstring_markdown(inspect.getdoc(obj), page.name, page.path, targets))
        if note:
            return "\n\n".join(lines)
        for mname, member in _class_members(obj):
            manchor = _anchor(f"{qual}.{mname}")
            if isinstance(member, property):
                lines.append(f"#### {name}.{mname} {{#{manchor}}}\n\n*property*")
                lines.append(docstring_markdown(member.__doc__, page.name, page.path, targets))
            else:
                lines.append(f"#### {name}.{mname} {{#{manchor}}}")
                lines.append(_fence(_signature(member, mname)))
                lines.append(docstring_markdown(inspect.getdoc(member), page.name, page.path, targets))
    elif callable(obj):
        lines.append(f"### {name} {{#{anchor}}}")
        lines.append(_fence(_signature(obj, name)))
        lines.append(note + docstring_markdown(inspect.getdoc(obj), page.name, page.path, targets))
    else:
        lines.append(f"### {name} {{#{anchor}}}")
        text = repr(obj)
        if len(text) > 400:
            text = text[:400] + " ..."
        lines.append(f"*data* of type `{type(obj).__name__}`\n")
        lines.append(_fence(f"{name} = {text}"))
    return "\n\n".join(lines)


def render_module(page: ModulePage, targets: dict[str, tuple[str, str]]) -> str:
    """The whole Markdown page of one module."""
    out = [f"# {page.name} {{#{_anchor(page.name)}}}", "",
           "<!-- generated by scripts/gen_api_docs.py from the docstrings: edit the code, not this page -->", ""]
    if page.module is None:
        out.append(f"This module {page.skipped_reason}.")
        return "\n".join(out) + "\n"
    out.append(docstring_markdown(inspect.getdoc(page.module), page.name, page.path, targets))
    if page.members:
        out += ["", "## Members", ""]
        for name, obj in page.members:
            out += [render_object(f"{page.name}.{name}", name, obj, page, targets), ""]
    return "\n".join(out).rstrip() + "\n"


def render_index(pages: list[ModulePage]) -> str:
    """The landing page of the reference: one line per module with its summary."""
    out = ["# API reference", "",
           "Generated from the code's signatures and numpydoc docstrings by `scripts/gen_api_docs.py` every time",
           "the site is built, so it always matches the installed version. The names to start with are those",
           "of the top-level package: [`framing`](framing.md). Every coded error and warning is listed in",
           "[Error codes](error-codes.md).", "",
           "| module | summary |", "|---|---|"]
    for p in pages:
        if p.module is None:
            summary = f"*{p.skipped_reason}*"
        else:
            doc = inspect.getdoc(p.module) or ""
            first = doc.strip().split("\n\n")[0].replace("\n", " ")
            summary = _inline(first, p.name, "index.md", {}).replace("|", r"\|")
        out.append(f"| [`{p.name}`]({p.path}) | {summary} |")
    return "\n".join(out) + "\n"


# -- error codes -------------------------------------------------------------------------------

_CODE = re.compile(r"^[EW]\d{3}$")


def _message_text(node: ast.AST | None, source: str) -> str:
    """A message argument as a readable template: f-string fields shown as ``{...}``."""
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            elif isinstance(part, ast.FormattedValue):
                out.append("{" + (ast.get_source_segment(source, part.value) or "...") + "}")
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _message_text(node.left, source) + _message_text(node.right, source)
    return ast.get_source_segment(source, node) or ""


def error_codes(package_dir: Path | None = None) -> list[tuple[str, str, str]]:
    """Every coded error or warning raised or recorded in the package: ``(code, module, message template)``.

    Found in the source (a string ``E123``/``W123`` given to a call, followed by its message, or a
    ``{"code": ..., "reason": ...}`` record), so the list cannot fall behind the code.
    """
    root = package_dir or ROOT / PACKAGE
    found: set[tuple[str, str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call):
                for i, arg in enumerate(node.args):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _CODE.match(arg.value):
                        msg = node.args[i + 1] if i + 1 < len(node.args) else None
                        found.add((arg.value, module, _message_text(msg, source)))
            elif isinstance(node, ast.Dict):
                keys = {k.value: v for k, v in zip(node.keys, node.values)
                        if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                code = keys.get("code")
                if isinstance(code, ast.Constant) and isinstance(code.value, str) and _CODE.match(code.value):
                    found.add((code.value, module, _message_text(keys.get("reason"), source)))
    return sorted(found)


def render_error_codes() -> str:
    """The error-code page: one row per code and place, with the message it gives."""
    out = ["# Error codes", "",
           "<!-- generated by scripts/gen_api_docs.py from the source: edit the code, not this page -->", "",
           "Every problem the toolkit reports has a code: `E…` for errors (the article, file or call could not be",
           "processed), `W…` for warnings (it was processed, but look). Codes group by area: `E0xx` reading a corpus,",
           "`E1xx` lexicons, options and models, `E2xx` analysis and engines, `E3xx` evaluation data, `E4xx`",
           "comparison, classifiers and measures built on an analysis. Errors about single articles are rows of",
           "`Analysis.errors` (the run goes on); others are raised as `framing.FramingError`.", "",
           "This list is extracted from the source code when the site is built; `{...}` stands for a value filled",
           "in when the message is given.", "",
           "| code | where | message |", "|---|---|---|"]
    for code, module, message in error_codes():
        msg = html.escape(" ".join(message.split())).replace("|", "&#124;").replace("`", "&#96;")
        msg = msg.replace("*", "&#42;").replace("_", "&#95;")
        out.append(f"| `{code}` | `{module}` | {msg or '–'} |")
    return "\n".join(out) + "\n"


def render_pages(package: str = PACKAGE) -> dict[str, str]:
    """All reference pages: ``{path relative to docs/api/: markdown}``, including ``index.md``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    pages = collect(package)
    targets = anchor_map(pages)
    out = {"index.md": render_index(pages), "error-codes.md": render_error_codes()}
    for p in pages:
        out[p.path] = render_module(p, targets)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write the pages into a folder."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "build" / "api-docs"), help="folder for the Markdown pages")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = render_pages()
    for rel, text in pages.items():
        (out / rel).write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {len(pages)} pages to {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
