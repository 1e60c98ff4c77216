"""HTML reports: escaping, runs that cover the text exactly, colours asked of the lexicon, the CLI.

The pages are also opened in a real headless Chromium (tests/test_html_browser.py)."""

import json
import re

import pandas as pd
import pytest

from framing import Scorer, score
from framing.cli import main
from framing.palette import SEVERAL
from framing.render.html import article_blocks, article_page, corpus_page, strongest_evidence
from framing.table import compare, score_corpus

from .conftest import DATA, EXAMPLES

HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> «&amp;» '
ARTICLE = "قصفت ميليشيات حفتر الأحياء السكنية، وقال المتحدث باسم حكومة الوفاق إن «قواتنا الباسلة تتقدم».\nسطر ثان."


def _runs(blocks):
    return [run for block in blocks for run in block["runs"]]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_runs_cover_the_text_and_each_match_exactly(path):
    text = path.read_text(encoding="utf-8")
    s = score(text)
    blocks = article_blocks(s, s.source_lexicon)
    runs = _runs(blocks)
    assert "".join(r["text"] for r in runs) == text
    by_id: dict = {}
    for r in runs:
        if r["match"]:
            by_id.setdefault(r["match"]["id"], []).append(r["text"])
    matches = sorted(s.matches, key=lambda m: m.start)
    assert len(by_id) == len(matches)
    for i, m in enumerate(matches):
        assert "".join(by_id[f"m{i}"]) == text[m.start:m.end] == m.text
    quoted = [r["text"] for b in blocks if b["statement"] for r in b["runs"]]
    assert "".join(quoted) == "".join(st.text for st in s.statements)


def test_article_text_and_fields_are_escaped():
    s = score(HOSTILE + ARTICLE, meta={"id": "<b>id</b>", "title": "</title><script>x()</script>", "outlet": '"><i>'})
    page = article_page(s)
    assert "<script" not in page  # no script element at all
    assert page.count("&lt;script&gt;") == 3  # the article's, and the title's (<title> and heading), as text
    assert "<img" not in page and "&lt;img src=x onerror=" in page
    assert "&amp;amp;" in page  # «&amp;» in the text is shown as typed
    assert "<b>id</b>" not in page and "<i>" not in page


def test_page_is_self_contained():
    page = article_page(score(ARTICLE))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the page forbids itself any fetch
    assert '<html lang="ar" dir="rtl">' in page


def test_each_match_explains_target_rule_voice_and_lexicon_line():
    s = Scorer(DATA / "mini").score(ARTICLE)
    page = article_page(s)
    militias = next(m for m in s.matches if m.term == "ميليشيات")
    assert militias.target == "lna" and militias.rule == "construct"
    assert "construct: construct state: the noun is followed by the actor it belongs to" in page
    assert militias.source in page
    assert "quoted: GNA" in page  # «قواتنا الباسلة» is in the GNA spokesman's statement
    assert 'data-label="quoted · GNA"' in page


def _three_sided(tmp_path):
    lex = tmp_path / "three"
    lex.mkdir()
    parties = (DATA / "mini" / "parties.tsv").read_text(encoding="utf-8")
    (lex / "parties.tsv").write_text(parties + "isis\tisis\tIslamic State\tتنظيم الدولة\tthird side\n", encoding="utf-8")
    terms = (DATA / "mini" / "terms.tsv").read_text(encoding="utf-8")
    (lex / "terms.tsv").write_text(terms + "تنظيم الدولة\tactor\tisis\t\t\t\t\tIslamic State\n", encoding="utf-8")
    return Scorer(lex)


@pytest.mark.parametrize("text, term, cls", [
    ("قصفت ميليشيات حفتر المدينة.", "ميليشيات", "several"),  # against the LNA: counts for GNA and ISIS
    ("تقدمت قوات حفتر الباسلة.", "الباسلة", "s0"),  # for the LNA: its own side, the first
    ("هاجمت ميليشيات تنظيم الدولة القرية.", "ميليشيات", "several"),  # against ISIS: for LNA and GNA
    ("ظهرت ميليشيات في المدينة.", "ميليشيات", "untargeted"),  # no actor: counts for nothing
])
def test_colour_is_the_side_the_lexicon_says_with_three_sides(tmp_path, text, term, cls):
    s = _three_sided(tmp_path).score(text)
    view = next(r["match"] for r in _runs(article_blocks(s, s.source_lexicon)) if r["match"] and r["text"] == term)
    assert view["cls"].split()[0] == cls
    # The page's colour of evidence split between sides is the chart's (framing.palette.SEVERAL).
    page = article_page(s)
    assert f"mark.several {{ background: color-mix(in srgb, {SEVERAL} 22%, white)" in page
    assert f'style="background: {SEVERAL}"></span>counts for several sides' in page


