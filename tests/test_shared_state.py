"""No hidden shared state: scoring rules are a frozen value, shared scorers are immutable and keyed
by (lexicon, rules), and every public entry point takes a lexicon as a name, a path or a Lexicon."""

import copy
import dataclasses
import json
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing import InputError, Scorer, lexicon, load_lexicon, score
from framing.charts import article_chart
from framing.evaluate import evaluate
from framing.lexicon import Entry, FrozenMap, Lexicon, Party
from framing.lint import lint
from framing.render.html import article_page
from framing.scorer import ScoringRules, scorer_for

from .conftest import DATA

THREE = DATA / "three"
TEXT = "تقدمت قوات الجنوب الباسلة نحو المدينة."


@pytest.mark.parametrize("attribute", ["lean_min_evidence", "lean_min_share", "stance_min_evidence",
                                       "stance_min_share", "window", "quoted_weight", "weak_weight", "lexicon",
                                       "rules"])
def test_a_shared_scorer_cannot_be_changed(attribute):
    shared = scorer_for(THREE)
    before = score(TEXT, lexicon=THREE).to_dict()
    with pytest.raises(AttributeError, match="immutable"):
        setattr(shared, attribute, 100)
    assert score(TEXT, lexicon=THREE).to_dict() == before


def test_shared_scorers_are_keyed_by_lexicon_and_rules():
    strict = ScoringRules(lean_min_evidence=100)
    assert scorer_for(THREE) is scorer_for(str(THREE))
    assert scorer_for(THREE, strict) is scorer_for(load_lexicon(THREE), ScoringRules(lean_min_evidence=100))
    assert scorer_for(THREE, strict) is not scorer_for(THREE)
    assert scorer_for(THREE, strict).score(TEXT).lean is None
    assert scorer_for(THREE).score(TEXT).lean == "south"  # the strict one changed nothing shared


def test_keywords_and_rules_are_one_value():
    assert Scorer(THREE, window=5).rules == ScoringRules(window=5)
    assert Scorer(THREE, rules=ScoringRules(window=5)).window == 5
    assert ScoringRules().to_dict() == {"window": 3, "lean_min_evidence": 1.0, "lean_min_share": 2 / 3,
                                        "stance_min_evidence": 1.0, "stance_min_share": 2 / 3,
                                        "quoted_weight": 0.5, "direction_min_evidence": 1.5, "weak_weight": 0.5}


@pytest.mark.parametrize("kwargs, message", [
    ({"window": -1}, "window must be a positive integer. Got -1 instead"),
    ({"window": 2.5}, "window must be a positive integer"),
    ({"lean_min_share": 0}, r"lean_min_share must be a number in \[0.5, 1\]. Got 0 instead"),
    ({"stance_min_share": 1.5}, "stance_min_share must be a number in"),
    ({"lean_min_evidence": -0.1}, "lean_min_evidence must be a finite number of at least 0"),
    ({"stance_min_evidence": "1"}, "stance_min_evidence must be a finite number of at least 0"),
    ({"direction_min_evidence": float("nan")}, "direction_min_evidence must be a finite number"),
    ({"quoted_weight": -1}, r"quoted_weight must be a number in \[0, 1\]"),
])
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        ScoringRules(**kwargs)
    with pytest.raises(InputError, match=message):
        Scorer(THREE, **kwargs)


def test_rules_must_be_a_scoring_rules():
    with pytest.raises(InputError, match="rules must be a ScoringRules. Got dict instead"):
        Scorer(THREE, rules={"window": 3})


# --------------------------------------------------------------------------------------------
# One lexicon argument, four forms, every entry point


@pytest.fixture(params=["name", "str path", "Path", "Lexicon"])
def lexicon_form(request, monkeypatch):
    monkeypatch.setenv("FRAMING_LEXICONS", str(DATA))
    return {"name": "three", "str path": str(THREE), "Path": Path(THREE), "Lexicon": load_lexicon(THREE)}[request.param]


def _sides(s):
    return set(s.sides)


