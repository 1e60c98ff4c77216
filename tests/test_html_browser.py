"""HTML reports opened in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

What a reader sees: every highlight sits on exactly the characters its offsets give, the article
runs right to left, an explanation appears on hover and on keyboard focus, an article's
``<script>`` stays text, and the page fetches nothing. Screenshots are written to
``$FRAMING_SCREENSHOTS`` (default: the test's temporary directory) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from framing import Scorer, score
from framing.cli import main
from framing.render.html import article_page

from .conftest import DATA, EXAMPLES

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

# The article's text as the page holds it, leaving out the explanations ([data-ui]); for each
# highlight, its first and last character counted in code points (Python's offsets) and its text.
READ_PAGE = """(root) => {
  const out = {text: "", marks: {}};
  let pos = 0;
  const walk = (node, mark) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const n = [...child.data].length;
        if (mark) {
          const e = out.marks[mark] || (out.marks[mark] = {start: pos, text: ""});
          e.text += child.data; e.end = pos + n;
        }
        out.text += child.data; pos += n;
      } else if (child.nodeType === Node.ELEMENT_NODE && !child.hasAttribute("data-ui")) {
        walk(child, child.dataset.m || mark);
      }
    }
  };
  walk(root, null);
  return out;
}"""

# Horizontal centres of the first character of the article and of a later one on the same line.
FIRST_LINE = """(root) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT,
    {acceptNode: (n) => n.parentElement.closest("[data-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                            return r.getBoundingClientRect(); };
  let first = null, count = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (node.data[i] === " " || node.data[i] === "\\n") continue;
      const box = at(node, i);
      if (first === null) first = box;
      else if (++count > 8 && Math.abs(box.top - first.top) < 2) return [first.left, box.left];
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "install Debian's chromium (apt-get install chromium): .ci/run does"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path):
    where = Path(os.environ.get("FRAMING_SCREENSHOTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, requests


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_highlights_sit_on_their_offsets_right_to_left(browser, tmp_path, shots, path):
    out = tmp_path / f"{path.stem}.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    text = path.read_text(encoding="utf-8")
    s = score(text)
    page, requests = _open(browser, out)
    root = page.locator(".article")
    seen = root.evaluate(READ_PAGE)
    assert seen["text"] == text
    matches = sorted(s.matches, key=lambda m: m.start)
    assert len(seen["marks"]) == len(matches) > 0
    for i, m in enumerate(matches):
        assert seen["marks"][f"m{i}"] == {"start": m.start, "end": m.end, "text": m.text}
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert root.evaluate("e => getComputedStyle(e).direction") == "rtl"
    first, later = root.evaluate(FIRST_LINE)
    assert first > later  # the first character is on the right, the line runs leftward
    page.screenshot(path=str(shots / f"report-{path.stem}.png"), full_page=True)
    assert requests == [out.as_uri()]
    page.close()


def test_explanation_on_hover_and_on_focus(browser, tmp_path, shots):
    s = Scorer(DATA / "mini").score("قصفت ميليشيات حفتر الأحياء السكنية، وقال المتحدث باسم حكومة الوفاق إن «قواتنا "
                                    "الباسلة تتقدم».")
    out = tmp_path / "mini.html"
    out.write_text(article_page(s), encoding="utf-8")
    page, _ = _open(browser, out)
    index = next(i for i, m in enumerate(sorted(s.matches, key=lambda m: m.start)) if m.term == "ميليشيات")
    tip = page.locator(f"#m{index}-tip")
    assert not tip.is_visible()
    page.hover(f"#m{index}")
    assert tip.is_visible()
    words = tip.inner_text()
    assert "LNA" in words and "construct" in words and "narrator" in words and "terms.tsv:" in words
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    page.keyboard.press("Tab")  # the first highlight takes the focus from the keyboard
    assert page.evaluate("document.activeElement.dataset.m") == "m0"
    for _ in range(index):
        page.keyboard.press("Tab")
    assert tip.is_visible()
    page.screenshot(path=str(shots / "report-focus.png"))
    # the statement is set apart, with its speaker
    label = page.locator(".statement").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"quoted · GNA"'
    page.close()


def test_script_in_an_article_stays_text(browser, tmp_path):
    s = score('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> قصفت ميليشيات حفتر طرابلس.',
              meta={"title": "<script>window.pwned = 3</script>"})
    out = tmp_path / "hostile.html"
    out.write_text(article_page(s), encoding="utf-8")
    page, requests = _open(browser, out)
    assert page.evaluate("window.pwned") is None
    assert page.locator(".article").inner_text().startswith("<script>window.pwned = 1</script>")
    assert page.locator("h1").inner_text() == "<script>window.pwned = 3</script>"
    assert requests == [out.as_uri()]  # the <img src=x> is text, so nothing was fetched
    page.close()


def test_corpus_report_fetches_nothing_and_links_evidence(browser, tmp_path, shots):
    out = tmp_path / "corpus.html"
    assert main(["report", "demo", "--by", "outlet", "-o", str(out)]) == 0
    page, requests = _open(browser, out)
    images = page.locator("figure img")
    assert images.count() == 2
    for k in range(images.count()):  # the charts are drawn (decoded from their data: URIs)
        assert images.nth(k).evaluate("img => img.complete && img.naturalWidth > 100")
    link = page.locator("ol.evidence a").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(f"{target} .article mark").count() > 0
    page.screenshot(path=str(shots / "report-corpus.png"))
    assert requests == [out.as_uri()]
    page.close()
