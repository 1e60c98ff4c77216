"""The compiled normalisation (``framing._core.Normalizer`` and ``Normalized``) gives exactly what
its Python twin (``framing.normalize.python_normalize`` and ``PythonNormalized``) gives: the same
normalised text and the same anchors back to the original, whatever the text."""

import functools
import pickle
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import voice
from framing.normalize import DELETED, LETTER_MAP, PythonNormalized, _class_chars, _compiled_tables, python_normalize

_core = pytest.importorskip("framing._core", reason="built without a C compiler, or FRAMING_PURE_PYTHON: only the twins run",
                            exc_type=ImportError)
module = sys.modules["framing.normalize"]
COMPILED = _core.Normalizer(*_compiled_tables())
TWINS = [pytest.param(COMPILED, id="compiled"), pytest.param(python_normalize, id="python")]

CASES = [
    # What must NOT change: no anchors, the text as it is.
    ("", "", None),
    ("abc 123", "abc 123", None),
    ("Hello, world! (2.5%) café", "Hello, world! (2.5%) café", None),  # Latin letters, digits, punctuation
    ("قال: «الجيش تقدم».", "قال: «الجيش تقدم».", None),               # Arabic with nothing to map
    ("سطر\n\nسطر", "سطر\n\nسطر", None),                                 # line breaks are kept, even two
    (" ", " ", None),                                                   # one space is no run
    # Letters mapped one to one: the offsets hold, no anchors.
    ("أحمد", "احمد", None),
    ("ٱلله", "الله", None),
    ("مدرسة مستشفى", "مدرسه مستشفي", None),
    ("١٢٣ ۴۵", "123 45", None),                                         # Arabic-Indic and Persian digits
    ("٣.٥", "3.5", None),
    ("a\tb\u00a0c", "a b c", None),                                     # a tab, a no-break space: one space each
    ("a\rb\u2028c\r\n", "a\nb\nc\n\n", None),                            # line breaks: each one a «\n»
    ("#a_b", "#a b", None),                                             # a hashtag's underscore: a space
    ("#a__b", "#a b", ((0, 2, 3), (0, 2, 4))),                          # two: a run of spaces
    # Runs of spaces: one space, anchored at both ends of the run.
    ("a  b", "a b", ((0, 1, 2), (0, 1, 3))),
    ("a \t\u00a0 b", "a b", ((0, 1, 2), (0, 1, 5))),                    # a run of what becomes spaces
    ("  ", " ", ((0, 0, 1), (0, 0, 2))),
    ("a \u064e b", "a  b", ((0, 2), (0, 3))),                           # runs are found before the deletions
    # Deleted: diacritics, tatweel, invisible characters.
    ("الْجَيْش", "الجيش", ((0, 2, 3, 4), (0, 3, 5, 7))),
    ("المـــرتزقة", "المرتزقه", ((0, 3, 3, 3), (0, 4, 5, 6))),
    ("\ufeffنص", "نص", ((0, 0), (0, 1))),
    ("\u200cو", "و", ((0, 0), (0, 1))),                                 # inside a range of the table
    ("x\U0001F600\u064b", "x\U0001F600", ((0, 2), (0, 3))),             # beyond the BMP: kept
    ("\u064b", "", ((0, 0), (0, 1))),
    # Presentation forms: expanded, each character anchored at the form.
    ("ﻻ", "لا", ((0, 0, 1, 2), (0, 0, 0, 1))),
    ("ﷲ", "الله", ((0, 0, 1, 2, 3, 4), (0, 0, 0, 0, 0, 1))),
    ("ﹰ", "", ((0, 0), (0, 1))),                                        # a diacritic's isolated form
    ("ﻻ  ﻻ", "لا لا", ((0, 0, 1, 2, 2, 3, 3, 4, 5), (0, 0, 0, 1, 1, 3, 3, 3, 4))),
]


@pytest.mark.parametrize("normalize", TWINS)
@pytest.mark.parametrize("raw, text, anchors", CASES)
def test_normalised_text_and_anchors(normalize, raw, text, anchors):
    norm = normalize(raw)
    assert (norm.original, norm.text, norm.anchors) == (raw, text, anchors)
    assert type(norm.text) is str and type(norm.original) is str


def test_the_compiled_twin_is_the_one_in_use():
    assert module.Normalized is _core.Normalized
    assert type(module.normalize("الْجَيْش")) is _core.Normalized
    assert type(python_normalize("الْجَيْش")) is PythonNormalized