def test_repr_html_is_a_fragment_in_rtl():
    s = score(ARTICLE)
    out = s._repr_html_()
    assert out.startswith('<div class="framing-report" dir="rtl" lang="ar">')
    assert "<html" not in out and "<mark" in out


def test_short_reprs():
    s = score(ARTICLE * 50, meta={"id": "a1"})
    assert len(repr(s)) < 250 and "id='a1'" in repr(s) and "lean=" in repr(s)
    assert repr(s.matches[0]).startswith("Match(") and len(repr(s.matches[0])) < 120
    assert len(repr(s.source_lexicon)) < 400 and "sides lna, gna" in repr(s.source_lexicon)


def test_corpus_page_lists_every_group_and_links_evidence_to_articles():
    df = score_corpus("demo", progress=False)
    table = compare(df, by="outlet", n_boot=200)
    evidence = strongest_evidence(df, "outlet", 2)
    scorer = Scorer()
    scores = {label: scorer.score(df.at[label, "text"], {"id": df.at[label, "id"]})
              for items in evidence.values() for label, _ in items}
    page = corpus_page(table, scores, evidence)
    for outlet in table["outlet"]:
        assert outlet in page
    anchors = set(re.findall(r'<article id="(a\d+)">', page))
    links = set(re.findall(r'href="#(a\d+)"', page))
    assert links and links == anchors
    # the heaviest narrator evidence of the first outlet is listed first
    first = table["outlet"].iloc[0]
    assert evidence[first][0][1].weight == max(m.weight for ms in df.loc[df["outlet"] == first, "matches"] for m in ms
                                               if m.kind != "actor" and m.target and m.voice == "narrator")


LOADED = "قصفت ميليشيات الوفاق أحياء المدينة ليلا."  # one piece of narrator evidence: militias → GNA


# The missing group is None in the frame and NaN in a compare() table of strings or numbers; its
# evidence was filed under a key the table's row never found, and the row was called nan.
@pytest.mark.parametrize("outlets,shown", [
    (["Alpha", "Beta", "Alpha"], {"Alpha": 2, "Beta": 1}),
    (["Alpha", None, "Alpha", ""], {"Alpha": 2, "(missing)": 2}),
    ([1, float("nan"), 2, float("nan")], {"1.0": 1, "2.0": 1, "(missing)": 2}),
])
def test_corpus_page_shows_the_evidence_of_every_group(outlets, shown):
    df = score_corpus(pd.DataFrame({"outlet": outlets, "text": LOADED}), progress=False)
    table = compare(df, n_boot=10)
    evidence = strongest_evidence(df, "outlet", 3)
    scores = {label: Scorer().score(df.at[label, "text"]) for items in evidence.values() for label, _ in items}
    page = corpus_page(table, scores, evidence)
    sections = page.split("The strongest evidence of each")[1].split("Articles cited above")[0]
    found = re.findall(r'<span dir="auto">([^<]*)</span> · \d+ articles</h3>\n((?:(?!<h3).)*)', sections, re.DOTALL)
    assert {group: body.count("<li>") for group, body in found} == shown