ENTRY_POINTS = {
    "framing.score": lambda lex: _sides(score(TEXT, lexicon=lex)),
    "Scorer": lambda lex: _sides(Scorer(lex).score(TEXT)),
    "scorer_for": lambda lex: _sides(scorer_for(lex).score(TEXT)),
    "load_lexicon": lambda lex: set(load_lexicon(lex).sides),
    "score_corpus": lambda lex: {c.split(".")[1] for c in framing.score_corpus(
        pd.DataFrame({"text": [TEXT]}), lexicon=lex, progress=False).columns if c.startswith("sides.")},
    "LexiconFeatures": lambda lex: {n.split("_")[1] for n in framing.LexiconFeatures(lex).fit([TEXT])
                                    .get_feature_names_out() if n.startswith("side_")},
    "StanceModel": lambda lex: set(load_lexicon(framing.StanceModel(lex).lexicon).sides),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_takes_every_form_of_lexicon(entry, lexicon_form):
    assert ENTRY_POINTS[entry](lexicon_form) == {"lna", "gna", "south"}


def _frame():
    return pd.DataFrame({"outlet": ["Dunes", "Cedar"] * 3, "text": [TEXT, "قصفت ميليشيات الوفاق المدينة."] * 3,
                         "stance_south": ["favorable", "neutral"] * 3})


def _article_chart_sides(lex):
    fig = article_chart(score(TEXT, lexicon=THREE), lexicon=lex)
    return {"counts for SOUTH", "counts for LNA", "counts for GNA"} <= {t.get_text() for legend in fig.legends
                                                                      for t in legend.get_texts()}


def _evaluate_sides(lex):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labelled.csv"
        _frame().to_csv(path, index=False)
        return evaluate(str(path), lexicon=lex).sides


# More entry points, each with what it gives for the three-sided lexicon (every form must give it)
MORE_ENTRY_POINTS = {
    "Schema": (lambda lex: framing.Schema(lex).sides, ("lna", "gna", "south")),
    "StanceClassifier": (lambda lex: load_lexicon(framing.StanceClassifier(lex).lexicon).sides, ("lna", "gna", "south")),
    "evaluate": (_evaluate_sides, ("lna", "gna", "south")),
    "kwic": (lambda lex: set(framing.kwic(_frame(), term="قوات الجنوب", lexicon=lex)["target"]), {"south"}),
    "distinctive_terms": (lambda lex: framing.distinctive_terms(
        framing.score_corpus(_frame(), lexicon=THREE, progress=False), "outlet", ("Dunes", "Cedar"), lexicon=lex,
        min_count=1).attrs["lexicon"], "three"),
    "lint": (lambda lex: [str(f) for f in lint(lex).findings], [str(f) for f in lint(str(THREE)).findings]),
    "article_chart": (_article_chart_sides, True),
    "article_page": (lambda lex: "SOUTH" in article_page(score(TEXT, lexicon=THREE), lexicon=lex), True),
}


@pytest.mark.parametrize("entry", MORE_ENTRY_POINTS)
def test_more_entry_points_take_every_form_of_lexicon(entry, lexicon_form):
    call, expected = MORE_ENTRY_POINTS[entry]
    assert call(lexicon_form) == expected


@pytest.mark.parametrize("bad, message", [
    ("no-such-lexicon", "unknown lexicon 'no-such-lexicon'"),
    (DATA / "stance.jsonl", "not a lexicon directory"),
    (42, "lexicon must be a name, a path or a Lexicon. Got int instead"),
])
def test_a_bad_lexicon_argument_is_one_clear_error(bad, message):
    with pytest.raises(framing.LexiconError, match=message):
        score(TEXT, lexicon=bad)


# --------------------------------------------------------------------------------------------
# Work shared between the parties and folds of a model lives only inside a shared_work() block


def test_feature_rows_are_shared_only_inside_a_block(monkeypatch):
    from framing import features

    calls = []
    real = features._score_row
    monkeypatch.setattr(features, "_score_row", lambda scorer, text: calls.append(text) or real(scorer, text))
    lf = features.LexiconFeatures(THREE).fit([TEXT])
    lf.transform([TEXT, TEXT])
    assert len(calls) == 2  # outside a block nothing is kept
    calls.clear()
    with features.shared_work():
        first = lf.transform([TEXT, TEXT])
        with features.shared_work():  # nested: the outer block's work
            second = lf.transform([TEXT])
    assert len(calls) == 1
    assert (first[0] == second[0]).all()
    lf.transform([TEXT])
    assert len(calls) == 2  # the block's work is gone with it


def test_no_module_level_caches_of_articles():
    from framing import features

    assert not hasattr(features, "_ROW_CACHE")
    assert not hasattr(features.normalized_words, "cache_info")


# --------------------------------------------------------------------------------------------
# The memos of loaded lexicons and shared scorers: keyed by content, holding immutable values


def _edit(path: Path, old: str, new: str, how: str):
    """Change ``old`` to ``new`` (same length) in ``path``, keeping its modification time."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    while True:
        if how == "in place":
            path.write_text(text.replace(old, new), encoding="utf-8")
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        else:  # an editor or a sync tool that writes a new file and renames it over the old one
            tmp = path.with_suffix(".new")
            tmp.write_text(text.replace(old, new), encoding="utf-8")
            os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
            os.replace(tmp, path)
        # A real edit of a settled file comes seconds after it was read; here it may fall in the same
        # tick of the file system's coarse clock, so write again until the change time moves on.
        if (path.stat().st_ino, path.stat().st_ctime_ns) != (st.st_ino, st.st_ctime_ns):
            break
        time.sleep(0.005)
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size


EDITS = {  # file, old text, new text (same size), what a caller sees before and after
    "a term's weight": ("terms.tsv", "heroism\t1\t", "heroism\t5\t",
                        lambda lex: round(score(TEXT, lexicon=lex).sides["south"])),
    "a party's gloss": ("parties.tsv", "invented third camp", "invented third CAMP",
                        lambda lex: load_lexicon(lex).parties["south"].gloss),
}


@pytest.mark.parametrize("settled", [True, False], ids=["settled files", "files just written"])
@pytest.mark.parametrize("how", ["in place", "replaced"])
@pytest.mark.parametrize("edit", EDITS)
def test_an_edited_lexicon_is_seen_even_with_its_old_modification_time(tmp_path, monkeypatch, edit, how, settled):
    # Settled: stat() is trusted to tell an unchanged file; just written: the files are hashed each time.
    monkeypatch.setattr(lexicon, "SETTLED_SECONDS", -1e6 if settled else 1e6)
    copy = tmp_path / "three"
    shutil.copytree(THREE, copy)
    name, old, new, seen = EDITS[edit]
    before = seen(str(copy))
    first = load_lexicon(copy)
    _edit(copy / name, old, new, how)
    after = load_lexicon(copy)
    assert after is not first and after.sha256 != first.sha256
    assert seen(str(copy)) != before
    assert scorer_for(copy) is not scorer_for(first)
    _edit(copy / name, new, old, how)  # back as it was: the first lexicon again (equal content)
    assert load_lexicon(copy) == first and seen(str(copy)) == before


@pytest.mark.parametrize("settled, hashed", [(True, 0), (False, 4)])
def test_an_unchanged_lexicon_is_the_memoised_one(tmp_path, monkeypatch, settled, hashed):
    monkeypatch.setattr(lexicon, "SETTLED_SECONDS", -1e6 if settled else 1e6)
    copy = tmp_path / "three"
    shutil.copytree(THREE, copy)
    first = load_lexicon(copy)
    calls = []
    real = lexicon._digest
    monkeypatch.setattr(lexicon, "_digest", lambda *data: calls.append(1) or real(*data))
    assert all(load_lexicon(form) is first for form in (copy, str(copy), first))
    assert scorer_for(copy) is scorer_for(str(copy))
    assert len(calls) == hashed  # settled files are not read again; files just written are, each call


RULE_CHANGES = [{name: value} for name, value in [
    ("window", 4), ("lean_min_evidence", 2.0), ("lean_min_share", 0.8), ("stance_min_evidence", 2.0),
    ("stance_min_share", 0.8), ("quoted_weight", 0.0), ("direction_min_evidence", 1.0), ("weak_weight", 0.25)]]


@pytest.mark.parametrize("change", RULE_CHANGES, ids=[next(iter(c)) for c in RULE_CHANGES])
def test_two_rules_give_two_scorers(change):
    other = ScoringRules(**change)
    assert other != ScoringRules()
    assert scorer_for(THREE, other) is not scorer_for(THREE)
    assert scorer_for(THREE, other).rules == other and scorer_for(THREE).rules == ScoringRules()
    # Must not: equal rules, however made, share one scorer.
    assert scorer_for(THREE, ScoringRules(**change)) is scorer_for(THREE, other)
    assert scorer_for(THREE, ScoringRules(**ScoringRules().to_dict())) is scorer_for(THREE)


IMMUTABLE = (str, int, float, bool, type(None), Path)


def _reachable(value, path="", seen=None):
    """Every (path, value) a caller reaches through public attributes, items and elements."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, IMMUTABLE):
        return
    seen.add(id(value))
    yield path, value
    if isinstance(value, (tuple, frozenset)):
        for k, item in enumerate(value):
            yield from _reachable(item, f"{path}[{k}]", seen)
    elif isinstance(value, FrozenMap):
        for key, item in value.items():
            yield from _reachable(item, f"{path}[{key!r}]", seen)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _reachable(getattr(value, f.name), f"{path}.{f.name}", seen)
        if isinstance(value, Lexicon):
            yield from _reachable(value.sides, f"{path}.sides", seen)
    elif isinstance(value, Scorer):
        for name in ("lexicon", "rules"):
            yield from _reachable(getattr(value, name), f"{path}.{name}", seen)


@pytest.mark.parametrize("shared", ["load_lexicon", "scorer_for"])
def test_nothing_a_caller_gets_back_can_be_changed(shared):
    value = load_lexicon(THREE) if shared == "load_lexicon" else scorer_for(THREE)
    before = score(TEXT, lexicon=THREE).to_dict()
    reached = list(_reachable(value))
    assert {type(v) for _, v in reached} >= {Party, Entry, tuple}
    for where, v in reached:
        assert isinstance(v, (tuple, frozenset, FrozenMap, Scorer)) or (
            dataclasses.is_dataclass(v) and v.__dataclass_params__.frozen), f"{shared}(){where} is a mutable {type(v)}"
        target = next((f.name for f in dataclasses.fields(v)), None) if dataclasses.is_dataclass(v) else "lexicon"
        if target is not None and not isinstance(v, (tuple, frozenset, FrozenMap)):
            with pytest.raises(AttributeError):
                setattr(v, target, None)
    parties = load_lexicon(THREE).parties
    for change in (lambda: parties.__setitem__("south", None), lambda: parties.pop("south"),
                   lambda: parties.update({})):
        with pytest.raises((TypeError, AttributeError)):
            change()
    assert score(TEXT, lexicon=THREE).to_dict() == before


# A score's mappings (its reading's, each voice's, its corpus fields) are read-only, as the
# frozen dataclasses around them are: made by the compiled reader and by its Python twin.
QUOTED_TEXT = "وقال المسماري: «فرت الميليشيات من المدينة». " + TEXT
MAPPINGS = {
    "parties": lambda s: s.parties, "sides": lambda s: s.sides, "meta": lambda s: s.meta,
    "narrator.parties": lambda s: s.narrator.parties, "all_voices.sides": lambda s: s.all_voices.sides,
}
CHANGES = {
    "item": lambda d: d.__setitem__("x", 1), "del": lambda d: d.__delitem__(next(iter(d))),
    "update": lambda d: d.update(x=1), "pop": lambda d: d.pop(next(iter(d))), "popitem": lambda d: d.popitem(),
    "clear": lambda d: d.clear(), "setdefault": lambda d: d.setdefault("x", 1), "|=": lambda d: d.__ior__({"x": 1}),
}


def _twin_score(text, meta):
    """The score of ``text`` with its reading made by the Python twin of the compiled reader."""
    s = scorer_for(THREE)
    twin = getattr(s._reader, "fallback", s._reader)
    scored = s.score(text, meta)
    narrator, reading, basis, every = twin(scored.matches, scored.words)
    return dataclasses.replace(scored, narrator=narrator, reading=reading, basis=basis, all_voices=every)


@pytest.mark.parametrize("made_by", ["scorer", "twin"])
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES)
@pytest.mark.parametrize("mapping", MAPPINGS.values(), ids=MAPPINGS)
def test_the_mappings_of_a_score_cannot_be_changed(made_by, mapping, change):
    meta = {"id": "a1", "outlet": "x"}
    s = scorer_for(THREE).score(QUOTED_TEXT, meta) if made_by == "scorer" else _twin_score(QUOTED_TEXT, meta)
    before = s.to_dict()
    with pytest.raises(TypeError, match="read-only"):
        change(mapping(s))
    assert s.to_dict() == before
    assert meta == {"id": "a1", "outlet": "x"}  # the caller's own dict is not the score's


