"""`framing compare` and `framing chart` on the demo corpus, and every kind of bad input."""

import json
import re
import subprocess
import sys

import pytest

from framing.cli import main
from framing.corpus import read_records

from .conftest import DATA, EXAMPLES, ROOT

MINI = str(DATA / "mini")
PRO_LNA = "قصفت ميليشيات الوفاق ومرتزقة الوفاق الأحياء السكنية."


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _corpus(tmp_path, rows, name="c.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_alignment():
    return {r.meta["outlet"]: r.meta["outlet_alignment"] for r in read_records("demo")}


@pytest.fixture(scope="module")
def demo_json():
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["compare", "demo", "--by", "outlet", "--json"]) == 0
    return json.loads(out.getvalue())


def test_compare_json_contract(demo_json, demo_alignment):
    assert {r["group"] for r in demo_json} == set(demo_alignment)
    assert sum(r["n"] for r in demo_json) == sum(1 for _ in read_records("demo"))
    for r in demo_json:
        assert set(r) == {"group", "n", "sides", "slant", "parties", "lean_share", "note"}
        assert set(r["sides"]) == {"lna", "gna"}
        for side in r["sides"].values():
            assert side["lo"] <= side["mean"] <= side["hi"]
        assert all(set(p) == {"net"} for p in r["parties"].values())
        assert set(r["lean_share"]) == {"lna", "gna", "none"}
    slants = [r["slant"]["mean"] for r in demo_json]
    assert slants == sorted(slants, reverse=True)


def test_demo_outlets_rank_by_editorial_line(demo_json, demo_alignment):
    rank = [demo_alignment[r["group"]] for r in demo_json]
    shown = [(r["group"], round(r["slant"]["mean"], 2)) for r in demo_json]
    n_lna = rank.count("pro-lna")
    assert set(rank[:n_lna]) == {"pro-lna"} and rank[-1] == "pro-gna", shown
    # Two outlets may swap against their editorial lines only within noise (a mildly pro-GNA daily
    # and a rights monitor have the same slant: the README's "What the demo shows" says why).
    order = {"pro-lna": 0, "neutral": 1, "pro-gna": 2}
    for i, above in enumerate(demo_json):
        for below in demo_json[i + 1:]:
            if order[demo_alignment[above["group"]]] > order[demo_alignment[below["group"]]]:
                assert above["slant"]["lo"] <= below["slant"]["hi"], (above["group"], below["group"], shown)
    by_group = {r["group"]: r for r in demo_json}
    for outlet, alignment in demo_alignment.items():
        if alignment != "neutral":
            assert (by_group[outlet]["slant"]["mean"] > 0) == (alignment == "pro-lna"), outlet


def test_compare_all_voices(capsys, demo_json):
    code, out, _ = run(capsys, "compare", "demo", "--by", "outlet", "--voice", "all", "--json")
    every = {r["group"]: r["slant"]["mean"] for r in json.loads(out)}
    narrator = {r["group"]: r["slant"]["mean"] for r in demo_json}
    # The pro-LNA outlet that quotes LNA statements most is more slanted with its quotations counted.
    assert code == 0 and every["The Eastern Banner"] > narrator["The Eastern Banner"] + 1
    code, out, _ = run(capsys, "compare", "demo", "--voice", "all")
    assert "all voices (quotations included)" in out.splitlines()[0]


def test_compare_text_table(capsys, demo_json):
    code, out, err = run(capsys, "compare", "demo", "--by", "outlet")
    assert code == 0 and "scoring" not in err  # no progress bar when stderr is not a terminal
    lines = out.splitlines()
    assert lines[0].startswith(f"{sum(r['n'] for r in demo_json)} articles by outlet")
    assert "95% bootstrap CIs (2000 resamples, seed 0)" in lines[0]
    rows = [line for line in lines if any(line.startswith(r["group"][:20]) for r in demo_json)]
    assert [row[:26].rstrip() for row in rows] == [r["group"][:26] for r in demo_json]  # same order as --json
    first = demo_json[0]
    printed = [float(x) for x in re.search(r"([+-]\d+\.\d+) \[([+-]\d+\.\d+), ([+-]\d+\.\d+)\]", rows[0]).groups()]
    # the JSON is rounded to 4 decimals, the table to 2: compare within the table's rounding
    assert printed == pytest.approx([first["slant"][k] for k in ("mean", "lo", "hi")], abs=0.0051)


def test_compare_over_month_with_chart(capsys, tmp_path):
    chart = tmp_path / "trend.png"
    code, out, err = run(capsys, "compare", "demo", "--by", "outlet_alignment", "--over", "quarter", "--json",
                         "--chart", chart)
    assert code == 0 and f"wrote {chart}" in err
    records = json.loads(out)
    assert all(set(r) >= {"group", "period", "n"} for r in records)
    assert {r["group"] for r in records} == {"pro-lna", "pro-gna", "neutral"}
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_compare_small_group_and_seed(capsys, tmp_path):
    rows = [{"outlet": "Big", "text": PRO_LNA}] * 6 + [{"outlet": "Solo", "text": PRO_LNA}]
    path = _corpus(tmp_path, rows)
    code, out, _ = run(capsys, "compare", path, "--lexicon", MINI)
    assert code == 0
    solo = next(line for line in out.splitlines() if line.startswith("Solo"))
    assert "[no CI]" in solo and "1 group(s) have fewer than 5 articles" in out
    _, one, _ = run(capsys, "compare", path, "--lexicon", MINI, "--json", "--seed", "7", "--boot", "300")
    _, two, _ = run(capsys, "compare", path, "--lexicon", MINI, "--json", "--seed", "7", "--boot", "300")
    assert one == two
    solo = next(r for r in json.loads(one) if r["group"] == "Solo")
    assert solo["sides"]["lna"]["lo"] is None and "too few" in solo["note"]