def _agree(text, pairs=()):
    """Everything the compiled normalisation of ``text`` gives is what the twin gives."""
    got, want = COMPILED(text), python_normalize(text)
    assert (got.original, got.text, got.anchors) == (want.original, want.text, want.anchors)
    # The same string, not only equal text: as narrow as it can be (a str's canonical form).
    assert ascii(got.text) == ascii(want.text) and got.text.isascii() == want.text.isascii()
    assert sys.getsizeof(got.text) == sys.getsizeof(want.text)
    for pos in range(-3, len(got.text) + 3):
        assert got.orig_index(pos) == want.orig_index(pos)
    for start, end in pairs:
        assert got.span(start, end) == want.span(start, end)
    assert got.spans(pairs) == want.spans(pairs)
    assert [tuple(map(type, p)) for p in got.spans(pairs)] == [tuple(map(type, p)) for p in want.spans(pairs)]
    flags = [(bool(a % 2), bool(b % 2)) for a, b in pairs]  # ints of another class: as the twin gives them
    assert [tuple(map(type, p)) for p in got.spans(flags)] == [tuple(map(type, p)) for p in want.spans(flags)]
    assert got.spans([(a, b, "more") for a, b in pairs]) == want.spans([(a, b, "more") for a, b in pairs])
    speakers = list(range(len(pairs)))
    assert got.quoted(pairs, speakers, lambda *a: a) == want.quoted(pairs, speakers, lambda *a: a)


# Every character the tables name, and the characters around them.
SPECIAL = sorted(set(LETTER_MAP) | set(_class_chars(DELETED)) | set(_compiled_tables()[1]))
ARABIC = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئةى") + [" ", " ", "\n", "«", "»", ".", ":", "،"]
# Pieces rather than characters, so that runs of spaces come often.
texts = st.lists(st.one_of(st.sampled_from(ARABIC + ["  ", " \t ", "\u00a0 "]), st.sampled_from(SPECIAL), st.characters()),
                 max_size=50).map("".join)
pairs = st.lists(st.tuples(st.integers(-3, 70), st.integers(-3, 70)), max_size=10)


@settings(max_examples=600, deadline=None)
@given(texts, pairs)
def test_twins_agree_on_any_text(text, pairs):
    _agree(text, pairs)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPECIAL + [" ", "a", "ب"]), max_size=40), pairs)
def test_twins_agree_on_the_characters_they_change(text, pairs):
    _agree(text, pairs)


@pytest.mark.parametrize("text", [
    "",                                   # nothing at all
    "plain ascii text",                   # one byte a character, nothing changed
    "caf\u00e9\u00a0\u00a0au lait",       # one byte, a run of no-break spaces
    "\U0001F600 \u064e\u064e  \U0001F600",  # four bytes a character
    "ﷺ" * 50 + "x",                       # expansions longer than the text: the buffers grow
    "المـــرتزقةُ " * 20000,              # long: the buffers are given back afterwards
])
def test_twins_agree_on_every_width_and_length(text):
    _agree(text, [(0, 3), (2, 1), (len(text) - 2, len(text) + 5)])


def test_the_normalised_text_made_twice_is_the_same():
    text = "ﷺ الْجَيْش  " * 3
    first = COMPILED(text)
    COMPILED("ﻻ" * 1000)  # another text in between reuses the buffers
    assert COMPILED(text) == first and first.text == python_normalize(text).text


def test_normalized_is_made_like_its_twin():
    want = python_normalize("ﻻ الْجَيْش")
    made = _core.Normalized(want.original, want.text, want.anchors)
    assert made == COMPILED(want.original) and hash(made) == hash(COMPILED(want.original))
    assert made.span(0, 2) == want.span(0, 2) and made.spans([(1, 4)]) == want.spans([(1, 4)])
    assert _core.Normalized("ab", "ab") != made and _core.Normalized("ab", "ab").anchors is None
    assert made != want  # like two dataclasses of different classes
    assert pickle.loads(pickle.dumps(made)) == made
    assert repr(made).startswith("Normalized(original='ﻻ الْجَيْش', text='لا الجيش', anchors=((0, ")
    with pytest.raises(ValueError):
        _core.Normalized("ab", "ab", ((0, 1), (0,)))


