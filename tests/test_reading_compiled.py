"""The reading of an article's matches (``framing.scorer.PythonReading``, and ``framing._core.Reader``
when compiled): hand-made match lists with the lean, basis and stances a reader takes from them,
including those that must NOT lean, through both; and both compared on generated match lists.

The rules are the module docstring of :mod:`framing.scorer`.
"""

from collections import deque
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import Scorer
from framing.lexicon import FrozenMap
from framing.results import Match, PartyStance, VoiceScores, make_match
from framing.scorer import PythonReading, ScoringRules

from .conftest import DATA

try:
    from framing import _core as core
except ImportError:  # not compiled (no C compiler), or FRAMING_PURE_PYTHON: the twin's tests still run
    core = None

compiled_only = pytest.mark.skipif(core is None, reason="framing._core was not compiled")

_SCORERS = {}


def scorer(lexicon="mini", **rules) -> Scorer:
    key = (lexicon, tuple(sorted(rules.items())))
    if key not in _SCORERS:
        _SCORERS[key] = Scorer(None if lexicon is None else DATA / lexicon, **rules)
    return _SCORERS[key]


def both(s: Scorer):
    """The scorer's twin, and a compiled Reader built from it."""
    python = s._reader if isinstance(s._reader, PythonReading) else s._reader.fallback
    return python, None if core is None else core.Reader(python, Match, PartyStance, VoiceScores, FrozenMap)


def m(target, polarity=None, weight=1.0, voice="narrator", speaker=None, kind="evaluative"):
    """A match with what the reading reads of it (its place in a text does not matter here)."""
    return make_match(0, 1, "x", "x", kind, target, polarity, None, weight, voice, "named", speaker, "test")


def q(target, polarity, speaker, weight=1.0):
    """A quoted match."""
    return m(target, polarity, weight, "quoted", speaker)


F, U = "favorable", "unfavorable"

# (match list, lean, basis, {party: stance} of the reading, for the parties listed).
# The mini lexicon: sides lna and gna; russia backs lna, turkey backs gna.
CASES = [
    ([], None, None, {"lna": None, "gna": None}),
    ([m("lna", U)], "gna", "narrator", {"lna": U, "gna": None}),
    ([m("gna", F, 1.5)], "gna", "narrator", {"gna": F}),
    # A name alone is a mention, not evidence.
    ([m("lna", kind="actor")], None, None, {"lna": "neutral", "gna": None}),
    # Evidence against a backer is evidence against its camp.
    ([m("turkey", U)], "lna", "narrator", {"turkey": U, "gna": U, "lna": None}),
    # Balanced: no side holds two thirds of the signal.
    ([m("lna", U, 1.2), m("gna", U)], None, None, {"lna": U, "gna": U}),
    # MUST NOT lean: two camps condemned and none praised, whichever attack is heavier.
    ([m("lna", U), m("lna", U), m("gna", U)], None, None, {"lna": U, "gna": U}),
    ([m("lna", U, 2.0), m("russia", U), m("gna", U)], None, None, {"lna": U, "gna": U}),
    # ... but condemning one camp and praising the other leans.
    ([m("lna", U), m("lna", U), m("gna", F)], "gna", "narrator", {"lna": U, "gna": F}),
    # MUST NOT lean: weak names of both camps (wire copy) cancel out, and are no stance.
    ([m("lna", U, 0.5), m("gna", U, 0.5)], None, None, {"lna": "neutral", "gna": "neutral"}),
    ([m("lna", U, 0.5), m("lna", U, 0.5), m("lna", U, 0.5), m("gna", U, 0.5)], None, None,
     {"lna": "neutral", "gna": "neutral"}),
    # Weak names of one camp add up, and count in the stance the article leans with.
    ([m("lna", U, 0.5), m("lna", U, 0.5)], "gna", "narrator", {"lna": U}),
    # MUST NOT give a stance: one wire qualifier (0.25), even where the article leans its way ...
    ([m("lna", U), m("gna", F, 0.25)], "gna", "narrator", {"lna": U, "gna": "neutral"}),
    # ... where two of them (weak_weight) are part of the framing.
    ([m("lna", U), m("gna", F, 0.25), m("gna", F, 0.25)], "gna", "narrator", {"lna": U, "gna": F}),
    # Weak evidence against the lean is not counted in a stance.
    ([m("lna", U), m("lna", U), m("gna", U, 0.5)], "gna", "narrator", {"lna": U, "gna": "neutral"}),
    # Sourcing: one camp's statements count at quoted_weight ...
    ([q("lna", U, "gna"), q("lna", U, "gna")], "gna", "sourcing", {"lna": U}),
    ([m("lna", U, 0.75), q("lna", U, "turkey")], "gna", "sourcing", {"lna": U}),
    # ... and the basis is the narrator's when its words alone give the same lean.
    ([m("lna", U), q("lna", U, "gna")], "gna", "narrator", {"lna": U}),
    # MUST NOT lean: two-sided sourcing (both camps quoted) is wire practice.
    ([q("lna", U, "gna"), q("lna", U, "gna"), q("gna", U, "lna")], None, None, {"lna": None, "gna": None}),
    ([q("lna", U, "gna"), q("lna", U, "gna"), q("gna", F, "russia")], None, None, {"lna": None}),
    # MUST NOT lean: a report or unnamed sources quoted are news, not a camp.
    ([q("lna", U, None), q("lna", U, None)], None, None, {"lna": None}),
    # MUST NOT count the quotes: the narrator points the other way ...
    ([m("gna", U), q("lna", U, "gna"), q("lna", U, "gna"), q("lna", U, "gna")], "lna", "narrator",
     {"gna": U, "lna": None}),
    # ... or names both camps the wire's weak way.
    ([m("lna", U, 0.5), m("gna", U, 0.5), q("lna", U, "gna"), q("lna", U, "gna")], None, None,
     {"lna": "neutral", "gna": "neutral"}),
    # ... or the quotes do not point one way (two thirds of them).
    ([q("lna", U, "gna"), q("gna", U, "turkey")], None, None, {"lna": None, "gna": None}),
    # A quoted name alone (no polarity) is no sourcing, but is a mention in all voices.
    ([q("lna", None, "gna"), m("gna", F)], "gna", "narrator", {"gna": F, "lna": None}),
]


