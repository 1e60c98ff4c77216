"""The attachment rules of an article in C (``framing._core.TargetRules``) and their Python twin
(``framing.scorer.PythonTargetRules``, the functions of ``framing.attach`` chained) give the same
matches: rule by rule on sentences written for the test, including the cases where a rule must
not fire, and item for item on generated articles, with two sides and with three."""

import importlib.util
import pickle
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import Scorer
from framing.results import Match
from framing.scorer import PythonTargetRules, TargetRules

from .conftest import DATA, ROOT

compiled_only = pytest.mark.skipif(TargetRules is None, reason="framing._core was not compiled")


def _scorers(lexicon):
    """Two scorers of ``lexicon``: one reading with the compiled rules, one with the twin."""
    scorer, twin = Scorer(lexicon), Scorer(lexicon)
    rules = scorer._attach
    if TargetRules is not None:
        assert type(rules) is TargetRules and rules.compiled and type(rules.twin) is PythonTargetRules
        object.__setattr__(twin, "_attach", rules.twin)
    return {"compiled": scorer, "python": twin}


@pytest.fixture(scope="module")
def mini_pair():
    return _scorers(DATA / "mini")


@pytest.fixture(scope="module")
def three_pair():
    return _scorers(DATA / "three")


@pytest.fixture(scope="module")
def default_pair():
    return _scorers(None)


PATHS = [pytest.param("compiled", marks=compiled_only), "python"]


def _found(scorer, text):
    """(term, target, rule, voice, speaker) of each match that is no actor's name."""
    return [(m.term, m.target, m.rule, m.voice, m.speaker) for m in scorer.matches(text) if m.kind != "actor"]


N, Q = "narrator", "quoted"