def test_skipped_records_are_counted(capsys, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"outlet": "X", "text": PRO_LNA}) + "\n{broken\n", encoding="utf-8")
    code, out, err = run(capsys, "compare", path, "--lexicon", MINI, "--skip-bad", "--json")
    assert code == 0 and json.loads(out)[0]["n"] == 1
    assert "c.jsonl:2: invalid JSON" in err and "framing: 1 article processed, 1 skipped" in err


@pytest.mark.parametrize("kind,extra", [
    ("outlets", []),
    ("terms", ["--terms", "12", "--top", "3"]),
    ("trend", ["--over", "quarter"]),
    ("distinctive", ["--by", "outlet_alignment"]),
    ("distinctive", ["--by", "outlet_alignment", "--groups", "pro-lna", "neutral"]),
])
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart_kinds(capsys, tmp_path, kind, extra, suffix):
    out = tmp_path / f"chart{suffix}"
    code, _, err = run(capsys, "chart", "demo", "--kind", kind, "-o", out, *extra)
    assert code == 0, err
    assert out.stat().st_size > 10_000


def test_chart_article(capsys, tmp_path):
    out = tmp_path / "article.png"
    code, _, err = run(capsys, "chart", EXAMPLES / "pro_gna.txt", "-o", out)
    assert code == 0 and f"wrote {out}" in err and out.read_bytes().startswith(b"\x89PNG")
    first_id = next(read_records("demo")).meta["id"]
    code, _, _ = run(capsys, "chart", "demo", "--kind", "article", "--id", first_id, "-o", out)
    assert code == 0


@pytest.mark.parametrize("argv,message", [
    (["compare", "demo", "--by", "outlett"], "no field 'outlett' in the corpus; fields are: id, outlet, outlet_ar,"),
    (["compare", str(EXAMPLES / "wire.txt")], "compare needs a corpus"),
    (["compare", "demo", "--chart", "/nonexistent-dir/t.png"], "directory /nonexistent-dir does not exist"),
    (["compare", "demo", "--chart", "t.gif"], "must end in .png, .svg, .pdf"),
    (["chart", "demo", "-o", "/nonexistent-dir/t.png"], "directory /nonexistent-dir does not exist"),
    (["chart", "demo", "--kind", "article", "-o", "x.png"], "--id ID to pick it from the corpus"),
    (["chart", "demo", "--kind", "article", "--id", "no-such-id", "-o", "x.png"], "no article with id 'no-such-id'"),
    (["chart", str(EXAMPLES / "wire.txt"), "--kind", "terms", "-o", "x.png"], "needs a corpus"),
    (["chart", "demo", "--kind", "distinctive", "--by", "outlet_alignment", "--groups", "pro-lna", "pro-x", "-o",
      "x.png"], "no articles with outlet_alignment = 'pro-x'"),
    (["chart", "demo", "--kind", "outlets", "--groups", "Nowhere", "-o", "x.png"], "no group 'Nowhere'; groups are:"),
    (["chart", "demo", "--kind", "terms", "--voice", "reading", "-o", "x.png"],
     "voice must be narrator or all. Got 'reading' instead (--voice)"),
])
def test_bad_input(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    if "--voice" in argv:  # refused before any article is scored
        monkeypatch.setattr("framing.table.score_corpus", lambda *a, **k: pytest.fail("scored before refusing"))
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.startswith("framing: error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


# A misspelt grouping field names the option that fixes it, where the library knows it.
@pytest.mark.parametrize("argv", [
    ["report", "demo", "--by", "outlett", "-o", "x.html"],
    ["lexicon", "suggest", "demo", "--by", "outlett"],
])
def test_a_missing_field_names_its_option(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out and err.startswith("framing: error: no field 'outlett' in the corpus; fields are: ")
    assert err.endswith(" (--by)\n") and err.count("\n") == 1 and not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("rows,message", [
    ([{"outlet": "X", "date": "2020-01-02", "text": PRO_LNA}, {"outlet": "X", "date": "2nd of May", "text": PRO_LNA}],
     "c.jsonl:2: field 'date' must be a date like 2020-01-31. Got '2nd of May' instead"),
    ([{"outlet": "X", "text": PRO_LNA}], "no field 'date' in the corpus; fields are: outlet"),
    ([], "c.jsonl: no articles"),
])
def test_bad_corpus(capsys, tmp_path, rows, message):
    path = _corpus(tmp_path, rows)
    code, _, err = run(capsys, "compare", path, "--lexicon", MINI, "--over", "month")
    assert code == 2 and message in err and err.count("\n") == 1


def test_cli_start_up_stays_light():
    code = ("import sys; from framing.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_periods_are_the_tables():
    """The CLI keeps its own copy (importing framing.table would load pandas at start-up)."""
    from framing.commands.common import PERIODS
    from framing.table import PERIODS as TABLE_PERIODS

    assert PERIODS == tuple(TABLE_PERIODS)


@pytest.mark.parametrize("option", ["--top", "--min-n", "--terms"])
def test_chart_counts_must_be_positive(capsys, option):
    with pytest.raises(SystemExit) as exit_:
        main(["chart", "demo", "--kind", "terms", option, "0", "-o", "x.png"])
    assert exit_.value.code == 2
    assert f"{option}: must be at least 1. Got 0 instead" in capsys.readouterr().err