@pytest.mark.parametrize("matches,lean,basis,stances", CASES)
@pytest.mark.parametrize("path", ["compiled", "python"])
def test_reading(matches, lean, basis, stances, path):
    python, compiled = both(scorer())
    if path == "compiled" and compiled is None:
        pytest.skip("framing._core was not compiled")
    reader = compiled if path == "compiled" else python
    narrator, reading, got_basis, every = reader(tuple(matches), 300)
    assert (reading.lean, got_basis) == (lean, basis)
    assert {p: reading.parties[p].stance for p in stances} == stances
    # The narrator's own scores; all voices are the narrator's when nothing is quoted.
    assert narrator.lean == (lean if basis == "narrator" else narrator.lean)
    assert (every is narrator) == all(x.voice == "narrator" for x in matches)


@compiled_only
def test_results_keep_the_twins_orders_and_shared_objects():
    python, compiled = both(scorer(None))
    matches = (m("lna", U), m("turkey", F, 0.5), q("gna", U, "lna"), m(None, U, 0.75))
    for got, want in zip(compiled(matches, 41), python(matches, 41)):
        assert got == want and repr(got) == repr(want)
        if isinstance(got, VoiceScores):
            assert list(got.sides) == list(want.sides) and list(got.parties) == list(want.parties)
            # Unmentioned parties share the twin's not-mentioned stance.
            assert got.parties["qatar"] is want.parties["qatar"]
    narrator, reading, _, _ = compiled(matches[:2], 41)
    assert reading is narrator


@compiled_only
def test_per_thousand_words_is_the_twins_division():
    python, compiled = both(scorer())
    matches = (m("lna", U, 1.1), m("gna", F, 0.3))
    for words in (0, 1, 3, 7, 333, 2 ** 40):
        got, want = compiled(matches, words), python(matches, words)
        assert repr(got) == repr(want)
        assert got[0].sides["gna"] == (1.1 + 0.3) * (1000 / max(words, 1))


def counting(python):
    """A Reader whose twin counts its calls (in the list returned with it)."""
    calls = []

    class Counting:
        def __getattr__(self, name):
            return getattr(python, name)

        def __call__(self, matches, words):
            calls.append(matches)
            return python(matches, words)

    return core.Reader(Counting(), Match, PartyStance, VoiceScores, FrozenMap), calls


@compiled_only
def test_what_the_c_code_does_not_read_goes_to_the_twin():
    python, _ = both(scorer())
    compiled, calls = counting(python)
    good = (m("lna", U),)
    assert compiled(good, 10) == python(good, 10) and not calls
    odd = [
        (SimpleNamespace(voice="narrator", target="lna", polarity=U, weight=1.0, speaker=None),),  # not a Match
        (m("lna", U, 1),),  # an int weight
        (m("lna", U, True),),
        (m("lna", U, voice=None),),  # a voice that is not a string
        deque(good),  # not a tuple or list
    ]
    for matches in odd:
        assert compiled(matches, 10) == python(matches, 10) and calls[-1] is matches
    for words in (10.0, True, -1, 2 ** 53, 2 ** 70):  # not an int, or not one a double holds exactly
        calls.clear()
        assert repr(compiled(good, words)) == repr(python(good, words)) and calls == [good]
    calls.clear()
    assert compiled(good, 2 ** 53 - 1) == python(good, 2 ** 53 - 1) and not calls
    for bad in ((m("nobody", U),), (m("lna", "sideways"),), (q("lna", U, "nobody"),)):
        with pytest.raises(KeyError):
            python(bad, 10)
        with pytest.raises(KeyError):
            compiled(bad, 10)
        assert calls[-1] is bad
    # Thresholds that do not compare in C as in Python: every call goes to the twin.
    exact = scorer(lean_min_share=Fraction(2, 3))
    python, _ = both(exact)
    compiled, calls = counting(python)
    assert compiled(good, 10) == python(good, 10) and calls == [good]