# (text, the (term, target, rule, voice, speaker) of each match but the actors'), with the mini
# lexicon (tests/data/mini: sides lna and gna; turkey backs gna, russia lna).
CASES = [
    # possessive: -ها belongs to the last actor before it, in the same sentence and voice ...
    ("انسحبت ميليشيات الوفاق ومرتزقتها من المدينة.",
     [("ميليشيات", "gna", "construct", N, None), ("مرتزقة", "gna", "possessive", N, None)]),
    # ... never to an actor outside the quotation it is in
    ("وصل حفتر. وقال شاهد: «فرت مرتزقتها من المدينة»", [("مرتزقة", None, None, Q, None)]),
    # ... but for a statement of a source of no known camp, to the actor its reporting clause names
    ("وقال شهود عن حفتر: «فرت مرتزقته من المدينة»", [("مرتزقة", "lna", "possessive", Q, None)]),
    # a newspaper is no camp: the actor its clause names is not the speaker, whose words would go
    # to the other camp
    ("وقالت صحيفة، في تقرير عن حفتر، إن الميليشيات فرت.", [("ميليشيات", None, None, Q, None)]),
    # speaker: -نا inside a statement, or an adjective after a word in -نا, is the speaker's camp
    ("وقال قنونو: «إن مرتزقتنا»", [("مرتزقة", "gna", "speaker", Q, "gna")]),
    ("وقال المسماري: «إن قواتنا الباسلة تقدمت»", [("الباسلة", "lna", "speaker", Q, "lna")]),
    # ... and «قواتنا» of the narrator has no speaker
    ("إن قواتنا الباسلة صامدة.", [("الباسلة", None, None, N, None)]),
    # construct: an indefinite noun, then the actor
    ("قصفت ميليشيات حفتر حي الهضبة.", [("ميليشيات", "lna", "construct", N, None)]),
    ("وصلت مرتزقة «فاغنر» إلى الجفرة.", [("مرتزقة", "russia", "construct", N, None)]),
    # ... not across punctuation (nor does the nearest-actor rule) nor more than two words
    ("قصفت ميليشيات، حفتر الحي.", [("ميليشيات", None, None, N, None)]),
    ("قصفت ميليشيات في المدينة الليلة الماضية حفتر الحي.", [("ميليشيات", None, None, N, None)]),
    # ... and a definite noun heads none, an actor joined by «و» is coordinated with it
    ("انسحبت الميليشيات وحفتر من المدينة.", [("ميليشيات", None, None, N, None)]),
    # adjective: the actor or targeted noun right before it
    ("تقدمت قوات الجيش الوطني الليبي الباسلة.", [("الباسلة", "lna", "adjective", N, None)]),
    ("طردت ميليشيات الوفاق الإرهابية من المنطقة.",
     [("ميليشيات", "gna", "construct", N, None), ("إرهابي", "gna", "adjective", N, None)]),
    # ... not after punctuation, and never a farther actor
    ("تقدم حفتر، الباسلة", [("الباسلة", None, None, N, None)]),
    # ... nor as a noun a preposition governs: «لـ، بـ» before its article
    ("ندد بدعم حفتر للإرهابيين.", [("إرهابي", None, None, N, None)]),
    ("ندد بدعم حفتر وبالإرهابيين.", [("إرهابي", None, None, N, None)]),
    ("تحبط قوات حفتر تسلل مجموعات إرهابية قرب سرت.", [("إرهابي", None, None, N, None)]),
    # agent: a clause naming who did it, or a verb of doing, its subject, its object
    ("وقع عدوان على أيدي عناصر تابعة لحفتر.", [("عدوان", "lna", "agent", N, None)]),
    ("ورصدنا عدوان مسلحين على البيوت وحرق منازل نفذته مجموعات تابعة لحكومة الوفاق.",
     [("عدوان", "gna", "agent", N, None)]),
    ("وارتكبت قوات حفتر جرائم بحق المدنيين.", [("جرائم", "lna", "agent", N, None)]),
    # ... not another verb, nor «من قبل» followed by a comma
    ("قصفت قوات حفتر مرتزقة في الجنوب.", [("مرتزقة", None, None, N, None)]),
    ("وقع عدوان لم تعرفه المدينة من قبل، وقالت حكومة الوفاق إنها سترد.", [("عدوان", None, None, N, None)]),
    # affiliation: whom it belongs to or fights for, for nouns and adjectives
    ("وصلت مرتزقة من جنسيات مختلفة يقاتلون في صفوف ميليشيات الوفاق.",
     [("مرتزقة", "gna", "affiliation", N, None), ("ميليشيات", "gna", "construct", N, None)]),
    ("تتقدم القوات الباسلة القادمة من الشرق بقيادة حفتر.", [("الباسلة", "lna", "affiliation", N, None)]),
    # ... only the nearest noun before the clause, and not across a comma
    ("تواصل عدوان واسع على الأحياء بعد وصول مرتزقة جدد في صفوف حفتر.",
     [("عدوان", None, None, N, None), ("مرتزقة", "lna", "affiliation", N, None)]),
    ("وصلت مرتزقة، التي تتبع الحكومة السابقة، إلى المدينة.", [("مرتزقة", None, None, N, None)]),
    # anaphora: a definite repeat in the same voice ...
    ("تقدمت ميليشيات الوفاق. ثم فرت الميليشيات.",
     [("ميليشيات", "gna", "construct", N, None), ("ميليشيات", "gna", "anaphora", N, None)]),
    # ... not an indefinite one (too little evidence here for the article rule), nor in another voice
    ("تقدمت ميليشيات الوفاق. ثم ظهرت ميليشيات جديدة في الجنوب.",
     [("ميليشيات", "gna", "construct", N, None), ("ميليشيات", None, None, N, None)]),
    ("تقدمت ميليشيات الوفاق. وقال شاهد: «فرت الميليشيات».",
     [("ميليشيات", "gna", "construct", N, None), ("ميليشيات", None, None, Q, None)]),
    # nearest: the first actor after the noun, within three words
    ("انسحب المرتزقة أمس مع فاغنر من الجفرة.", [("مرتزقة", "russia", "nearest", N, None)]),
    ("انسحب المرتزقة أمس مع «فاغنر» من الجفرة.", [("مرتزقة", "russia", "nearest", N, None)]),
    # ... not past punctuation, which ends the phrase: the actor after a comma belongs to the next
    # clause (here the object of «تقاتل»)
    ("تقاتل قوات مدعومة بمرتزقة أجانب، حكومة الوفاق في الجنوب.", [("مرتزقة", None, None, N, None)]),
    ("وصل حفتر إلى المدينة صباح أمس بعد رحلة طويلة جدا من الشرق عبر الصحراء وشاهد الميليشيات.",
     [("ميليشيات", None, None, N, None)]),
    # speaker camp: untargeted in a statement, against the speaker's foes; «وأضاف» keeps the speaker
    ("وقال المسماري: «سنطرد الميليشيات من العاصمة»", [("ميليشيات", "gna", "speaker", Q, "lna")]),
    ("وقال قنونو: «سنطرد الميليشيات من المدينة». وأضاف: «والمرتزقة أيضا»",
     [("ميليشيات", "lna", "speaker", Q, "gna"), ("مرتزقة", "lna", "speaker", Q, "gna")]),
    ("وقال شاهد: «سنطرد الميليشيات من العاصمة»", [("ميليشيات", None, None, Q, None)]),
    # article: the direction of the article's evidence ...
    ("قصفت ميليشيات الوفاق ومرتزقتها الأحياء أمس. وفي الجنوب فرت مرتزقة من المدينة.",
     [("ميليشيات", "gna", "construct", N, None), ("مرتزقة", "gna", "possessive", N, None),
      ("مرتزقة", "gna", "article", N, None)]),
    ("أشاد المشير بالجنود. وزار المشير الجبهة. وتفقد المشير المحور. وصمدت الوحدات الباسلة في المحور.",
     [("المشير", "lna", "named", N, None)] * 3 + [("الباسلة", "lna", "article", N, None)]),
    # ... and none when it attacks both camps
    ("قصفت ميليشيات الوفاق الأحياء. وقصفت ميليشيات حفتر المطار. وفي الجنوب فرت مرتزقة من المدينة.",
     [("ميليشيات", "gna", "construct", N, None), ("ميليشيات", "lna", "construct", N, None),
      ("مرتزقة", None, None, N, None)]),
    # naming choices: in paraphrase the outlet's, unless a camp praises itself; quoted in a statement
    ("أعلنت مصادر أن قوات اللواء المتقاعد تقدمت نحو المدينة.", [("اللواء المتقاعد", "lna", "named", N, None)]),
    ("وأكد المسماري أن المشير أمر بالتقدم.", [("المشير", "lna", "named", Q, "lna")]),
    ("وأكد قنونو أن المشير أمر بالتقدم.", [("المشير", "lna", "named", N, None)]),
    ("وقال قنونو: «إن قوات اللواء المتقاعد تقصف المدينة»", [("اللواء المتقاعد", "lna", "named", Q, "gna")]),
    # two statements, two speakers
    ("وقال المسماري: «تقدمت قواتنا. وفرت الميليشيات». وقال قنونو: «إن عدوان حفتر مستمر»",
     [("ميليشيات", "gna", "speaker", Q, "lna"), ("عدوان", "lna", "construct", Q, "gna")]),
]