def test_everything_a_score_holds_is_immutable():
    s = scorer_for(THREE).score(QUOTED_TEXT, {"id": "a1"})
    assert s.narrator is not s.all_voices  # a quotation: two sets of scores to walk
    reached = list(_reachable(s))
    assert {type(v) for _, v in reached} >= {FrozenMap, framing.results.PartyStance, framing.results.Match}
    for where, v in reached:
        assert isinstance(v, (tuple, frozenset, FrozenMap)) or (
            dataclasses.is_dataclass(v) and v.__dataclass_params__.frozen), f"score{where} is a mutable {type(v)}"


def _as_dict(value):
    return value.to_dict()


@pytest.mark.parametrize("read", [
    lambda m: json.dumps(m, default=_as_dict) == json.dumps(dict(m), default=_as_dict),
    lambda m: pickle.loads(pickle.dumps(m)) == m and type(pickle.loads(pickle.dumps(m))) is FrozenMap,
    lambda m: copy.deepcopy(m) == m and type(copy.deepcopy(m)) is FrozenMap,
    lambda m: isinstance(m, dict) and list(m) == list(dict(m)),
    lambda m: type(m.copy()) is dict and type(m | {"x": 1}) is dict,  # what is made from it can change
], ids=["json", "pickle", "deepcopy", "a dict", "copies are ordinary dicts"])
def test_a_read_only_mapping_reads_as_a_dict(read):
    s = scorer_for(THREE).score(QUOTED_TEXT, {"id": "a1"})
    for m in (s.parties, s.sides, s.meta):
        assert read(m)