@compiled_only
def test_the_scorer_uses_the_compiled_reader():
    assert isinstance(scorer()._reader, core.Reader)


_WEIGHTS = st.one_of(st.sampled_from([0.25, 0.5, 1.0, 0.75, 1.5, 2.0]),
                     st.floats(0.0, 3.0, allow_nan=False), st.sampled_from([0.1, 1 / 3, 0.7, 1e-9]))


def _matches(parties):
    who = st.sampled_from((None, *parties))
    one = st.builds(lambda target, polarity, weight, quoted, speaker, kind: m(
        target, polarity, weight, "quoted" if quoted else "narrator", speaker if quoted else None, kind),
        who, st.sampled_from((None, F, U)), _WEIGHTS, st.booleans(), who, st.sampled_from(("evaluative", "naming")))
    return st.lists(one, max_size=40)


def _compare(s, matches, words):
    python, compiled = both(s)
    for container in (tuple, list):
        got, want = compiled(container(matches), words), python(container(matches), words)
        assert got == want and repr(got) == repr(want)  # the same floats, bit for bit, in the same order
        assert [list(v.parties) for v in got if isinstance(v, VoiceScores)] == \
               [list(v.parties) for v in want if isinstance(v, VoiceScores)]


@compiled_only
@settings(max_examples=300, deadline=None)
@given(_matches(("lna", "gna", "turkey", "russia")), st.integers(0, 3000))
def test_compiled_reading_is_the_twins(matches, words):
    _compare(scorer(), matches, words)


@compiled_only
@settings(max_examples=300, deadline=None)
@given(_matches(("lna", "gna", "south", "turkey")), st.integers(0, 3000))
def test_compiled_reading_is_the_twins_with_three_sides(matches, words):
    _compare(scorer("three"), matches, words)


@compiled_only
@settings(max_examples=150, deadline=None)
@given(_matches(("lna", "gna", "turkey", "russia")), st.integers(0, 3000),
       st.sampled_from([{"quoted_weight": 1 / 3, "weak_weight": 0.25}, {"lean_min_evidence": 0, "lean_min_share": 0.5},
                        {"stance_min_evidence": 2, "stance_min_share": 0.9, "weak_weight": 1},
                        {"quoted_weight": 0.0, "lean_min_evidence": 2}]))
def test_compiled_reading_is_the_twins_with_other_rules(matches, words, rules):
    s = scorer(**rules)
    assert s.rules == ScoringRules(**rules)
    _compare(s, matches, words)


@compiled_only
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(("lna", "russia", "gna")), st.sampled_from((F, U, None)), _WEIGHTS),
                max_size=6),
       st.lists(st.tuples(st.sampled_from(("lna", "russia", None)), _WEIGHTS, st.sampled_from(("gna", "turkey", None))),
                min_size=1, max_size=8),
       st.integers(0, 3000))
def test_compiled_reading_is_the_twins_on_one_sided_sourcing(narrated, quoted, words):
    # The path generated lists rarely take: one camp's statements against the other, counted at
    # quoted_weight after the narrator's evidence, in the twin's order.
    matches = [m(t, p, w) for t, p, w in narrated] + [q(t, U, who, w) for t, w, who in quoted]
    _compare(scorer(), matches, words)
    _compare(scorer(quoted_weight=0.3), matches[::-1], words)


def test_make_score_is_score():
    import pickle
    from dataclasses import fields

    from framing.results import Score, make_score

    values = [object() for _ in fields(Score)]
    made, init = make_score(*values), Score(*values)
    assert [getattr(made, f.name) for f in fields(Score)] == values  # every field, in order
    assert list(vars(made)) == list(vars(init)) and made == init
    s = scorer().score("قصفت ميليشيات حفتر الأحياء السكنية", {"id": 1})
    assert type(s) is Score and pickle.loads(pickle.dumps(s)) == s
    with pytest.raises(AttributeError):
        s.words = 3  # still frozen
    for wrong in (values[:-1], [*values, None]):
        with pytest.raises(TypeError, match="make_score takes the 12 fields of Score"):
            make_score(*wrong)