def test_cli_article_and_corpus(tmp_path, capsys):
    out = tmp_path / "a.html"
    assert main(["report", str(EXAMPLES / "wire.txt"), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<h1><span dir=\"auto\">wire</span></h1>" in page and "<mark" in page
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": f"x{i}", "outlet": "<script>o</script>" if i % 2 else "Plain", "text": HOSTILE + ARTICLE}
            for i in range(6)]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "c.html"
    assert main(["report", str(corpus), "--by", "outlet", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;o&lt;/script&gt;" in page and "<script" not in page
    assert page.count('<img src="data:image/svg+xml;base64,') == 2


# Each corpus has two outlets of three articles; the report draws the slant chart, and the term
# chart only when some outlet's own words are loaded.
@pytest.mark.parametrize("texts, images", [
    (["عقد المجلس البلدي اجتماعه الدوري صباح اليوم."], 1),  # neutral copy: no loaded word at all
    (["وقال المتحدث باسم القوات: «إن العصابات الإرهابية تقصف المدارس»."], 1),  # the loaded words are quoted
    (["وقال مصدر مطلع: «الميليشيات تقصف الأحياء»."], 1),  # quoted, with no known speaker
    (["التقى فائز السراج وخليفة حفتر في موسكو."], 1),  # actors named, nothing loaded
    (["قصفت ميليشيات الوفاق أحياء المدينة.", "عقد المجلس البلدي اجتماعه الدوري."], 2),  # unchanged: loaded words
])
def test_cli_corpus_report_of_articles_without_loaded_words(tmp_path, capsys, texts, images):
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": f"x{i}", "outlet": "ab"[i % 2], "text": texts[i % len(texts)]} for i in range(6)]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "c.html"
    assert main(["report", str(corpus), "--jobs", "1", "-o", str(out)]) == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert page.count('<img src="data:image/svg+xml;base64,') == images


@pytest.mark.parametrize("args, message", [
    (["-o", "report.txt"], "must end in .html"),
    (["-o", "missing-dir/r.html"], "does not exist"),
])  # --evidence -1: tests/test_hostile.py
def test_cli_refuses_bad_output_before_any_work(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(EXAMPLES / "wire.txt"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_cli_article_with_model_shows_the_classifier(tmp_path):
    from framing.corpus import read_records
    from framing.labels import read_labelled
    from framing.model import StanceModel, save_model

    corpus = read_labelled(read_records(str(DATA / "stance.jsonl")))
    model = tmp_path / "m.skops"
    save_model(StanceModel(str(DATA / "mini")).fit(corpus.texts, corpus.labels), model)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "a.html"
    assert main(["report", str(article), "--lexicon", str(DATA / "mini"), "--model", str(model), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<th>classifier</th>" in page and "the stance model's label and probabilities" in page
    cells = re.findall(r"<td>(favorable|neutral|unfavorable) \(((?:\w+ [\d.]+, ){2}\w+ [\d.]+)\)</td>", page)
    assert len(cells) == 2 and all("favorable" in probs and "neutral" in probs for _, probs in cells)
    assert "<th>combined</th>" in page
    assert len(re.findall(r"<td>(?:favorable|neutral|unfavorable) \(from the (?:lexicon|classifier)\)</td>", page)) == 2


def test_side_colours_never_repeat_however_many_sides():
    from framing.palette import NEUTRAL, SEVERAL, SIDE_COLORS, side_colors

    colours = list(side_colors([f"side{k}" for k in range(100)]).values())
    assert colours[:len(SIDE_COLORS)] == list(SIDE_COLORS)  # a lexicon of few sides keeps its colours
    assert len(set(colours)) == 100 and not {NEUTRAL, SEVERAL} & set(colours)
    assert all(re.fullmatch("#[0-9a-f]{6}", c) for c in colours)


def _many_sided(tmp_path, n: int):
    """The mini lexicon with sides added up to ``n``, one actor each («قوات الجبل 2» ...)."""
    lex = tmp_path / f"sides{n}"
    lex.mkdir()
    extra = [(f"side{k}", f"قوات الجبل{'ي' * k}") for k in range(2, n)]
    parties = (DATA / "mini" / "parties.tsv").read_text(encoding="utf-8")
    (lex / "parties.tsv").write_text(parties + "".join(f"{p}\t{p}\tSide {p}\t{ar}\tinvented\n" for p, ar in extra),
                                     encoding="utf-8")
    terms = (DATA / "mini" / "terms.tsv").read_text(encoding="utf-8")
    (lex / "terms.tsv").write_text(terms + "".join(f"{ar}\tactor\t{p}\t\t\t\t\t{p}\n" for p, ar in extra),
                                   encoding="utf-8")
    return Scorer(lex)


# Every side has its own colour, in the charts and the page alike, and the page highlights its
# evidence (the highlight's style was written for four sides only).
@pytest.mark.parametrize("n", [2, 5, 8, 13])
def test_every_side_has_its_own_colour_and_highlight(tmp_path, n):
    from framing.palette import NEUTRAL, side_colors

    scorer = _many_sided(tmp_path, n)
    sides = scorer.lexicon.sides
    colours = side_colors(sides)
    assert len(sides) == n and len(set(colours.values())) == n
    assert not {NEUTRAL, SEVERAL} & set(colours.values())
    last = f"قوات الجبل{'ي' * (n - 1)} الباسلة تتقدم" if n > 2 else "قوات الوفاق الباسلة تتقدم"
    page = article_page(scorer.score(last))
    for k, side in enumerate(sides):
        assert f".framing-report mark.s{k} {{ background: color-mix(in srgb, var(--side) 22%, white)" in page
        assert f".framing-report .s{k} {{ --side: {colours[side]}; }}" in page
    assert f'class="s{n - 1}' in page  # the last side's evidence is highlighted in its colour
