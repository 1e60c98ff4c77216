"""A score from the compiled core makes its ``Match`` objects the first time they are read
(``framing._core.PendingMatches``): everything a score gives is what a score whose matches were
made at once (the Python twin's) gives, the reading summed from the pending matches is the reading
of the matches made, and a score without matches, or from the twin, is never pending. Sentences
written for the test; the demo corpus's invented articles."""

import copy
import dataclasses
import json
import pickle
from fractions import Fraction

import pytest

from framing import Scorer
from framing.lexicon import FrozenMap
from framing.normalize import normalize
from framing.results import Match, PartyStance, Score, VoiceScores
from framing.scorer import PythonReading, PythonTargetRules, TargetRules
from framing.voice import merge_spans, sentence_ends, speech_spans

from .conftest import DATA, ROOT

try:
    from framing._core import PendingMatches, Reader
except ImportError:  # not compiled, or FRAMING_PURE_PYTHON: nothing is pending
    PendingMatches = Reader = None

compiled_only = pytest.mark.skipif(PendingMatches is None, reason="framing._core was not compiled")

TEXTS = [
    "قصفت ميليشيات الوفاق ومرتزقتها مواقع الجيش الوطني الليبي جنوب العاصمة.",  # the narrator's words only
    'وقال المتحدث باسم الجيش الوطني الليبي إن "الميليشيات الإرهابية" تتراجع أمام قواتنا.',  # a camp quoted
    "أكدت حكومة الوفاق الشرعية أن قوات اللواء المتقاعد خليفة حفتر قصفت المطار المدني.",  # reported speech
    "عاد الإرهابيون والمرتزقة إلى المدينة بعد أيام من المعارك.",  # loaded words with no party named
    "وقالت مصادر محلية إن الجيش الليبي والمرتزقة الأجانب تبادلوا القصف.",  # both camps, in paraphrase
]
NO_MATCH = "انعقد الاجتماع في موعده صباح اليوم."


@pytest.fixture(scope="module")
def pair():
    """A scorer with the compiled rules, and one whose rules are their Python twin."""
    compiled, twin = Scorer(), Scorer()
    if TargetRules is not None:
        assert type(compiled._attach) is TargetRules and compiled._attach.compiled
        object.__setattr__(twin, "_attach", compiled._attach.twin)
    return compiled, twin


def _pending(score: Score) -> bool:
    return "_pending" in vars(score)


# (what is read of a score, how): each must be the same for a pending score and a made one.
READS = [
    ("equal to the made score", lambda s: s),
    ("matches", lambda s: s.matches),
    ("to_dict", lambda s: s.to_dict()),
    ("summary_dict", lambda s: s.summary_dict()),
    ("repr", repr),
    ("untargeted", lambda s: s.untargeted),
    ("pickled", lambda s: pickle.loads(pickle.dumps(s))),
    ("copied", copy.copy),
    ("deep-copied", copy.deepcopy),
    ("replaced", lambda s: dataclasses.replace(s, words=1)),
    ("the dataclass's fields", dataclasses.astuple),
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("what", "read"), READS, ids=[r[0] for r in READS])
def test_a_pending_score_reads_as_the_made_one(pair, text, what, read):
    compiled, twin = pair
    made = twin.score(text, {"id": 7})
    assert not _pending(made) and type(made.matches) is tuple and made.matches
    score = compiled.score(text, {"id": 7})
    assert _pending(score) == (PendingMatches is not None)
    got = read(score)
    assert got == read(made)
    if isinstance(got, Score):
        assert not _pending(got) and got.matches == made.matches  # made before it was pickled or copied


@compiled_only
@pytest.mark.parametrize("text", TEXTS)
def test_matches_are_made_once_then_kept(pair, text):
    score = pair[0].score(text)
    assert score.untargeted == sum(m.target is None and m.kind == "evaluative" for m in pair[1].matches(text))
    assert _pending(score)  # counted without making them
    first = score.matches
    assert type(first) is tuple and all(type(m) is Match for m in first)
    assert not _pending(score) and score.matches is first and vars(score)["matches"] is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        score.matches = ()  # still frozen


@pytest.mark.parametrize("text", [NO_MATCH, "Nothing Arabic at all here."])
def test_a_score_without_matches_is_not_pending(pair, text):
    score = pair[0].score(text)
    assert not _pending(score) and score.matches == () and score.untargeted == 0