@pytest.mark.parametrize("letters, changes", [
    ({"\U0001F600": "a"}, {}),            # beyond the BMP
    ({"a": "bc"}, {}),                    # not one to one
    ({"a": "\u0627"}, {}),                # wider than what it replaces
    ({}, {"\u00e9": "\u0627"}),
    ({}, {" ": ""}),                      # spaces are folded, not changed
    ({}, {"ab": ""}),
])
def test_tables_the_c_pass_cannot_hold_are_refused(letters, changes):
    with pytest.raises(ValueError):
        _core.Normalizer(letters, changes)


def test_the_tables_are_read_from_the_python_ones():
    letters, changes = _compiled_tables()
    assert all(letters[c] == LETTER_MAP[c] for c in letters) and set(letters) <= set(LETTER_MAP)
    assert changes["\u064e"] == "" and changes["\u0640"] == "" and changes["ﻻ"] == "لا"
    assert " " not in changes and "\t" not in changes and "\u00a0" not in changes


# The voice rules' compiled pieces (framing._core: Quotations, headlines, covered, merge_spans,
# Paraphrase) and their twins in framing.voice.

QUOTATIONS = _core.Quotations(voice.OPENERS, voice.QUOTE_CHARS)
PY_QUOTATIONS = voice.PythonQuotations(voice.OPENERS, voice.QUOTE_CHARS)


@pytest.mark.parametrize("text, verbs, spans", [
    ("قال: «الجيش تقدم» ثم", [0], [(6, 16, 0)]),               # the verb of its sentence introduces it
    ("«مفتوح\nسطر", [], [(1, 6, -1)]),                          # left open: it ends at the line break
    ("«مفتوح", [], [(1, 6, -1)]),                               # or at the end of the text
    ("“a” ”b“ \"c\" „d“", [], [(1, 2, -1), (5, 6, -1), (9, 10, -1), (13, 14, -1)]),
    ("«a “b» c»", [], [(1, 5, -1)]),                             # no nesting: the first closer closes
    ("x\U0001F600«y»", [], [(3, 4, -1)]),                        # four bytes a character
    ("«»", [], [(1, 1, -1)]),
    ("«قال»", [1], [(1, 4, 1)]),                                 # a verb where the quotation starts
    # Must NOT quote, or NOT name a verb:
    ("قال. ثم «x»", [0], [(9, 10, -1)]),                        # the verb's sentence ended before it
    ("a » b", [], []),                                           # a closer without an opener
    ("a ” b", [], [(3, 5, -1)]),                                 # «”» opens too: Arabic news opens with it
    ("", [], []),
    ("no marks at all", [], []),
])
def test_quotation_marks(text, verbs, spans):
    ends = voice.sentence_ends(text)
    assert QUOTATIONS.spans(text, verbs, ends) == PY_QUOTATIONS.spans(text, verbs, ends) == spans


@pytest.mark.parametrize("text, actors, verbs, spans", [
    ("المسماري: الجيش تقدم", [0], [], [(9, 20, 0)]),
    ("a b c d: x", [0], [], [(8, 10, 0)]),                       # four words before the colon
    ("x\n \tالمسماري \t: y\nz", [4], [], [(15, 17, 4)]),          # spaces and tabs around, to the line's end
    ("سطر\nالمسماري: x\nقنونو: y", [4, 16], [], [(13, 15, 4), (22, 24, 16)]),
    # Must NOT be a headline:
    ("وقال المسماري: x", [5], [0], []),                          # a reporting verb opens the line
    ("a b c d e: x", [0], [], []),                               # five words
    ("طرابلس - (د ب أ): x", [0], [], []),                        # a dateline
    ("2020: x", [0], [], []),                                    # digits are no word
    ("ab1: x", [0], [], []),
    ("المسماري: x", [], [], []),                                 # no actor named
    ("الجيش والمسماري قال: x", [20], [], []),                     # the actor after the colon's words
    ("المسماري: x", [0], [], [(9, 11, 0)]),
])
def test_headlines(text, actors, verbs, spans):
    assert _core.headlines(text, actors, verbs, ([], [])) == voice.python_headlines(text, actors, verbs, ([], [])) == spans
    # A headline whose statement was quoted by an earlier rule is not read again.
    for a, b, _ in spans:
        inside = ([a - 1], [a + 1])
        assert _core.headlines(text, actors, verbs, inside) == voice.python_headlines(text, actors, verbs, inside)
        assert (a, b, _) not in _core.headlines(text, actors, verbs, inside)


NAMING = _core.NamingRule("ب", voice._NOT_NAMES, voice.DESCRIBE_REACH)


