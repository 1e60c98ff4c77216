"""The corpus layers with a lexicon of three sides (``tests/data/three``): rows, schema, group
statistics, charts, distinctive terms and the CLI work, or refuse with one clear line."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from framing import InputError, load_lexicon
from framing.charts import outlet_chart, term_chart, trend_chart
from framing.corpus import Record, Skip
from framing.distinctive import distinctive_terms
from framing.groups import CompareSettings, compare, slant_values, to_records
from framing.render.html import corpus_page
from framing.render.text import compare_table
from framing.rows import score_rows
from framing.schema import Schema
from framing.scorer import scorer_for
from framing.table import score_corpus

from .conftest import DATA

THREE = DATA / "three"
PRO_SOUTH = "تقدمت قوات الجنوب الباسلة نحو المدينة وطردت ميليشيات حفتر وميليشيات الوفاق."
PRO_LNA = "قال المشير إن ميليشيات الوفاق تحاصر المدينة، وإن عدوان قوات الجنوب مستمر."
PRO_GNA = "تواصل ميليشيات حفتر عدوانها على المدينة، وتصد حكومة الوفاق الباسلة الهجوم."
NEUTRAL = "التقى المبعوث الأممي ممثلي الأطراف في جنيف."
OUTLETS = {"Dunes Daily": PRO_SOUTH, "Harbour Post": PRO_LNA, "Cedar Wire": PRO_GNA}


def corpus_rows():
    rows = []
    for i in range(6):
        for outlet, text in OUTLETS.items():
            rows.append({"id": f"{outlet[:2]}{i}", "outlet": outlet, "date": f"2020-0{1 + i % 2}-1{i}",
                         "text": text if i % 3 else NEUTRAL})
    return rows


@pytest.fixture(scope="module")
def scored():
    return score_corpus(pd.DataFrame(corpus_rows()), lexicon=THREE, progress=False)


@pytest.fixture(scope="module")
def schema():
    return Schema(THREE)


def test_rows_and_schema_agree_with_the_table(scored, schema):
    meta = schema.meta(["id", "outlet", "date"])
    assert list(meta.columns) == list(scored.columns)
    for column in ("words", "sides.south", "parties.lna.net", "parties.gna.mentions"):
        assert meta[column].dtype == scored[column].dtype
    assert len(meta) == 0 and pd.concat([meta, scored]).shape == scored.shape


def test_score_rows_pass_skips_through_as_data(schema):
    items = [Record(PRO_SOUTH, {"id": "a"}, "x:1"), Skip("x:2", "x:2: field 'text' is empty"),
             Record(NEUTRAL, {"id": "c"}, "x:3")]
    out = list(score_rows(items, scorer_for(THREE), schema))
    assert [type(o) for o in out] == [dict, Skip, dict]
    assert out[0]["lean"] == "south" and out[2]["lean"] is None
    assert set(out[0]) == set(schema.dtypes(["id"]))


def test_score_rows_refuse_a_scorer_of_another_lexicon(schema):
    with pytest.raises(InputError, match="is not the schema's"):
        list(score_rows([], scorer_for(DATA / "mini"), schema))


# (slant, slant metric expected, first row's group)
COMPARE_CASES = [
    (None, False, None),  # three sides, no pair named: no slant, groups in name order
    (("south", "lna"), True, "Dunes Daily"),
    (("gna", "south"), True, "Cedar Wire"),
]


@pytest.mark.parametrize("slant, has_slant, first", COMPARE_CASES)
def test_compare_with_three_sides(scored, slant, has_slant, first):
    table = compare(scored, slant=slant, n_boot=200)
    assert ("slant.mean" in table.columns) == has_slant
    assert table.attrs["slant"] == slant and table.attrs["sides"] == ["lna", "gna", "south"]
    shares = table[[f"lean_share.{k}" for k in ("lna", "gna", "south", "none")]].sum(axis=1)
    assert np.allclose(shares, 1.0)  # every article leans one of the three ways, or none
    if first is not None:
        assert table["outlet"].iloc[0] == first
    else:
        assert list(table["outlet"]) == sorted(OUTLETS)
    records = to_records(table)
    assert ("slant" in records[0]) == has_slant and set(records[0]["sides"]) == {"lna", "gna", "south"}


@pytest.mark.parametrize("slant", [("south", "south"), ("south", "turkey"), ("south",)])
def test_compare_refuses_a_bad_slant(scored, slant):
    with pytest.raises(InputError, match="slant must be two different sides"):
        compare(scored, slant=slant)


def test_slant_values_refuse_three_sides_without_a_pair(scored):
    with pytest.raises(InputError, match="leave the choice open"):
        slant_values(scored)
    values = slant_values(scored, ("south", "lna"))
    assert ((values > 0).sum(), (values < 0).sum()) == (8, 4)  # pro-south and pro-GNA articles; pro-LNA ones


@pytest.mark.parametrize("draw", [
    lambda df: outlet_chart(compare(df, n_boot=100)),
    lambda df: trend_chart(compare(df, over="month", n_boot=100)),
])
def test_slant_charts_refuse_a_table_without_a_slant(scored, draw):
    with pytest.raises(InputError, match=r"draws a slant, and this table has none: its 3 sides \(lna, gna, south\)"):
        draw(scored)


@pytest.mark.parametrize("draw", [
    lambda df: outlet_chart(compare(df, n_boot=100, slant=("south", "lna"))),
    lambda df: trend_chart(compare(df, over="month", n_boot=100, slant=("south", "lna"))),
    lambda df: term_chart(df, top=5),
    lambda df: term_chart(df, top=5, slant=("gna", "lna")),
])
def test_charts_draw_three_sides(scored, draw):
    assert isinstance(draw(scored), Figure)


def test_outlet_chart_shows_every_sides_share(scored):
    fig = outlet_chart(compare(scored, n_boot=100, slant=("south", "lna")))
    labels = fig.legends[0].get_texts()
    assert {t.get_text() for t in labels} >= {"leans SOUTH", "leans GNA", "leans LNA", "no lean"}


def test_a_frame_that_lost_its_attrs_is_never_read_with_the_default_lexicon(scored):
    merged = scored.merge(pd.DataFrame({"outlet": list(OUTLETS), "country": ["x", "y", "z"]}), on="outlet")
    assert merged.attrs == {}
    with pytest.raises(InputError, match="this table.s lexicon is not known"):
        term_chart(merged, top=5)
    with pytest.raises(InputError, match="this table.s lexicon is not known"):
        distinctive_terms(merged, "outlet", ("Dunes Daily", "Cedar Wire"), min_count=1)
    assert isinstance(term_chart(merged, top=5, lexicon=Schema(THREE)), Figure)
    terms = distinctive_terms(merged, "outlet", ("Dunes Daily", "Cedar Wire"), lexicon=THREE, min_count=1)
    assert terms.attrs["lexicon"] == "three"


def _cleared(table):
    table = table.copy()
    table.attrs = {}
    return table


# How a compare() table can lose its attrs in a notebook
LOSE_ATTRS = {
    "merge": lambda t: t.merge(pd.DataFrame({"outlet": list(OUTLETS), "country": ["x", "y", "z"]}), on="outlet"),
    "rebuilt": lambda t: pd.DataFrame(t.to_dict("list")),
    "attrs cleared": _cleared,
}
# Every reader of a compare table: (name, over, draw or render it with settings=)
READERS = {
    "outlet_chart": (None, lambda t, s: outlet_chart(t, settings=s).get_suptitle()),
    "trend_chart": ("month", lambda t, s: trend_chart(t, settings=s).get_suptitle()),
    "to_records": (None, lambda t, s: to_records(t, settings=s)),
    "compare_table": (None, lambda t, s: compare_table(t, settings=s)),
    "corpus_page": (None, lambda t, s: corpus_page(t, {}, {}, lexicon=THREE, settings=s)),
}


@pytest.mark.parametrize("lose", LOSE_ATTRS)
@pytest.mark.parametrize("reader", READERS)
def test_a_compare_table_without_its_attrs_is_read_only_with_its_settings(scored, reader, lose):
    over, read = READERS[reader]
    table = compare(scored, over=over, n_boot=50, slant=("south", "lna"), ci=0.9)
    settings = CompareSettings.of(table)
    expected = read(table, None)
    lost = LOSE_ATTRS[lose](table)
    assert not lost.attrs
    with pytest.raises(InputError, match=r"how this compare\(\) table was made is not known .* pass settings="):
        read(lost, None)  # must not: guess the lexicon, the slant, the voice or the confidence level
    assert read(lost, settings) == expected


def test_compare_settings_are_the_tables(scored):
    table = compare(scored, over="month", n_boot=50, slant=("south", "lna"), ci=0.9, seed=3, min_n=2)
    s = CompareSettings.of(table)
    assert s == CompareSettings(by="outlet", over="month", sides=("lna", "gna", "south"), slant=("south", "lna"),
                                parties=("lna", "gna", "south", "turkey"), lexicon="three", voice="narrator", ci=0.9,
                                n_boot=50, seed=3, min_n=2, articles=18, undated=0)
    assert CompareSettings.of(table, s) is s
    assert "90% bootstrap CI" in trend_chart(table, settings=s).get_suptitle()
    assert "lexicon three" in outlet_chart(compare(scored, n_boot=50, slant=("south", "lna")), settings=None).get_suptitle()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.ci = 0.5
    with pytest.raises(InputError, match="settings must be a CompareSettings. Got dict instead"):
        to_records(table, settings=s.to_dict())


def test_a_table_from_a_frame_without_attrs_says_its_voice_is_not_recorded(scored):
    # compare() of a merged frame: sides from its columns, but lexicon and voice are not guessed
    merged = scored.merge(pd.DataFrame({"outlet": list(OUTLETS), "country": ["x", "y", "z"]}), on="outlet")
    table = compare(merged, n_boot=50, slant=("south", "lna"))
    assert (CompareSettings.of(table).lexicon, CompareSettings.of(table).voice) == (None, None)
    assert "voice not recorded" in compare_table(table)
    assert "voice not recorded" in outlet_chart(table).get_suptitle()
    told = compare_table(compare(merged, n_boot=50, slant=("south", "lna"), schema=Schema(THREE, voice="all")))
    assert "voice not recorded" not in told and "lexicon three · all voices (quotations included)" in told


@pytest.mark.parametrize("lose", [
    lambda t: t.merge(pd.DataFrame({"term": t["term"].head(2), "note": ["a", "b"]}), on="term", how="left"),
    lambda t: pd.DataFrame(t.to_dict("list")),
    _cleared,
], ids=["merge", "rebuilt", "attrs cleared"])
def test_distinctive_chart_without_attrs_needs_its_groups(scored, lose):
    from framing.charts import distinctive_chart

    terms = distinctive_terms(scored, "outlet", slant=("south", "lna"), min_count=1)
    lost = lose(terms)
    assert not lost.attrs and len(lost) == len(terms)
    with pytest.raises(InputError, match=r"which two groups these terms compare is not known .* pass groups="):
        distinctive_chart(lost)  # must not: draw the bars under made-up names
    texts = {t.get_text() for a in distinctive_chart(lost, groups=("Dunes Daily", "Harbour Post"), by="outlet").axes
             for t in [a.title]}
    assert any("Dunes Daily" in t for t in texts) and any("Harbour Post" in t for t in texts)


def test_distinctive_terms_with_three_sides(scored):
    with pytest.raises(InputError, match=r"groups must name two values of 'outlet': with 3 sides \(lna, gna, south\), "
                                         r"the most opposite groups need a slant pair") as refused:
        distinctive_terms(scored, "outlet", min_count=1)  # three outlets: which two needs a slant
    assert refused.value.option == "groups"
    terms = distinctive_terms(scored, "outlet", slant=("south", "lna"), min_count=1)
    assert terms.attrs["groups"] == ("Dunes Daily", "Harbour Post")
    assert terms.loc[terms["term"] == "الباسله", "in_lexicon"].item()


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("three") / "three.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corpus_rows()) + "\n", encoding="utf-8")
    return path


def cli(*args):
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], check=False, capture_output=True, text=True,
                          timeout=120)


def test_cli_compare_with_three_sides(corpus_file):
    out = cli("compare", corpus_file, "--lexicon", THREE, "--json", "--boot", 50)
    assert out.returncode == 0, out.stderr
    groups = json.loads(out.stdout)
    assert len(groups) == 3 and all("slant" not in g for g in groups)
    out = cli("compare", corpus_file, "--lexicon", THREE, "--boot", 50, "--slant", "south", "gna")
    assert out.returncode == 0 and "slant SOUTH−GNA" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["compare", "--chart", "{tmp}/c.png"], "slant must name two sides (first, second): the 3 sides of lexicon three"),
    (["chart", "-o", "{tmp}/c.png"], "slant must name two sides (first, second): the 3 sides of lexicon three"),
    (["compare", "--slant", "south", "turkey"], "slant must be two different sides of lexicon three"),
])
def test_cli_refuses_in_one_line(corpus_file, tmp_path, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    out = cli(args[0], corpus_file, "--lexicon", THREE, *args[1:])
    assert out.returncode == 2
    assert out.stderr.startswith("framing: error: ") and message in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "c.png").exists()


def test_cli_chart_with_three_sides(corpus_file, tmp_path):
    out = cli("chart", corpus_file, "--lexicon", THREE, "-o", tmp_path / "c.png", "--slant", "south", "lna")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_the_import_graph_flows_one_way():
    code = ("import sys, framing.charts, framing.groups, framing.rows, framing.schema, framing.distinctive, "
            "framing.table; bad = [m for m in ('framing.model', 'framing.classifier', 'framing.features', 'sklearn', "
            "'framing.cli', 'framing.commands') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_three_sided_lexicon_is_what_these_tests_say():
    assert load_lexicon(THREE).sides == ("lna", "gna", "south")


def test_cli_score_with_three_sides(corpus_file):
    out = cli("score", corpus_file, "--lexicon", THREE, "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == len(corpus_rows())
    assert all(set(r["sides"]) == {"lna", "gna", "south"} for r in rows)
    assert {r["lean"] for r in rows} == {"south", "lna", "gna", None}


# (voice, south framing expected) for a statement of the southern camp quoted with no other source
VOICE_CASES = [
    ("narrator", False),  # the outlet's own words hold no evidence
    ("reading", True),  # one-sided sourcing counts at half weight, as `framing score` reads it
    ("all", True),
]


@pytest.mark.parametrize("voice, south", VOICE_CASES)
def test_table_voices(voice, south):
    text = "وقال قائد قوات الجنوب: «قواتنا الباسلة صامدة»."
    df = score_corpus(pd.DataFrame({"text": [text]}), lexicon=THREE, voice=voice, progress=False)
    assert (df["sides.south"].iloc[0] > 0) == south
    assert df.attrs["voice"] == voice
    s = scorer_for(THREE).score(text)
    expected = {"narrator": s.narrator.sides, "reading": s.sides, "all": s.all_voices.sides}[voice]
    assert df["sides.south"].iloc[0] == pytest.approx(expected["south"])


@pytest.mark.parametrize("field, clashes", [
    ("lean", True), ("words", True), ("sides.south", True), ("parties.gna.net", True), ("where", True),
    ("matches", True),
    # must not clash: ordinary fields, and names that only look like scores
    ("outlet", False), ("side", False), ("sides", False), ("parties.gna", False), ("leaning", False),
])
def test_a_field_named_like_a_score_column_is_refused(field, clashes):
    frame = pd.DataFrame({"text": [PRO_SOUTH], field: ["x"]})
    if clashes:
        with pytest.raises(InputError, match=f"row 0: field '{field}' has the name of a column of the scores"):
            score_corpus(frame, lexicon=THREE, progress=False)
    else:
        assert score_corpus(frame, lexicon=THREE, progress=False)[field].tolist() == ["x"]


@pytest.fixture(scope="module")
def labelled_file(tmp_path_factory):
    """The corpus with a stance_south label on every article (all three labels)."""
    path = tmp_path_factory.mktemp("three-labelled") / "labelled.jsonl"
    labels = ("favorable", "neutral", "unfavorable")
    path.write_text("".join(json.dumps({**r, "stance_south": labels[i % 3]}, ensure_ascii=False) + "\n"
                            for i, r in enumerate(corpus_rows())), encoding="utf-8")
    return path


# Every command with the three-sided lexicon: (arguments, exit code, what stdout, the written file or stderr holds).
# {c}: the labelled corpus, {L}: the lexicon, {t}: the directory for outputs, {m}: a model trained on the corpus
# (which records its lexicon).
COMMANDS = [
    ("score {c} --json --lexicon {L}", 0, '"south"'),
    ("compare {c} --boot 50 --lexicon {L}", 0, "no slant: with 3 sides, name two with --slant FIRST SECOND."),
    ("compare {c} --boot 50 --slant south lna --json --lexicon {L}", 0, '"slant"'),
    ("chart {c} -o {t}/o.png --slant south lna --lexicon {L}", 0, "{t}/o.png"),
    ("chart {c} -o {t}/tr.png --kind trend --slant gna south --lexicon {L}", 0, "{t}/tr.png"),
    ("chart {c} -o {t}/te.png --kind terms --lexicon {L}", 0, "{t}/te.png"),
    ("chart {c} -o {t}/d.png --kind distinctive --slant south lna --lexicon {L}", 0, "{t}/d.png"),
    ("chart {c} -o {t}/d2.png --kind distinctive --groups 'Dunes Daily' 'Cedar Wire' --lexicon {L}", 0, "{t}/d2.png"),
    ("chart {c} -o {t}/a.png --kind article --id Du1 --lexicon {L}", 0, "{t}/a.png"),
    ("report {c} -o {t}/r.html --lexicon {L}", 0, "{t}/r.html"),
    ("report {c} -o {t}/rm.html --model {m} --lexicon {L}", 0, "{t}/rm.html"),
    ("evaluate {c} --lexicon {L}", 0, "pro_south 6"),
    ("kwic 'قوات الجنوب' {c} --term --lexicon {L}", 0, "target=south"),
    ("lexicon check " + str(THREE), 0, "sides lna, gna, south"),
    ("lexicon suggest {c} --by outlet --groups 'Dunes Daily' 'Cedar Wire' --json --lexicon {L}", 0, ""),
    ("predict {m} {c} --json", 0, '"south"'),
    # must refuse in one line, naming the option that fixes it, and write nothing
    ("chart {c} -o {t}/x.png --lexicon {L}", 2, "the 3 sides of lexicon three (lna, gna, south) leave the choice open (--slant)"),
    ("chart {c} -o {t}/x.png --kind distinctive --lexicon {L}", 2, "the most opposite groups need a slant pair (slant=) (--groups)"),
    ("lexicon suggest {c} --by outlet --lexicon {L}", 2, "the most opposite groups need a slant pair (slant=) (--groups)"),
    ("compare {c} --slant south turkey --lexicon {L}", 2, "slant must be two different sides of lexicon three"),
]


@pytest.fixture(scope="module")
def three_model(labelled_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("three-model") / "m.skops"
    out = cli("train", labelled_file, "--lexicon", THREE, "--cv", "2", "-o", path)
    assert out.returncode == 0 and "south: 18 labelled articles" in out.stdout, out.stderr
    return path


@pytest.mark.parametrize("args, code, shows", COMMANDS, ids=[c[0].split(" {")[0] + f" #{k}" for k, c in enumerate(COMMANDS)])
def test_every_command_works_or_refuses_clearly_with_three_sides(labelled_file, three_model, tmp_path, args, code, shows):
    import shlex

    where = {"c": labelled_file, "t": tmp_path, "m": three_model, "L": THREE}
    out = cli(*(a.format(**where) for a in shlex.split(args)))
    shows = shows.format(**where)
    assert out.returncode == code, out.stderr
    if code:
        assert out.stderr.startswith("framing: error: ") and out.stderr.count("\n") == 1 and shows in out.stderr
        assert not list(tmp_path.iterdir())
    elif shows.startswith(str(tmp_path)):
        assert Path(shows).stat().st_size > 1000 and f"wrote {shows}" in out.stderr
    else:
        assert shows in out.stdout


# A term chart colours each naming choice by the sides it counts for: one side's colour, the
# colour of several sides (an attack on one party of three counts for the two others), and black
# for an evaluative term, whose side depends on its target.
@pytest.mark.parametrize("term, colour", [
    ("Field Marshal · المشير", "#c0392b"),  # favorable to the LNA: LNA
    ("guardians of the south · حماة الجنوب", "#1b7837"),  # favorable to the south: SOUTH
    ("so-called GNA · ما يسمى بالوفاق", "#bf812d"),  # against the GNA: LNA and SOUTH
    ("valiant · الباسلة", "black"),  # evaluative
])
def test_term_chart_colours_naming_choices_by_their_sides(term, colour):
    from matplotlib.colors import to_hex

    texts = ["أشاد المشير بحماة الجنوب وقال إن ما يسمى بالوفاق انهار.", "تقدمت قوات الجنوب الباسلة نحو المدينة."]
    df = score_corpus(pd.DataFrame({"outlet": ["A", "B"], "text": texts}), lexicon=THREE, progress=False)
    fig = term_chart(df, top=10)
    labels = {t.get_text(): to_hex(t.get_color()) if t.get_color() != "black" else "black"
              for t in fig.axes[0].get_yticklabels()}
    assert labels[term] == colour
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "naming choice counting for several sides" in legend
    order = list(labels)  # sides in order, then several sides, then evaluative terms
    assert order.index("so-called GNA · ما يسمى بالوفاق") > order.index("guardians of the south · حماة الجنوب")
    assert order.index("so-called GNA · ما يسمى بالوفاق") < order.index("valiant · الباسلة")
