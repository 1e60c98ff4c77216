"""Normalisation and the offset map back to the original text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import normalize
from framing.normalize import LETTER_MAP, tokens

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