@pytest.mark.parametrize("text, verbs, spans", [
    ("ووصف المسماري حكومه الوفاق بالميليشيات، ثم", [0], [(27, 38, 0)]),  # to the next punctuation mark
    ("وصف الجيش بالعدوان الغاشم. ثم", [0], [(10, 25, 0)]),
    ("ما سماه قنونو بالعدوان\nسطر", [3], [(14, 26, 3)]),                   # a line break is a space to \s
    ("وصف x بالعدوان", [0], [(6, 14, 0)]),
    ("وصفه بالمرتزقه", [0], [(5, 14, 0)]),
    # Must NOT quote:
    ("وصف الجيش بعد ذلك", [0], []),                                        # «بعد»
    ("وصف الوضع بين الطرفين", [0], []),
    ("وصف الوضع بل الحرب", [0], []),
    ("وصف الوضع ب1 x", [0], []),                                           # no letters after «ب»
    ("وصف الوضع بك", [0], []),                                             # one letter only
    ("وصف الوضع. بالعدوان", [0], []),                                      # past the sentence's end
    ("وصف الوضع لبالعدوان", [0], []),                                      # «ب» inside a word
    ("وصف" + " x" * 50 + " بالعدوان", [0], []),                            # past the reach
    ("وصفبالعدوان", [0], []),                                              # before the verb's third character
])
def test_naming_rule(text, verbs, spans):
    ends = voice.sentence_ends(text)
    assert NAMING.spans(text, verbs, ends, ([], [])) == voice.python_described(text, verbs, ends, ([], [])) == spans
    quoted = ([0], [len(text)])  # a verb inside what an earlier rule quoted names nothing
    assert NAMING.spans(text, verbs, ends, quoted) == voice.python_described(text, verbs, ends, quoted) == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["وصف", "ب", "بعد", "بين", "بينما", "بل", "بال", "عدوان", "x", "1", "_", " ", "  ", ".",
                                 "،", "\n", "-", "\U0001F600", "ـ"]), max_size=30).map("".join),
       st.lists(st.integers(0, 40), max_size=4, unique=True), st.integers(0, 60))
def test_naming_rule_twins_agree(text, verbs, reach):
    ends = voice.sentence_ends(text)
    rule = _core.NamingRule("ب", voice._NOT_NAMES, reach)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(voice, "DESCRIBE_REACH", reach)
        assert rule.spans(text, sorted(verbs), ends, ([], [])) == voice.python_described(text, sorted(verbs), ends, ([], []))


spans3 = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(-2, 40)), max_size=12)


@settings(max_examples=400, deadline=None)
@given(spans3, spans3, st.integers(-2, 45))
def test_covered_merged_and_paraphrase_agree(reported, marks, pos):
    assert _core.covered(reported) == voice.python_covered(reported)
    assert _core.covered(reported + marks) == voice.python_covered(reported + marks)
    found = {"marks": sorted(marks), "reported": sorted(reported), "self": []}
    assert _core.merge_spans(found) == voice.python_merge_spans(found)
    assert _core.covered_of(found) == voice.python_covered_of(found)
    assert _core.Paraphrase(found)(pos) == voice.PythonParaphrase(found)(pos)
    assert _core.Paraphrase({})(pos) is voice.PythonParaphrase({})(pos) is False


def test_merged_spans_keep_the_first_verb():
    found = {"marks": [(5, 9, -1), (12, 14, 3)], "reported": [(2, 6, 1), (8, 12, -1)], "headline": [(20, 22, 19)]}
    assert _core.merge_spans(found) == voice.python_merge_spans(found) == [(2, 12, 1), (12, 14, 3), (20, 22, 19)]
    assert _core.covered([(4, 6, 0), (1, 2, 0), (2, 3, 0), (9, 9, 0)]) == ([1, 4, 9], [3, 6, 9])


VOICE_WORDS = ["قال", "وقال", "اعلن", "ان", "انه", "بان", ":", "«", "»", "“", "”", "\"", "المسماري", "الجيش",
               "نفسه", "بوصفه", "وصف", "بالميليشيات", "التقرير", "وثق", "بالقول", "،", "التي", ".", "\n", "2.5"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(VOICE_WORDS), st.text(max_size=3)), max_size=25))
