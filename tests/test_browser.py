"""The annotated view in a real browser: headless Chromium driven by Selenium.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``.ci/install-browser``, run by
``make test``). Where no browser can be found, only these tests skip, with the reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SEED = "independent-ukraine-live-2024-11.txt"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def _find(*names: str) -> str | None:
    for n in names:
        hit = shutil.which(n) or (n if Path(n).is_file() else None)
        if hit:
            return hit
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary = _find("chromium", "chromium-browser", "/usr/lib/chromium/chromium", "google-chrome")
    driver_path = _find("chromedriver", "/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("no headless Chromium found (install the Debian packages chromium and chromium-driver, "
                    "e.g. with `bash .ci/install-browser` as root)")
    opts = Options()
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.binary_location = binary
    try:
        drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    except Exception as exc:  # a browser that cannot start in this environment
        pytest.skip(f"headless Chromium at {binary} could not start: {type(exc).__name__}: {str(exc)[:300]}")
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def seed_view(test_output):
    import framing
    from framing.view import render_article
    from tests.conftest import need_data

    seed_dir = need_data("seed")
    a = framing.analyze(seed_dir / SEED)
    assert len(a.articles) == 1, a.errors.to_dict("records")
    doc_id = a.articles.doc_id.iloc[0]
    path = render_article(a, doc_id).save(test_output / "view-seed.html")
    return path, a.text(doc_id), a, doc_id


def _open(drv, path: Path, width: int = 1400, height: int = 1000):
    drv.set_window_size(width, height)
    drv.get(path.resolve().as_uri())


def test_seed_view_highlights_legend_and_screenshot(browser, seed_view, test_output):
    from selenium.webdriver.common.by import By

    path, text, a, doc_id = seed_view
    _open(browser, path)
    # the text on the page is the article's text, character for character
    assert browser.execute_script("return document.querySelector('article.fv-text').textContent") == text
    count = {sel: len(browser.find_elements(By.CSS_SELECTOR, sel))
             for sel in (".fv-cue", ".fv-spk", ".fv-q", ".fv-h", ".fv-a", ".fv-bp")}
    n_attr = len(a.spans("attributions", doc_id))
    assert count[".fv-cue"] >= n_attr > 10, count
    assert count[".fv-h"] >= len(a.spans("hedges", doc_id)) > 0, count
    assert count[".fv-bp"] > 0 and count[".fv-spk"] > 0 and count[".fv-q"] > 0, count
    # the donation appeal glued to the first sentence of the body is greyed, the body is not
    bp_text = browser.execute_script(
        "return Array.from(document.querySelectorAll('article .fv-bp')).map(e => e.textContent).join('\\n')")
    assert "Your support makes all the difference." in bp_text
    assert "North Korea has vowed to back Russia" not in bp_text
    # legend: displayed, inside the first screen, with its switches
    legend = browser.find_element(By.CSS_SELECTOR, ".fv-legend")
    assert legend.is_displayed()
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", legend)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    assert len(legend.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")) == 6
    # colour is not the only cue: cue classes differ in border style and badge
    style = browser.execute_script(
        "const f = s => { const e = document.querySelector(s); const c = getComputedStyle(e);"
        " return [c.borderBottomStyle, getComputedStyle(e, '::after').content]; };"
        "return [f('article .fv-cue-neutral'), f('article .fv-cue-distancing'), f('article .fv-cue-emphatic')]")
    assert len({tuple(s) for s in style}) == 3, style
    browser.save_screenshot(str(test_output / "view-seed.png"))
    assert (test_output / "view-seed.png").stat().st_size > 10_000


def test_keyboard_focus_shows_why(browser, seed_view, test_output):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    path, *_ = seed_view
    _open(browser, path)
    ActionChains(browser).send_keys(Keys.TAB).perform()
    # the legend's switches come first, so they can be reached without tabbing through the whole text
    assert browser.execute_script("return document.activeElement.className") == "fv-tg-cue"
    for _ in range(12):
        if browser.execute_script("return !!document.activeElement.dataset.why"):
            break
        ActionChains(browser).send_keys(Keys.TAB).perform()
    info = browser.execute_script(
        "const e = document.activeElement; const c = getComputedStyle(e);"
        "return [e.dataset.why || '', getComputedStyle(e, '::before').content, c.outlineStyle, c.outlineWidth,"
        " getComputedStyle(e, '::before').position]")
    why, before, outline, width, position = info
    assert why, "after the six switches, Tab should reach the first marked span"
    assert why in before and position == "fixed"  # the reason is shown on screen, not only on hover
    assert outline != "none" and float(width.rstrip("px")) >= 2  # visible focus
    browser.save_screenshot(str(test_output / "view-seed-focus.png"))
    # hover shows the reason too (on the innermost highlight under the pointer)
    hedge = browser.execute_script(
        "return [...document.querySelectorAll('article .fv-h[tabindex]')].find(e => !e.querySelector('.fv-m'))")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", hedge)
    ActionChains(browser).move_to_element(hedge).perform()
    shown = browser.execute_script("return getComputedStyle(arguments[0], '::before').content", hedge)
    assert hedge.get_attribute("data-why") in shown and "Hedge" in shown


def test_phone_width_has_no_sideways_scroll(browser, seed_view, test_output):
    path, *_ = seed_view
    _open(browser, path, 390, 844)
    sw, iw = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert sw <= iw + 1, (sw, iw)
    browser.save_screenshot(str(test_output / "view-seed-phone.png"))


HOSTILE_TXT = """Breaking <script>window.__pwned = 1; document.title = 'PWNED'</script> news
<img src=x onerror="window.__pwned = 2; document.title = 'PWNED'">The minister said the talks had failed.
"We will never agree," said <b onmouseover="window.__pwned=3">Ann Lee</b>, officials claimed.
<a href="javascript:window.__pwned=4">Click here to subscribe</a> <svg onload="window.__pwned=5"></svg>
<iframe src="javascript:parent.__pwned=6"></iframe><style>body{display:none}</style>
"""


def _assert_nothing_ran(drv):
    pwned, title = drv.execute_script("return [window.__pwned === undefined ? null : window.__pwned, document.title]")
    assert pwned is None and title != "PWNED", (pwned, title)


def test_hostile_article_runs_no_script(browser, tmp_path, test_output):
    from selenium.webdriver.common.by import By

    from framing.view import show_file

    # control: the same markup *unescaped* does run in this browser, so the check below can fail
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><head><title>ok</title></head><body>{HOSTILE_TXT}</body></html>",
                       encoding="utf-8")
    _open(browser, control)
    assert browser.execute_script("return window.__pwned") is not None

    art = tmp_path / "hostile" / "evil-outlet" / "2026-01-01-evil.txt"
    art.parent.mkdir(parents=True)
    art.write_text(HOSTILE_TXT, encoding="utf-8")
    out = Path(show_file(art, output=test_output / "view-hostile.html"))
    _open(browser, out)
    for el in browser.find_elements(By.CSS_SELECTOR, ".fv-m[tabindex]"):  # focus every mark too
        browser.execute_script("arguments[0].focus()", el)
    _assert_nothing_ran(browser)
    assert browser.find_element(By.CSS_SELECTOR, "article.fv-text").text.count("<script>") == 1
    assert not browser.find_elements(By.CSS_SELECTOR, "script, img, iframe, svg, a, b")
    assert browser.find_element(By.CSS_SELECTOR, ".fv").is_displayed()  # the article's <style> did not apply
    browser.save_screenshot(str(test_output / "view-hostile.png"))


def test_hostile_metadata_runs_no_script(browser, tmp_path):
    """Title, outlet, speaker, actor and boilerplate kind carry markup (hand-built analysis)."""
    from framing.view import render_article, render_comparison, write_worksheet
    from tests.test_view import HOSTILE, IMG, LINK, make_analysis

    text = f"{IMG} said yes.\nPromo {LINK}"
    s = text.index("said")
    a = make_analysis(
        [{"doc_id": "e1", "text": text, "title": f"T {HOSTILE}", "outlet": f"O {IMG}", "url": LINK},
         {"doc_id": "e2", "text": "x", "title": LINK, "outlet": HOSTILE}],
        attributions=[{"doc_id": "e1", "start": s, "end": s + 4, "cue": "said", "cue_class": "neutral",
                       "speaker": IMG, "speaker_start": 0, "speaker_end": len(IMG),
                       "canonical_speaker": HOSTILE, "kind": "indirect", "source_type": "named_person",
                       "rule": HOSTILE}],
        mentions=[{"doc_id": "e1", "start": 0, "end": 4, "actor": HOSTILE, "alias": IMG, "sentiment": -1.0,
                   "sentiment_label": -1}],
        boilerplate=[{"doc_id": "e1", "start": text.index("Promo"), "end": len(text), "kind": IMG,
                      "rule": LINK}])
    pages = [render_article(a, "e1").save(tmp_path / "a.html"),
             render_comparison(a, ["e1", "e2"]).save(tmp_path / "c.html"),
             write_worksheet(a, "e1", tmp_path / "w.html", exercise="news-share", answers=True)]
    for p in pages:
        _open(browser, p)
        for el in browser.find_elements("css selector", ".fv-m[tabindex]"):
            browser.execute_script("arguments[0].focus()", el)
        _assert_nothing_ran(browser)


def test_legend_switches_work_without_script(browser, seed_view, tmp_path):
    from selenium.webdriver.common.by import By

    from framing.view import render_article

    _, _, a, doc_id = seed_view
    page = render_article(a, doc_id, hide=["actors"]).save(tmp_path / "hidden.html")
    _open(browser, page)
    bg = "return getComputedStyle(document.querySelector('article .fv-a')).backgroundColor"
    assert browser.execute_script(bg) == "rgba(0, 0, 0, 0)"  # actors start hidden
    browser.find_element(By.CSS_SELECTOR, ".fv-tg-a").click()
    assert browser.execute_script(bg) != "rgba(0, 0, 0, 0)"  # ticking the box reveals the tint
    browser.find_element(By.CSS_SELECTOR, ".fv-tg-cue").click()
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('article .fv-cue'), '::after').content") == "none"


def test_worksheet_prints_to_pdf(tmp_path, test_output):
    """The worksheet's print styles: the answers start on a new page; PDF output via local Chromium."""
    import re

    from framing.view.pdf import find_chromium
    from tests.test_classroom import DEMO

    if find_chromium() is None:
        pytest.skip("no local Chromium to print with (Debian package chromium)")
    import framing
    from framing.view import write_worksheet

    a = framing.analyze(DEMO / "metro-buzz")
    doc = [d for d in a.articles.doc_id if d.endswith("eu-mercosur-beef-deal")][0]
    pages = {}
    for answers in (False, True):
        pdf = write_worksheet(a, doc, test_output / f"worksheet-news-share{'-answers' if answers else ''}.pdf",
                              exercise="news-share", answers=answers)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages[answers] = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages[False] >= 1 and pages[True] > pages[False]
