"""`framing score --format jsonl|csv|parquet` and `--matches FILE`: flat tables for statistics packages."""

import json
from dataclasses import replace

import pandas as pd
import pytest

from framing.cli import main
from framing.corpus import read_records
from framing.export import article_row
from framing.scorer import scorer_for

from .conftest import DATA

MINI = str(DATA / "mini")
TEXTS = ["قصفت ميليشيات حفتر الأحياء.", "وقال قنونو: «إن قواتنا الباسلة صدت الهجوم»", "تقدمت ميليشيات الوفاق ومرتزقتها.",
         "وصلت مرتزقة «فاغنر» إلى الجفرة.", "انسحب المرتزقة أمس مع فاغنر من الجفرة."]


def _corpus(tmp_path, records, name="c.jsonl"):
    p = tmp_path / name
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return p


def match_rows(score, where):
    """The long table's rows of an article as dicts, as the README states them: where, the id when
    the article has one, then Match.to_dict (the reference the writers are checked against)."""
    ident = {"id": score.meta["id"]} if "id" in score.meta else {}
    return [{"where": where, **ident, **m.to_dict()} for m in score.matches]


def _records(n=40):
    return [{"id": f"a{k}", "outlet": ["X", "Y"][k % 2], "n": k, "text": TEXTS[k % len(TEXTS)]} for k in range(n)]


