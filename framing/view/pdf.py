"""Print a page to PDF with a local headless Chromium (optional; HTML pages print from any browser too).

No download and no network: the browser must already be installed (Debian packages ``chromium``;
``.ci/install-browser``). Without one, :func:`html_to_pdf` raises a clear error that says to save
the HTML file and print it from a browser instead.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from framing.errors import FramingError

__all__ = ["find_chromium", "html_to_pdf"]

log = logging.getLogger(__name__)

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "/usr/lib/chromium/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--no-pdf-header-footer"]


def find_chromium() -> str | None:
    """Path of a local Chromium/Chrome, or ``None``."""
    for name in _NAMES:
        hit = shutil.which(name) or (name if Path(name).is_file() else None)
        if hit:
            return hit
    return None


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, timeout: float = 120) -> Path:
    """Print ``html_path`` (a local file) to ``pdf_path`` with headless Chromium, using the page's print styles."""
    browser = find_chromium()
    if browser is None:
        raise FramingError("E408", "PDF output needs a local Chromium (Debian package 'chromium'); none was "
                                   "found. Write HTML instead (-o sheet.html) and print it, or save it as PDF, "
                                   "from a browser.")
    src, out = Path(html_path).resolve(), Path(pdf_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise FramingError("E409", f"Chromium did not finish printing {src.name} within {timeout:.0f} s") from None
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise FramingError("E409", f"Chromium could not print {src.name} to PDF (exit {proc.returncode}): "
                                   + " | ".join(tail))
    log.info("printed %s to %s", src, out)
    return out