# The same with three sides (tests/data/three: lna, gna, south; turkey backs gna).
THREE = [
    # a speaker's unfavorable word attacks one of two other sides: it stays untargeted ...
    ("وقال حفتر: «سنطرد الميليشيات من العاصمة»", [("ميليشيات", None, None, Q, "lna")]),
    # ... a favorable one is his own side's
    ("وقال حفتر: «تقدمت القوات الباسلة»", [("الباسلة", "lna", "speaker", Q, "lna")]),
    # the article rule: against the side the article attacks most ...
    ("قصفت ميليشيات الوفاق الأحياء أمس. وشنت ميليشيات الوفاق هجوما. وفي المساء فرت ميليشيات من المدينة.",
     [("ميليشيات", "gna", "construct", N, None)] * 2 + [("ميليشيات", "gna", "article", N, None)]),
    # ... and nowhere when two sides are attacked as much
    ("قصفت ميليشيات الوفاق الأحياء. وقصفت ميليشيات قوات الجنوب السوق. وفي المساء فرت ميليشيات من المدينة.",
     [("ميليشيات", "gna", "construct", N, None), ("ميليشيات", "south", "construct", N, None),
      ("ميليشيات", None, None, N, None)]),
    # praise alone names no side attacked when there are two others
    ("أشاد المشير بالجنود. وزار المشير الجبهة. وفرت ميليشيات من المدينة.",
     [("المشير", "lna", "named", N, None)] * 2 + [("ميليشيات", None, None, N, None)]),
]