def _read(path, fmt):
    if fmt == "jsonl":
        return pd.DataFrame([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    return pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_one_flat_row_per_article_with_every_score(tmp_path, capsys, mini, fmt):
    corpus = _corpus(tmp_path, _records())
    out = tmp_path / f"scores.{fmt}"
    assert main(["score", str(corpus), "--lexicon", MINI, "--format", fmt, "-o", str(out), "--jobs", "2"]) == 0
    df = _read(out, fmt)
    assert len(df) == 40 and list(df["id"]) == [f"a{k}" for k in range(40)]
    assert {"where", "outlet", "lean", "words", "basis", "untargeted", "matches", "warnings", "lexicon"} <= set(df.columns)
    for party in mini.lexicon.parties:
        for field in ("favorable", "unfavorable", "net", "mentions", "stance"):
            assert f"parties.{party}.{field}" in df.columns and f"all_voices.parties.{party}.{field}" in df.columns
    assert "text" not in df.columns  # the text stays in the corpus
    first = mini.score(TEXTS[0], {"id": "a0"})
    expected = first.to_dict()
    assert df.loc[0, "sides.lna"] == pytest.approx(expected["sides"]["lna"])
    assert df.loc[0, "parties.lna.net"] == pytest.approx(expected["parties"]["lna"]["net"])
    assert df.loc[0, "matches"] == len(first.matches)
    if fmt != "csv":
        assert df["words"].dtype.kind == "i" and df["sides.gna"].dtype.kind == "f"


def test_jobs_write_the_same_files(tmp_path, capsys):
    corpus = _corpus(tmp_path, _records(300))
    outputs = []
    for jobs in ("1", "2"):
        out, matches = tmp_path / f"s{jobs}.csv", tmp_path / f"m{jobs}.jsonl"
        assert main(["score", str(corpus), "--lexicon", MINI, "--format", "csv", "-o", str(out),
                     "--matches", str(matches), "--jobs", jobs]) == 0
        outputs.append((out.read_bytes(), matches.read_bytes()))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_matches_table_points_into_each_article(tmp_path, capsys, mini, fmt):
    corpus = _corpus(tmp_path, _records(10))
    path = tmp_path / f"m.{fmt}"
    assert main(["score", str(corpus), "--lexicon", MINI, "--json", "--matches", str(path)]) == 0
    m = _read(path, fmt)
    texts = {r.where: r.text for r in read_records(str(corpus))}
    assert len(m) == sum(len(mini.score(t).matches) for t in texts.values())
    assert all(texts[w][s:e] == t for w, s, e, t in zip(m["where"], m["start"], m["end"], m["text"]))
    assert set(m["id"]) == {f"a{k}" for k in range(10)} and m["source"].str.match(r"terms\.tsv:\d+$").all()
    assert len(capsys.readouterr().out.splitlines()) == 10  # the articles still go to standard output


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_columns_are_those_of_the_first_chunk_whatever_warnings_come_between(tmp_path, capsys, fmt, jobs):
    records = [{"id": "a", "text": "no Arabic here"}, {"id": "b", "text": TEXTS[0]},
               {"id": "c", "text": "still none"}, {"id": "d", "late": "x", "text": TEXTS[1]}] + _records(6)
    out = tmp_path / f"s.{fmt}"
    assert main(["score", str(_corpus(tmp_path, records)), "--lexicon", MINI, "--format", fmt, "-o", str(out),
                 "--jobs", jobs]) == 0
    assert capsys.readouterr().err.count("no Arabic text") == 2
    df = _read(out, fmt)
    assert df["id"].tolist()[:4] == ["a", "b", "c", "d"] and len(df) == 10
    assert df["late"].fillna("-").tolist() == ["-", "-", "-", "x"] + ["-"] * 6


JSONL_CASES = [
    # (where, jobs): the flat JSON Lines, rendered in the workers, are the lines TableWriter writes
    ("file", "1"),
    ("file", "2"),
    ("stdout", "2"),
]


@pytest.mark.parametrize("where,jobs", JSONL_CASES)
def test_flat_json_lines_are_table_writer_lines_in_input_order(tmp_path, capsys, where, jobs):
    from io import StringIO

    from framing.export import TableWriter

    records = _records(150) + [{"id": "late", "late": "حقل", "text": TEXTS[1]},
                               {"id": "none", "text": "no Arabic here"}, {"id": "nan", "x": float("nan"), "text": TEXTS[2]}]
    corpus = _corpus(tmp_path, records)
    with corpus.open("a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": \n')  # skipped with --skip-bad: no row, and said so
    out, long_table = tmp_path / "s.jsonl", tmp_path / "m.jsonl"
    argv = ["score", str(corpus), "--lexicon", MINI, "--format", "jsonl", "--jobs", jobs, "--skip-bad",
            "--matches", str(long_table)]
    assert main(argv + (["-o", str(out)] if where == "file" else [])) == 0
    captured = capsys.readouterr()
    written = out.read_text(encoding="utf-8") if where == "file" else captured.out
    scorer = scorer_for(MINI)
    scores = [(scorer.score(r.text, r.meta), r.where) for r in read_records(str(corpus), skip_bad=True)]
    for text, rows in ((written, [article_row(s, w) for s, w in scores]),
                       (long_table.read_text(encoding="utf-8"), [row for s, w in scores for row in match_rows(s, w)])):
        expected = StringIO()
        TableWriter(expected, "jsonl").write(rows)
        assert text == expected.getvalue() and len(rows) > 150
    lines = written.splitlines()
    assert len(lines) == 152 and json.loads(lines[150])["late"] == "حقل" and json.loads(lines[151])["id"] == "none"
    assert '"id": "nan"' not in written and "broken" not in written  # NaN is not JSON: both records skipped
    assert "152 articles processed, 2 skipped" in captured.err and "no Arabic text" in captured.err


@pytest.mark.parametrize("text,meta", [
    ("قصفت ميليشيات حفتر الأحياء. وقال المسماري: «إن ميليشيات الوفاق فرت».", {"id": "a1", "outlet": "X"}),
    ("قصفت ميليشيات حفتر الأحياء.", {}),  # no id: where only
    ("no Arabic here", {"id": 3}),  # no match: a block without rows
])
def test_a_match_block_is_the_match_rows(mini, text, meta):
    from framing.export import match_block, row_blocks

    score = mini.score(text, meta)
    block = match_block(score, "c.jsonl:7")
    rows = match_rows(score, "c.jsonl:7")
    assert [dict(zip(block.columns, row)) for row in block.rows] == rows
    if rows:
        assert [block] == row_blocks(rows) and list(rows[0])[-13:] == list(score.matches[0].to_dict())


CSV_BATCHES = [
    # batches of rows, as TableWriter.write gets them: every row lands in the first batch's columns
    [[{"where": "a", "id": 1, "x": 0.5}, {"where": "b", "id": 2, "x": None}]],
    [[{"where": "a", "id": 1, "x": 0.5}, {"id": 2, "x": 1.5, "where": "b"}]],  # fields in another order
    [[{"where": "a", "id": 1, "x": 0.5}], [{"where": "b", "x": 2}, {"where": "c"}]],  # fields missing later
    [[{"where": "a,b", "id": "«قال» \"x\"\n", "x": True}, {"where": "", "id": 0, "x": -0.0}]],  # quoting
    [[{"where": "a", "id": 1, "x": 0.5}], [{"where": "b\r\n", "id": "", "x": None}, {"x": 1, "where": "c"}]],
]


@pytest.mark.parametrize("batches", CSV_BATCHES)
@pytest.mark.parametrize("rendered", [False, True])  # True: as CSV text made in a worker (CsvBlock)
def test_csv_rows_are_dict_writer_rows(batches, rendered):
    import csv
    from io import StringIO

    from framing.export import TableWriter, csv_blocks, row_blocks

    got, want = StringIO(), StringIO()
    writer = TableWriter(got, "csv")
    for batch in batches:
        writer.write_blocks(csv_blocks(row_blocks(batch)) if rendered else row_blocks(batch))
    reference = csv.DictWriter(want, list(batches[0][0]), lineterminator="\n")
    reference.writeheader()
    reference.writerows(row for batch in batches for row in batch)
    assert got.getvalue() == want.getvalue()


def test_csv_to_standard_output(tmp_path, capsys):
    corpus = _corpus(tmp_path, _records(3))
    assert main(["score", str(corpus), "--lexicon", MINI, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("where,id,outlet,n,lean,")


ERRORS = [
    # (records, options, words): one line, exit 2, no output file left behind
    (_records(3), ["--format", "parquet"], "-o FILE.parquet"),
    (_records(3), ["--format", "parquet", "-o", "{tmp}/s.csv"], "must end in .parquet"),
    (_records(3), ["--json", "--matches", "{tmp}/m.txt"], "the format of a table must be one of"),
    (_records(70) + [{"id": "late", "extra": 1, "text": TEXTS[0]}], ["--format", "csv", "-o", "{tmp}/s.csv", "--jobs", "1"],
     "field 'extra' first appears"),
    # after the first chunk of Parquet output (512 articles), converted to Arrow in a worker or not
    (_records(520) + [{"id": "late", "extra": 1, "text": TEXTS[0]}], ["--format", "parquet", "-o", "{tmp}/s.parquet",
                                                                       "--jobs", "1"], "c.jsonl:521: field 'extra' first"),
    (_records(520) + [{"id": "late", "extra": 1, "text": TEXTS[0]}], ["--format", "parquet", "-o", "{tmp}/s.parquet",
                                                                       "--jobs", "2"], "c.jsonl:521: field 'extra' first"),
    (_records(3) + [{"id": "bad"}], ["--format", "csv", "-o", "{tmp}/s.csv"], "no 'text' field"),
]


@pytest.mark.parametrize("records,options,words", ERRORS)
def test_errors_are_one_line_and_leave_no_file(tmp_path, capsys, records, options, words):
    corpus = _corpus(tmp_path, records)
    options = [o.replace("{tmp}", str(tmp_path)) for o in options]
    code = main(["score", str(corpus), "--lexicon", MINI, *options])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl"]


def _spec_row(score, where, stance=None, combined=None):
    """What a flat row is, written plainly: ``where``, the corpus fields, every score of
    ``summary_dict()`` flattened with dots (unrounded), the number of matches, the model's."""
    def flatten(prefix, value, out):
        if isinstance(value, dict):
            for k, v in value.items():
                flatten(f"{prefix}.{k}" if prefix else k, v, out)
        else:
            out[prefix] = value

    scores = replace(score, meta={}).summary_dict()
    row = {"where": where, **{k: v for k, v in score.meta.items() if k not in scores and k != "where"}}
    for key, value in scores.items():
        flatten(key, "; ".join(value) if key == "warnings" else value, row)
    for prefix, voice in (("", score), ("narrator.", score.narrator), ("all_voices.", score.all_voices)):
        row.update((f"{prefix}sides.{side}", value) for side, value in voice.sides.items())
        for party, p in voice.parties.items():
            row.update((f"{prefix}parties.{party}.{name}", getattr(p, name)) for name in ("favorable", "unfavorable",
                                                                                           "net"))
    row["matches"] = len(score.matches)
    for party, out in (stance or {}).items():
        row[f"model.{party}.label"] = out["label"]
        row.update((f"model.{party}.{cls}", prob) for cls, prob in out["proba"].items())
    flatten("combined", combined or {}, row)
    return row


MODEL = {"lna": {"label": "unfavorable", "proba": {"favorable": 0.1, "neutral": 0.2, "unfavorable": 0.7}}}
COMBINED = {"lna": {"stance": "unfavorable", "source": "lexicon"}}


@pytest.mark.parametrize("lexicon", [None, MINI, str(DATA / "three")])
@pytest.mark.parametrize(("meta", "stance", "combined"), [
    ({}, None, None),
    ({"id": "a", "outlet": "X"}, MODEL, COMBINED),
    # corpus fields named like scores: the score wins and the field keeps its place (or is dropped)
    ({"matches": 9, "sides.lna": "mine", "lean": "mine", "where": "elsewhere", "zz": 1}, None, None),
])
def test_a_row_is_every_score_flattened_in_order(lexicon, meta, stance, combined):
    scorer = scorer_for(lexicon)
    for record in read_records("demo"):
        score = scorer.score(record.text, {**record.meta, **meta})
        assert list(article_row(score, "w", stance, combined).items()) == \
            list(_spec_row(score, "w", stance, combined).items())


def test_a_corpus_field_named_like_a_score_gives_way(mini):
    score = mini.score(TEXTS[0], {"id": "x", "lean": "mine", "where": "elsewhere"})
    row = article_row(score, "c.jsonl:1")
    assert row["lean"] == score.lean and row["id"] == "x"
    assert row["where"] == "c.jsonl:1"  # the article's place: the matches table's key (score_corpus refuses the field)


@pytest.mark.parametrize("voice", ["narrator", "all"])
def test_compare_and_chart_read_a_table_of_scores_without_scoring_again(tmp_path, capsys, voice):
    corpus = _corpus(tmp_path, _records(60))
    table = tmp_path / "scores.parquet"
    assert main(["score", str(corpus), "--lexicon", MINI, "--format", "parquet", "-o", str(table)]) == 0
    capsys.readouterr()
    runs = [_run_json(capsys, ["compare", str(source), "--lexicon", MINI, "--json", "--voice", voice])
            for source in (corpus, table)]
    assert runs[0] == runs[1] and len(runs[0]) == 2
    chart = tmp_path / "c.png"
    assert main(["chart", str(table), "--lexicon", MINI, "-o", str(chart)]) == 0 and chart.stat().st_size > 0
    assert main(["chart", str(table), "--lexicon", MINI, "--kind", "terms", "-o", str(tmp_path / "t.png")]) == 2
    assert "needs each article's matches" in capsys.readouterr().err


def _run_json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("meta", [{}, {"id": "a", "outlet": "x"}, {"words": 3, "lean": "gna", "outlet": "x"}])
def test_summary_keys_are_the_keys_a_score_gives_over_its_corpus_fields(meta):
    # The one list of a score's own keys (--json and tables let a corpus field by one of these
    # names give way): it must follow Score.summary_dict.
    from framing.results import SUMMARY_KEYS

    score = scorer_for(None).score("قصفت ميليشيات حفتر الأحياء السكنية.", meta)
    summary = score.summary_dict()
    assert set(summary) - (meta.keys() - SUMMARY_KEYS) == SUMMARY_KEYS
    assert [k for k in summary if k not in SUMMARY_KEYS] == [k for k in meta if k not in SUMMARY_KEYS]


PARQUET_CORPORA = {
    # records written through workers that convert their rows to Arrow, chunk by chunk
    "plain": _records(90),
    "fields missing and of other types": [{**r, "n": r["n"] + 0.5} if k % 7 == 3 else r for k, r in enumerate(_records(90))]
    + [{"id": k, "text": TEXTS[k % 5]} for k in range(20)],
    "no Arabic between articles": [{"id": "x", "text": "none here"}, *_records(40), {"id": "y", "text": "nor here"}],
}


@pytest.mark.parametrize("corpus", PARQUET_CORPORA)
def test_parquet_made_in_workers_is_the_table_writers_file_for_any_jobs(tmp_path, capsys, monkeypatch, corpus):
    import pyarrow.parquet as pq

    import framing.commands.score
    import framing.export
    from framing.export import TableWriter

    from .test_export import match_rows as long_rows

    monkeypatch.setattr(framing.commands.score, "ARROW_CHUNK", 16)  # several chunks per worker
    monkeypatch.setattr(framing.export, "PARQUET_ROWS", 20)  # several row groups
    path = _corpus(tmp_path, PARQUET_CORPORA[corpus])
    files = []
    for jobs in ("1", "2", "3"):
        out, matches = tmp_path / f"s{jobs}.parquet", tmp_path / f"m{jobs}.parquet"
        assert main(["score", str(path), "--lexicon", MINI, "--format", "parquet", "-o", str(out),
                     "--matches", str(matches), "--jobs", jobs]) == 0
        files.append((out.read_bytes(), matches.read_bytes()))
    assert files[0] == files[1] == files[2]
    scorer = scorer_for(MINI)
    scores = [(scorer.score(r.text, r.meta), r.where) for r in read_records(str(path))]
    for name, rows, text in (("s1", [article_row(s, w) for s, w in scores], framing.commands.score._text_columns(scorer)),
                             ("m1", [row for s, w in scores for row in long_rows(s, w)], {"where", "id"})):
        reference = TableWriter(tmp_path / "ref.parquet", "parquet", text_columns=text)
        for k in range(0, len(rows), 16):  # as the writer took them before workers converted them
            reference.write(rows[k:k + 16])
        reference.close()
        got, want = pq.read_table(tmp_path / f"{name}.parquet"), pq.read_table(tmp_path / "ref.parquet")
        assert got.schema.equals(want.schema) and got.equals(want) and got.num_rows == len(rows)
    assert pq.ParquetFile(tmp_path / "s1.parquet").metadata.num_row_groups > 1


CHUNK_CASES = [
    # (text lengths, articles per chunk, bytes per chunk): the chunks' lengths
    ([3, 3, 3, 3], 64, 10, [4]),  # cut once 10 bytes are reached
    ([3, 3, 3, 3], 2, 10, [2, 2]),  # or once 2 articles are
    ([100, 1, 1], 64, 10, [1, 2]),  # a long article goes alone
    ([1, 1, 1], 64, 10, [3]),  # neither: one chunk
]


@pytest.mark.parametrize("lengths,size,limit,expected", CHUNK_CASES)
def test_chunks_are_cut_by_articles_or_by_text(monkeypatch, lengths, size, limit, expected):
    import framing.commands.score
    from framing.corpus import RawLine, Record

    monkeypatch.setattr(framing.commands.score, "CHUNK_BYTES", limit)
    items = [RawLine(b"x" * n, f"c:{k}") if k % 2 else Record("x" * n, {}, f"c:{k}") for k, n in enumerate(lengths)]
    assert [len(c) for c in framing.commands.score.in_order(iter(items), [], size)] == expected


@pytest.mark.parametrize("options", [
    ["--format", "parquet", "-o", "{tmp}/s.parquet"],
    ["--json", "--matches", "{tmp}/m.parquet", "-o", "{tmp}/s.jsonl"],
    ["--format", "parquet", "-o", "{tmp}/s.parquet", "--jobs", "2"],
])
def test_parquet_without_pyarrow_is_one_line_before_any_work(tmp_path, capsys, monkeypatch, options):
    import sys

    import framing.commands.score

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow fails, as when it is not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)

    def scored(*args):
        raise AssertionError("an article was scored before the error")

    monkeypatch.setattr(framing.commands.score, "score_chunk", scored)
    corpus = _corpus(tmp_path, _records(3))
    code = main(["score", str(corpus), "--lexicon", MINI, *[o.replace("{tmp}", str(tmp_path)) for o in options]])
    captured = capsys.readouterr()
    assert code == 2 and captured.err.strip() == "framing: error: Parquet output needs pyarrow: pip install 'framing[parquet]'"
    assert captured.out == "" and sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl"]


# A corpus field named `where` gives way to the article's place in the flat rows, as a field named
# like a score gives way to the score: the matches table keys on `where`, compare orders by it.
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_corpus_field_named_where_gives_way_to_the_place(tmp_path, fmt):
    records = [{**r, "where": "elsewhere", "lean": "mine"} for r in _records(4)]
    path = _corpus(tmp_path, records)
    out, matches = tmp_path / f"s.{fmt}", tmp_path / f"m.{fmt}"
    assert main(["score", str(path), "--lexicon", MINI, "--format", fmt, "-o", str(out), "--matches", str(matches),
                 "--jobs", "1"]) == 0
    rows = _read(out, fmt)
    assert rows["where"].tolist() == [f"{path}:{k}" for k in range(1, 5)]
    assert set(_read(matches, fmt)["where"]) <= set(rows["where"])
    assert "mine" not in rows["lean"].astype(str).tolist()