def test_scorer_matches_are_made(pair):
    for text in TEXTS:
        found = pair[0].matches(text)
        assert type(found) is tuple and found == pair[1].matches(text) and all(type(m) is Match for m in found)


def _read(scorer, text):
    """The arguments of the attachment rules for ``text``, as the scorer makes them."""
    norm = normalize(text)
    hits, markers = scorer._matcher.find(norm)
    ends = sentence_ends(norm.text)
    spans = speech_spans(norm.text, markers, ends, [h[0] for h in hits if scorer._named[h[2]]])
    return norm, hits, merge_spans(spans), ends, spans


@compiled_only
@pytest.mark.parametrize("text", TEXTS)
def test_the_rules_read_gives_pending_what_they_give_made(pair, text):
    rules = pair[0]._attach
    args = _read(pair[0], text)
    pending, speakers = rules.read(*args)
    made, made_speakers = rules(*args)
    assert type(pending) is PendingMatches and type(made) is list and speakers == made_speakers
    assert len(pending) == len(made) and list(pending.made()) == made == rules.twin(*args)[0]
    assert pending.untargeted() == sum(m.target is None and m.kind == "evaluative" for m in made)
    again = pending.made()
    assert again == pending.made() and again[0] is not pending.made()[0]  # new objects each time, all equal
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(pending)


def test_the_twins_read_is_its_call():
    class Counting(PythonTargetRules):
        calls = 0

        def __call__(self, *args):
            Counting.calls += 1
            return super().__call__(*args)

    scorer = Scorer()
    rules = Counting(scorer.lexicon)
    assert rules.read(*_read(scorer, TEXTS[0])) == rules(*_read(scorer, TEXTS[0])) and Counting.calls == 2