def test_voice_spans_agree_with_the_twins(words):
    """speech_spans, merge_spans and in_paraphrase, with the compiled pieces and with the twins."""
    scorer = _scorer()
    text = " ".join(words)
    norm = module.normalize(text)
    hits, markers = scorer._matcher.find(norm)
    ends = voice.sentence_ends(norm.text)
    actors = [h[0] for h in hits if scorer._named[h[2]]]
    got = voice.speech_spans(norm.text, markers, ends, actors)
    merged, paraphrase = voice.merge_spans(got), voice.in_paraphrase(got)
    with pytest.MonkeyPatch.context() as patch:
        for name, twin in [("_QUOTATIONS", PY_QUOTATIONS), ("_covered", voice.python_covered),
                           ("_headlines", voice.python_headlines), ("merge_spans", voice.python_merge_spans),
                           ("_covered_of", voice.python_covered_of), ("_described", voice.python_described),
                           ("Paraphrase", voice.PythonParaphrase)]:
            patch.setattr(voice, name, twin)
        want = voice.speech_spans(norm.text, markers, ends, actors)
        assert got == want
        assert merged == voice.merge_spans(want)
        twin = voice.in_paraphrase(want)
        assert [paraphrase(p) for p in range(-1, len(norm.text) + 2)] == [twin(p) for p in range(-1, len(norm.text) + 2)]


@functools.cache
def _scorer():
    from framing import Scorer

    return Scorer()


# CharPositions reads a two-byte text 16 characters at a time, skipping the blocks that hold only
# characters none of those sought can be (letters around the Arabic block, spaces).

EDGES = ["\u0620", "\u0621", "\u064a", "\u064b", "\u0600", "\u06ff", "\u00ab", "\u00bb", "\u201b", "\u201c", " ", "\n",
         ".", "\uffff", "\u0001", "\u0100", "ا", "ب", "ة"]


@settings(max_examples=400, deadline=None)
@given(chars=st.text(alphabet=st.sampled_from(EDGES), max_size=6),
       text=st.lists(st.one_of(st.sampled_from(EDGES), st.sampled_from(["ال", "جيش", "  ", "المسماري "]),
                               st.characters(max_codepoint=0xFFFF)), max_size=80).map("".join))
def test_char_positions_skip_only_blocks_without_what_is_sought(chars, text):
    from framing.normalize import PythonCharPositions

    text = "ب" + text  # two bytes a character
    assert _core.CharPositions(chars).positions(text) == PythonCharPositions(chars).positions(text)


@pytest.mark.parametrize("char", EDGES)
def test_char_positions_find_a_character_alone_in_a_block_of_letters(char):
    from framing.normalize import PythonCharPositions

    text = "ب" * 20 + char + " ب" * 20  # in the second block, the others letters and spaces
    for chars in (char, char + "\u0620\u064b", char + "\u00ab\u201c"):
        assert _core.CharPositions(chars).positions(text) == PythonCharPositions(chars).positions(text)
        assert 20 in _core.CharPositions(chars).positions(text)


@pytest.mark.parametrize("chars, text", [
    (".؟\n«»“”\"„", "ب" * 15 + "." + "ب" * 16 + "«" + " " * 15),   # at the end of a block, at its start
    (" ", "ب ب  ب" * 10),                                            # the space sought: no block skipped
    ("ب", "ا" * 40 + "ب"),                                           # an Arabic letter sought: none skipped
    ("\u0620\u064b", "\u0621\u064a" * 10 + "\u0620" + "\u064a" * 20 + "\u064b"),  # the range's edges
    ("\u0001", "ب" * 20 + "\u0001"),
])
def test_char_positions_at_the_edges_of_blocks(chars, text):
    from framing.normalize import PythonCharPositions

    found = _core.CharPositions(chars).positions(text)
    assert found == PythonCharPositions(chars).positions(text) and found


def test_a_normalisation_inside_another_leaves_it_whole():
    """The Normalizer's buffers are shared by its calls: a finalizer that normalises while the
    collector runs, in the middle of another call, must not change that call's result."""
    import gc

    class Cycle:
        def __init__(self):
            self.me = self

        def __del__(self):
            COMPILED("ﷺ ﻻ الْجَيْش  " * 50)  # another text, longer: the buffers grow

    texts = ["المـيليشيـاتُ  قال «ﻻ»" * k for k in range(1, 30)]
    old = gc.get_threshold()
    gc.set_threshold(1)
    try:
        for text in texts:
            for _ in range(3):
                Cycle()
            got = COMPILED(text)
            want = python_normalize(text)
            assert (got.text, got.anchors) == (want.text, want.anchors)
    finally:
        gc.set_threshold(*old)