# The same with the shipped lexicon: a distancing tail that closes a statement is the narrator's,
# about the speaker its reporting clause names (framing.voice, then the possessive rule).
DISTANCING = [
    ("وقال المسماري إن قوات الوفاق تحشد مرتزقة في مصراتة، على حد زعمه.",
     [("مرتزقة", "gna", "speaker", Q, "lna"), ("على حد زعم", "lna", "possessive", N, None)]),
    ("وأكد قنونو أن الهجوم أوقع قتلى في صفوف مرتزقة فاغنر، حسب زعمه",
     [("مرتزقة", "russia", "construct", Q, "gna"), ("على حد زعم", "gna", "possessive", N, None)]),
    ("وقال المسماري إن قوات الوفاق تحشد مرتزقة، وفقا لزعمه.",
     [("مرتزقة", "gna", "speaker", Q, "lna"), ("زعم", "lna", "possessive", N, None)]),
    # must NOT: inside quotation marks it is the speaker's own, about the other camp
    ("وقال المسماري: «إن الميليشيات تحشد مرتزقة على حد زعمهم».",
     [("ميليشيات", "gna", "speaker", Q, "lna"), ("مرتزقة", "gna", "speaker", Q, "lna"),
      ("على حد زعم", "gna", "speaker", Q, "lna")]),
    # must NOT: with more of the statement after it, the statement goes on through it
    ("وأكد السراج أن الهجوم انتهى، حسب زعمه، وأن الميليشيات فرت.",
     [("على حد زعم", "lna", "speaker", Q, "gna"), ("ميليشيات", "lna", "speaker", Q, "gna")]),
    # must NOT: no speaker named in the sentence, no owner for the pronoun
    ("وأضاف أن قوات الوفاق تحشد مرتزقة، على حد زعمه.",
     [("مرتزقة", None, None, Q, None), ("على حد زعم", None, None, N, None)]),
    # «زعم» for «قال»: the narrator's doubt about the subject after it, which still speaks the statement
    ("وزعم حفتر أن الميليشيات فرت من المدينة.",
     [("زعم", "lna", "construct", N, None), ("ميليشيات", "gna", "speaker", Q, "lna")]),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("text,expected", DISTANCING)
def test_a_distancing_tail_is_the_narrators_about_the_speaker(default_pair, path, text, expected):
    assert _found(default_pair[path], text) == expected


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("text,expected", CASES)
def test_each_rule_fires_where_it_should_and_nowhere_else(mini_pair, path, text, expected):
    assert _found(mini_pair[path], text) == expected


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("text,expected", THREE)
def test_the_rules_with_three_sides(three_pair, path, text, expected):
    assert _found(three_pair[path], text) == expected


def _bench():
    """``benchmarks/bench_score.py``, whose generators the benchmarks time scoring on."""
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "benchmarks" / "bench_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench()

# Pieces that put the rules' markers among the lexicon's words: verbs of doing, «على يد», clauses of
# affiliation, reporting verbs, quotation marks, punctuation and digits.
MARKERS = ["نفذتها", "ارتكبته", "يشنها", "على يد", "على أيدي", "من قبل", "بأيدي", "ارتكبت", "نفذت", "شن",
           "التابعة ل", "الموالية ل", "المدعومة من", "في صفوف", "بقيادة", "تحت لواء", "بدعم من",
           "الذين يقاتلون", "التي تتبع", "قال", "وقال", "وأضاف", "أكد", "إن", "أن", "قواتنا", "جنودنا",
           "«", "»", ":", "،", ".", "\n", "2019", "و", "في", "من", "على", "الذي", "جدد", "أمس",
           # characters that are no Arabic letter, some beyond two bytes: the text's array is then wider
           "٣", "ـ", "\u00a0", "_", "😀", "𝐀"]
PRE = ["", "", "", "و", "ال", "وال", "بال", "ل"]
POST = ["", "", "", "ه", "ها", "هم", "نا", "ي"]


def _article(lexicon, seed):
    """A generated article: dense or wire sentences (the benchmarks' corpora), then words of the
    lexicon with clitics among the rules' markers."""
    rng = random.Random(seed)
    vocabulary = bench.Vocabulary(lexicon)
    sentence = rng.choice((bench.dense_sentence, bench.wire_sentence))
    text = bench.article(vocabulary, rng, rng.randint(5, 120), sentence) if vocabulary.adjs and vocabulary.naming \
        else ""
    spellings = [v for e in lexicon.entries for v in e.variants]
    words = [rng.choice(PRE) + rng.choice(spellings) + rng.choice(POST) if rng.random() < 0.45
             else rng.choice(MARKERS) for _ in range(rng.randint(1, 150))]
    return text + " " + " ".join(words)


def _same_reading(pair, text):
    (found, statements), python = pair["compiled"]._read(text), pair["python"]._read(text)
    # The compiled rules leave their Match objects to make (framing._core.PendingMatches).
    compiled = (found if type(found) is tuple else found.made(), statements)
    assert compiled == python
    assert all(type(m) is Match for m in compiled[0])
    return compiled


@compiled_only
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32))
def test_generated_articles_read_the_same_both_ways(default_pair, mini_pair, three_pair, seed):
    for pair in (default_pair, mini_pair, three_pair):
        _same_reading(pair, _article(pair["compiled"].lexicon, seed))


