"""Normalisation and the offset map back to the original text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import normalize
from framing.normalize import LETTER_MAP, tokens
from framing.scorer import scorer_for

from .conftest import EXAMPLES

CASES = [
    ("أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"),
    ("مدرسة", "مدرسه"),
    ("مستشفى", "مستشفي"),
    ("الْمُرْتَزِقَةُ", "المرتزقه"),
    ("المـــرتزقة", "المرتزقه"),
    ("یک کتاب", "يك كتاب"),
    ("ﺍﻟﺠﻴﺶ", "الجيش"),
    ("ﻻ", "لا"),
    ("١٢٣ و۴۵", "123 و45"),
    ("حفتر\u200f \u202bقال\u202c\u200d", "حفتر قال"),
    # A soft hyphen (HTML's &shy;) and a word joiner inside a word: the word is whole again.
    ("ميلي\u00adشيات ال\u2060وفاق", "ميليشيات الوفاق"),
    ("a\u00a0b   c\td", "a b c d"),
    ("سطر\nسطر", "سطر\nسطر"),
    # Line breaks of other systems and of Unicode are line breaks («\r\n» two of them).
    ("سطر\r\nسطر\rسطر", "سطر\n\nسطر\nسطر"),
    ("سطر\u2028سطر\u2029سطر\x85سطر\vسطر\fسطر", "سطر\nسطر\nسطر\nسطر\nسطر\nسطر"),
    # A hashtag's underscores are its spaces (a run of them one space).
    ("#طوفان_الكرامة و#بركان__الغضب", "#طوفان الكرامه و#بركان الغضب"),
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_normalize(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw,_", CASES)
def test_every_token_maps_back(raw, _):
    n = normalize(raw)
    for m in re.finditer(r"\S+", n.text):
        a, b = n.span(*m.span())
        assert normalize(raw[a:b]).text.strip() == m.group()


DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0640", "\u0670", "\u200c"]


@st.composite
def decorated(draw, text):
    """``text`` with diacritics, tatweel and zero-width characters sprinkled after Arabic letters."""
    out = []
    for ch in text:
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(DIACRITICS)))
    return "".join(out)


ARTICLE = (EXAMPLES / "pro_lna.txt").read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(decorated(ARTICLE))
def test_decoration_never_changes_the_score(mini_decorated_scorer, text):
    plain = mini_decorated_scorer.score(ARTICLE)
    fancy = mini_decorated_scorer.score(text)
    assert fancy.to_dict()["sides"] == plain.to_dict()["sides"]
    assert [(m.term, m.target, m.voice) for m in fancy.matches] == [(m.term, m.target, m.voice) for m in plain.matches]
    for m, p in zip(fancy.matches, plain.matches):
        assert text[m.start:m.end] == m.text
        assert normalize(m.text).text == normalize(p.text).text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ميليشات الوفق مرتزقة«»\"،.\n ") + DIACRITICS + ["ﻻ", "ﺍ", "\u00a0"]), max_size=80))
def test_offsets_slice_the_original(mini_decorated_scorer, text):
    n = normalize(text)
    for i in range(len(n.text) + 1):
        a, b = n.span(0, i)
        assert 0 <= a <= b <= len(text)
    if text.strip():
        for m in mini_decorated_scorer.matches(text):
            assert text[m.start:m.end] == m.text and m.text.strip() == m.text


@pytest.mark.parametrize("raw", [c[0] for c in CASES] + ["«ميليشيات» الوفاقِ، وﻻ ٣ مرتزقة!"])
def test_tokens_keep_original_offsets(raw):
    for t in tokens(raw):
        assert normalize(raw[t.start:t.end]).text == t.text


LETTERS = [c for c, to in LETTER_MAP.items() if to != " "]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(LETTERS + list("ميليشاتالوفق")), max_size=60))
def test_every_mapped_letter_is_mapped_wherever_it_is(text):
    # The rare ones (digits, Persian letters) take another path than the frequent ones: same result.
    assert normalize(text).text == "".join(LETTER_MAP.get(c, c) for c in text)


# Where a match ends: diacritics and tatweel on its last letter are part of it, the invisible
# characters after it are not (a bidi control closing an embedded word, a mark before the next
# word). (text, the match, its text)
MATCH_ENDS = [
    ("قصفت ميليشيات\u200f حفتر الحي", "ميليشيات", "ميليشيات"),
    ("قصفت \u202bميليشيات\u202c حفتر الحي", "ميليشيات", "ميليشيات"),
    ("قصفت \u2067ميليشيات\u2069\u200e حفتر الحي", "ميليشيات", "ميليشيات"),
    ("قصفت ميليشيات\ufeff حفتر الحي", "ميليشيات", "ميليشيات"),
    # kept: what is drawn on the word
    ("قصفت ميليشياتٌ حفتر الحي", "ميليشياتٌ", "ميليشياتٌ"),
    ("قصفت ميليشياتٌ\u200f حفتر الحي", "ميليشياتٌ", "ميليشياتٌ"),
    ("قصفت ميليشياتـ حفتر الحي", "ميليشياتـ", "ميليشياتـ"),
    # kept: inside the match, it is part of it
    ("قصفت ميلي\u200cشيات حفتر الحي", "ميلي\u200cشيات", "ميلي\u200cشيات"),
    ("قصفت ميلي\u00adشيات حفتر الحي", "ميلي\u00adشيات", "ميلي\u00adشيات"),
    ("قصفت ميليشيات\u2060 حفتر الحي", "ميليشيات", "ميليشيات"),
]


@pytest.mark.parametrize("text,surface,expected", MATCH_ENDS)
def test_a_match_ends_before_the_invisible_characters_after_it(mini, text, surface, expected):
    found = [m for m in mini.matches(text) if m.kind == "evaluative"]
    assert [m.text for m in found] == [expected]
    assert text[found[0].start:found[0].end] == expected
    # quotations' spans too: the same map
    n = normalize(text)
    start = n.text.index("ميليشيات")
    assert text[slice(*n.span(start, start + len("ميليشيات")))] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ميلشات «ﻻﺍ\n ") + DIACRITICS + ["\u00a0", "\u200f", "\u202c"]),
               max_size=40))
def test_spans_of_many_pairs_are_each_span(text):
    n = normalize(text)
    pairs = [(a, b) for a in range(len(n.text) + 2) for b in range(a - 1, len(n.text) + 2)]
    assert n.spans(pairs) == [n.span(a, b) for a, b in pairs]


def test_the_changed_characters_are_those_of_their_pattern():
    import sys

    module = sys.modules["framing.normalize"]
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    found = module._CHANGED.positions(every)
    assert [every[i] for i in found] == [m.group() for m in module._CHANGED_CHARS.finditer(every)]
    assert module._class_chars("ab-dx") == "abcdx"


# HTML character references a crawl left: each is read as the character it stands for, and that
# character spans the whole reference in the original. What only looks like one stays as written.
REFERENCES = [
    # (raw, normalised, the original text behind each normalised character that is not itself)
    ("قال&nbsp;&quot;نعم&quot;", 'قال "نعم"', {3: "&nbsp;", 4: "&quot;", 8: "&quot;"}),
    ("&laquo;حفتر&raquo;", "«حفتر»", {0: "&laquo;", 5: "&raquo;"}),
    ("&#1605;&#x64A;&#X0644;", "ميل", {0: "&#1605;", 1: "&#x64A;", 2: "&#X0644;"}),
    ("&#1571;&#1610;&#1577;", "ايه", {0: "&#1571;", 1: "&#1610;", 2: "&#1577;"}),  # then the letter map
    ("ب&#1614; ت", "ب ت", {0: "ب&#1614;"}),       # a reference to a diacritic: deleted with it
    ("ا &nbsp; ب", "ا ب", {1: " &nbsp; "}),       # a space it stands for joins the run of spaces
    ("ا&#10;ب", "ا\nب", {1: "&#10;"}),            # a line break: it ends a sentence
    # Not references, or not known: as written.
    ("AT&T و R&D", "AT&T و R&D", {}),
    ("ا & ب", "ا & ب", {}),
    ("x &nbsp y", "x &nbsp y", {}),
    ("x &nosuchname; y", "x &nosuchname; y", {}),
    ("&amp;quot;", "&quot;", {0: "&amp;"}),         # decoded once: «&quot;» is text here
]


@pytest.mark.parametrize("raw, text, behind", REFERENCES)
def test_character_references_are_their_characters(raw, text, behind):
    n = normalize(raw)
    assert n.text == text
    for i, char in enumerate(n.text):
        a, b = n.span(i, i + 1)
        if i in behind:
            assert raw[a:b] == behind[i]
        else:  # a character of the text itself, or one the other steps changed (a letter, a space)
            assert normalize(raw[a:b]).text.strip() == char.strip()
    a, b = n.span(0, len(n.text))
    assert raw[a:b].strip() == raw.strip()


REFERENCE_TWINS = [
    # (as a crawl left it, as a reader reads it)
    ("وقال المسماري إن &quot;الميليشيات الإرهابية&quot; قصفت المدينة.",
     'وقال المسماري إن "الميليشيات الإرهابية" قصفت المدينة.'),
    ("قصفت ميليشيات&nbsp;حفتر الأحياء السكنية&#46; وقال قنونو&#58; &laquo;قواتنا الباسلة تتقدم&raquo;.",
     "قصفت ميليشيات حفتر الأحياء السكنية. وقال قنونو: «قواتنا الباسلة تتقدم»."),
    ("&#1602;&#1589;&#1601;&#1578; &#1605;&#1604;&#1610;&#1588;&#1610;&#1575;&#1578; &#1581;&#1601;&#1578;&#1585; طرابلس",
     "قصفت مليشيات حفتر طرابلس"),
]


@pytest.mark.parametrize("crawled, plain", REFERENCE_TWINS)
def test_a_crawled_article_scores_as_its_plain_twin(crawled, plain):
    scorer = scorer_for()  # the bundled lexicon's shared scorer
    got, want = scorer.score(crawled), scorer.score(plain)
    assert got.lean == want.lean and got.sides == want.sides and got.warnings == want.warnings == ()
    assert ([(m.term, m.target, m.voice, m.rule, m.speaker) for m in got.matches]
            == [(m.term, m.target, m.voice, m.rule, m.speaker) for m in want.matches])
    assert len(got.matches) >= 2
    for m, p in zip(got.matches, want.matches):
        assert crawled[m.start:m.end] == m.text  # the evidence is the text as given
        assert normalize(m.text).text == normalize(p.text).text


# A statement left open ends at its paragraph's end, and a headline is a line: whatever line
# breaks the text was written with, it reads as with «\n» (the offsets index it as given).
LINE_BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85"]
LINES = ("المسماري: الميليشيات الإرهابية تقصف الأحياء{nl}"
         "وقال قنونو إن «قواتنا الباسلة تتقدم نحو المواقع{nl}"
         "وقصفت ميليشيات حفتر المدينة.")


@pytest.mark.parametrize("nl", LINE_BREAKS)
def test_any_line_break_ends_lines_and_open_quotations(nl):
    scorer = scorer_for()
    text, plain = LINES.format(nl=nl), LINES.format(nl="\n")
    got, want = scorer.score(text), scorer.score(plain)
    assert [(m.term, m.target, m.voice, m.speaker) for m in got.matches] == \
        [(m.term, m.target, m.voice, m.speaker) for m in want.matches]
    # the open quotation ends at its line; the last sentence is the narrator's
    assert [m.voice for m in got.matches if m.term == "ميليشيات" and m.target == "lna"] == ["narrator"]
    assert [s.text.strip() for s in got.statements] == [s.text.strip() for s in want.statements]
    for m in got.matches:
        assert text[m.start:m.end] == m.text