def _demo_texts():
    for path in sorted((ROOT / "framing" / "data" / "demo").glob("*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            yield from (json.loads(line)["text"] for line in lines)


@compiled_only
@pytest.mark.parametrize("rules", [{}, {"quoted_weight": 0.0}, {"weak_weight": 0.25, "lean_min_share": 0.9},
                                   # a threshold the C reading does not read: every reading goes to the twin
                                   {"lean_min_evidence": Fraction(3, 2)}])
def test_the_reading_of_pending_matches_is_the_reading_of_them_made(rules):
    scorer = Scorer(**rules)
    python = scorer._reader.fallback
    assert type(python) is PythonReading
    texts = list(_demo_texts())
    assert len(texts) > 100
    read = 0
    for text in texts + TEXTS:
        found, _ = scorer._read(text)
        if type(found) is not PendingMatches:
            continue
        read += 1
        words = len(text.split())
        made = found.made()
        assert scorer._reader(found, words) == scorer._reader(made, words) == python(made, words)
    assert read > 100
    # A reader built afresh from the same twin reads them the same.
    fresh = Reader(python, Match, PartyStance, VoiceScores, FrozenMap)
    found, _ = scorer._read(TEXTS[1])
    assert fresh(found, 40) == python(found.made(), 40)


@pytest.fixture(scope="module")
def renderers(pair):
    from framing.jsonl import JsonRenderer

    return JsonRenderer(pair[0].lexicon), JsonRenderer(Scorer(DATA / "mini").lexicon)


@compiled_only
def test_the_json_of_pending_matches_is_written_without_making_them(pair, renderers):
    from framing.jsonl import _BATCH

    renderer = renderers[0]
    assert renderer._compiled is not None
    texts = list(_demo_texts()) + TEXTS
    for text in texts:
        score, made = pair[0].score(text, {"id": 1}), pair[1].score(text, {"id": 1})
        pending = _pending(score)
        line = b"".join(renderer.encoded(score, {"model": None}))
        assert _pending(score) == pending  # written from its arrays: still not made
        assert line == b"".join(renderer.encoded(made, {"model": None}))
        assert renderer.render(score) == renderer.render(made) == json.dumps(made.to_dict(), ensure_ascii=False)
    # More matches than a batch: made, and written a batch at a time.
    long = pair[0].score("قصفت ميليشيات الوفاق المطار. " * (_BATCH // 2 + 1))
    assert len(long.__dict__["_pending"]) > _BATCH
    assert renderer.render(long) == json.dumps(long.to_dict(), ensure_ascii=False) and not _pending(long)


@compiled_only
@pytest.mark.parametrize("text", TEXTS)
def test_pending_matches_the_writer_does_not_know_go_to_its_fallback(pair, renderers, text):
    # The mini lexicon's writer knows none of the default lexicon's entries: each match is made
    # and written by json.dumps, as a made one is.
    write = renderers[1]._compiled
    pending = pair[0]._read(text)[0]
    assert type(pending) is PendingMatches
    assert write(pending) == write(pending.made()) == renderers[0]._compiled(pending)
    assert write.encoded(pending) == write(pending.made()).encode() == renderers[0]._compiled.encoded(pending)


# Matches whose text the writer copies from the article's own characters, not from a substring:
# (what, article, a match's text). Each is written as json.dumps writes the match made.
WRITTEN = [
    ("diacritics and tatweel inside a word", "قصفت مِيلِيشيـــات الوفاق المطار.", "مِيلِيشيـــات"),
    ("a tab inside a phrase (escaped)", "أعلن الجيش\tالوطني الليبي تقدمه.", "الجيش\tالوطني الليبي"),
    ("a zero-width non-joiner inside a word", "قصفت ميلي\u200cشيات الوفاق المطار.", "ميلي\u200cشيات"),
    ("a no-break space inside a phrase", "أعلن الجيش\u00a0الوطني الليبي تقدمه.", "الجيش\u00a0الوطني الليبي"),
    ("an article of four bytes a character", "\U0001F4F0 أعلن الجيش الوطني الليبي تقدمه.", "الجيش الوطني الليبي"),
    # A lone surrogate ends a word (no match holds one, and str.encode would refuse it): the
    # matches around it are written as the others.
    ("a lone surrogate next to a match", "أعلن الجيش الوطني\ud800 الليبي تقدمه.", "الجيش الوطني"),
    ("quotation marks and backslashes around", 'قال \\"الجيش الوطني الليبي\\" إن "ميليشيات الوفاق" تتراجع.',
     "ميليشيات"),
]


@compiled_only
@pytest.mark.parametrize(("text", "inside"), [w[1:] for w in WRITTEN], ids=[w[0] for w in WRITTEN])
def test_pending_matches_are_written_from_the_articles_characters(pair, renderers, text, inside):
    score, made = pair[0].score(text, {"id": 1}), pair[1].score(text, {"id": 1})
    assert _pending(score)
    line = b"".join(renderers[0].encoded(score))
    assert _pending(score)
    assert line == json.dumps(made.to_dict(), ensure_ascii=False).encode()
    assert inside in [m.text for m in score.matches]



@compiled_only
def test_a_writer_keeps_apart_the_entries_of_each_scorer(pair, renderers):
    # The writer reads a scorer's entries once and keeps what it read for the next article: matches
    # of another scorer's entries in between (another lexicon's: none of them its own) are read anew.
    mini = Scorer(DATA / "mini")
    texts = [TEXTS[0], "قصفت ميليشيات الوفاق المطار.", TEXTS[2]]
    for write in (renderers[0]._compiled, renderers[1]._compiled):
        for text in texts * 2:
            for scorer in (pair[0], mini, pair[0]):
                pending = scorer._read(text)[0]
                if type(pending) is PendingMatches:
                    assert write.encoded(pending) == write(pending.made()).encode()


@compiled_only
def test_pending_matches_are_written_as_made_ones_whatever_the_article_holds(pair, renderers):
    # The demo's articles, characters that change how a text is written spliced in at random
    # places (a seeded generator): each article's line from its pending matches is the line of the
    # same matches made.
    import random

    odd = ["\t", "\u064e", "\u0640", "\u200c", '"', "\\", "\u00a0", "\U0001F4F0", "\x07", "&amp;"]
    rng = random.Random(16)
    written = inside = 0
    for text in list(_demo_texts())[::3]:
        chars = list(text)
        for _ in range(40):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        text = "".join(chars)
        score, made = pair[0].score(text, {"id": 1}), pair[1].score(text, {"id": 1})
        if not _pending(score):
            continue
        written += 1
        assert b"".join(renderers[0].encoded(score)) == json.dumps(made.to_dict(), ensure_ascii=False).encode()
        inside += sum(any(c in m.text for c in odd) for m in made.matches)
    assert written > 50 and inside > 50  # and some of those characters are inside matches' texts