@compiled_only
@pytest.mark.parametrize("lexicon", [None, DATA / "mini", DATA / "three"])
def test_every_rule_runs_on_the_generated_articles(lexicon):
    # What the hypothesis test compares is no empty check: on such articles every rule fires.
    pair = _scorers(lexicon)
    rules, voices = set(), set()
    for seed in range(150):
        matches, _ = _same_reading(pair, _article(pair["compiled"].lexicon, seed))
        rules.update(m.rule for m in matches)
        voices.update((m.voice, m.speaker is None) for m in matches)
    assert rules >= {"named", "possessive", "speaker", "construct", "adjective", "agent", "affiliation",
                     "anaphora", "nearest", "article", None}
    if lexicon is None:  # only the shipped lexicon has plural verbs («عذبوا»، «فروا هاربين») and bare parties
        assert {"subject", "bare"} <= rules
    assert voices == {("narrator", True), ("quoted", True), ("quoted", False)}


class CountingTwin(PythonTargetRules):
    """The twin, counting its calls."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        return super().__call__(*args)


@compiled_only
@pytest.mark.parametrize("changed", [
    {"direction_min": Fraction(3, 2)},  # a Fraction is compared exactly: only Python does that
    {"weak_weight": Fraction(1, 3)},
    {"window": 2 ** 60},  # beyond what a double holds exactly
])
def test_thresholds_the_c_code_does_not_read_go_to_the_twin(changed):
    lexicon = Scorer(DATA / "mini").lexicon
    twin = CountingTwin(lexicon, **{"window": 3, "direction_min": 1.5, "weak_weight": 0.5, **changed})
    rules = TargetRules(twin, Match)
    assert not rules.compiled
    scorer = Scorer(lexicon)
    object.__setattr__(scorer, "_attach", rules)
    for text, expected in CASES[:3]:
        assert _found(scorer, text) == expected
    assert twin.calls == 3


@compiled_only
def test_the_c_code_calls_no_twin(mini_pair):
    twin = CountingTwin(mini_pair["compiled"].lexicon)
    rules = TargetRules(twin, Match)
    scorer = Scorer(DATA / "mini")
    object.__setattr__(scorer, "_attach", rules)
    for text, expected in CASES:
        assert _found(scorer, text) == expected
    assert rules.compiled and twin.calls == 0


@compiled_only
def test_other_thresholds_are_read_in_c():
    lexicon = Scorer(DATA / "mini").lexicon
    for window in (1, 3, 10):
        pair = {"compiled": Scorer(lexicon, window=window, direction_min_evidence=0.5, weak_weight=1.0)}
        twin = pair["python"] = Scorer(lexicon, window=window, direction_min_evidence=0.5, weak_weight=1.0)
        assert pair["compiled"]._attach.compiled
        object.__setattr__(twin, "_attach", pair["compiled"]._attach.twin)
        for seed in range(40):
            _same_reading(pair, _article(lexicon, seed))
        for text, _ in CASES:
            _same_reading(pair, text)


# (text, the original text of each match): the compiled rules read a match's original span from
# the anchors of a compiled Normalized, or from the spans of the twin's PythonNormalized.
ORIGINAL_SPANS = [
    ("قصفت ميليشيات حفتر حي الهضبة.", ["ميليشيات", "حفتر"]),  # nothing normalised: no anchors
    ("قصفَتْ ميليشياتُ حفترَ حيَّ الهضبة.", ["ميليشياتُ", "حفترَ"]),  # diacritics belong to their word
    ("قصفت ميليشـــيات حفتر", ["ميليشـــيات", "حفتر"]),  # tatweel inside a word
    ("قصفت  ميليشيات\u200f  حفتر", ["ميليشيات", "حفتر"]),  # spaces folded; a bidi mark is NOT the word's
]


@compiled_only
@pytest.mark.parametrize(("text", "originals"), ORIGINAL_SPANS)
def test_matches_are_at_their_original_spans_from_either_normalized(mini_pair, text, originals):
    from framing.normalize import normalize, python_normalize
    from framing.voice import merge_spans, sentence_ends, speech_spans

    scorer = mini_pair["compiled"]
    rules = scorer._attach
    found = []
    for norm in (normalize(text), python_normalize(text)):
        hits, markers = scorer._matcher.find(norm)
        ends = sentence_ends(norm.text)
        spans = speech_spans(norm.text, markers, ends, [h[0] for h in hits if scorer._named[h[2]]])
        args = (hits, merge_spans(spans), ends, spans)
        found.append(rules(norm, *args))
        assert found[-1] == rules.twin(norm, *args)
    assert type(normalize(text)) is not type(python_normalize(text)) and found[0] == found[1]
    assert [text[m.start:m.end] for m in found[0][0]] == [m.text for m in found[0][0]] == originals


@compiled_only
def test_target_rules_are_made_again_not_pickled(mini_pair):
    with pytest.raises(TypeError):
        pickle.dumps(mini_pair["compiled"]._attach)
    # the scorer itself pickles, and rebuilds its rules
    again = pickle.loads(pickle.dumps(mini_pair["compiled"]))
    assert type(again._attach) is TargetRules and _found(again, CASES[0][0]) == CASES[0][1]


@compiled_only
def test_a_hit_of_no_entry_is_refused(mini_pair):
    from framing.normalize import normalize

    rules = mini_pair["compiled"]._attach
    entries = len(mini_pair["compiled"].lexicon.entries)
    for index in (entries, -1):
        with pytest.raises(IndexError):
            rules(normalize("abc"), [(0, 3, index, "", False)], [], [], {})


@compiled_only
def test_tuples_are_read_as_the_lists_the_pipeline_gives(default_pair):
    from framing.normalize import normalize
    from framing.voice import merge_spans, sentence_ends, speech_spans

    scorer = default_pair["compiled"]
    rules = scorer._attach
    text = "وقال المسماري: «سنطرد الميليشيات من العاصمة» وقصفت ميليشيات الوفاق الأحياء."
    norm = normalize(text)
    hits, markers = scorer._matcher.find(norm)
    ends = sentence_ends(norm.text)
    spans = speech_spans(norm.text, markers, ends, [h[0] for h in hits if scorer._named[h[2]]])
    args = (hits, merge_spans(spans), ends, spans)
    as_lists = rules(norm, *args)
    as_tuples = [a if isinstance(a, dict) else tuple(a) for a in args]
    assert len(as_lists[0]) == 4 and as_lists == rules(norm, *as_tuples) == rules.twin(norm, *as_tuples)
