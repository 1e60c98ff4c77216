"""Clitics, inflections and word boundaries: what must match and what must NOT."""

import pytest

from framing.matcher import accusative_form, proclitic_keys
from framing.normalize import normalize

MUST_MATCH = [
    # (text, canonical term that must be found, the matched surface text)
    ("ميليشيات", "ميليشيات", "ميليشيات"),
    ("مليشيات", "ميليشيات", "مليشيات"),
    ("الميليشيات", "ميليشيات", "الميليشيات"),
    ("والميليشيات", "ميليشيات", "والميليشيات"),
    ("فالميليشيات", "ميليشيات", "فالميليشيات"),
    ("بالميليشيات", "ميليشيات", "بالميليشيات"),
    ("للميليشيات", "ميليشيات", "للميليشيات"),
    ("وللميليشيات", "ميليشيات", "وللميليشيات"),
    ("وبالميليشيات", "ميليشيات", "وبالميليشيات"),
    ("لميليشيات", "ميليشيات", "لميليشيات"),
    ("ميليشياتهم", "ميليشيات", "ميليشياتهم"),
    ("وميليشياته", "ميليشيات", "وميليشياته"),
    ("المـيليشيـات", "ميليشيات", "المـيليشيـات"),
    ("الميلِيشيَات", "ميليشيات", "الميلِيشيَات"),
    ("مرتزقة", "مرتزقة", "مرتزقة"),
    ("مرتزقه", "مرتزقة", "مرتزقه"),
    ("المرتزقة", "مرتزقة", "المرتزقة"),
    ("للمرتزقة", "مرتزقة", "للمرتزقة"),
    ("والمرتزقة", "مرتزقة", "والمرتزقة"),
    ("مرتزقتها", "مرتزقة", "مرتزقتها"),
    ("ومرتزقتهم", "مرتزقة", "ومرتزقتهم"),
    ("كالمرتزقة", "مرتزقة", "كالمرتزقة"),
    ("بالإرهابيين", "إرهابي", "بالإرهابيين"),
    ("بالارهابيين", "إرهابي", "بالارهابيين"),
    ("الإرهابية", "إرهابي", "الإرهابية"),
    ("الارهابيه", "إرهابي", "الارهابيه"),
    ("وإرهابيون", "إرهابي", "وإرهابيون"),
    ("إرهابيّ", "إرهابي", "إرهابيّ"),
    ("قواتنا", "قوات", "قواتنا"),
    ("وقواتها", "قوات", "وقواتها"),
    ("بقواتكم", "قوات", "بقواتكم"),
    ("الوفاق", "الوفاق", "الوفاق"),
    ("والوفاق", "الوفاق", "والوفاق"),
    ("بالوفاق", "الوفاق", "بالوفاق"),
    ("للوفاق", "الوفاق", "للوفاق"),
    ("الليبي", "ليبي", "الليبي"),
    ("لليبيين"[:-2], "ليبي", "لليبي"),
    ("غزوهم", "غزو", "غزوهم"),
    ("ﺍﻟﻤﺮﺗﺰﻗﺔ", "مرتزقة", "ﺍﻟﻤﺮﺗﺰﻗﺔ"),
    # an invisible character after a word is not part of the match (test_normalize.MATCH_ENDS)
    ("ميليشيات\u200c", "ميليشيات", "ميليشيات"),
    ("الجيش الوطني الليبي", "الجيش الوطني الليبي", "الجيش الوطني الليبي"),
    ("والجيش  الوطني الليبي", "الجيش الوطني الليبي", "والجيش  الوطني الليبي"),
    ("ما يسمى بالوفاق", "ما يسمى بالوفاق", "ما يسمى بالوفاق"),
    ("ما يُسمّى بالوفاق", "ما يسمى بالوفاق", "ما يُسمّى بالوفاق"),
    ("اللواء المتقاعد خليفة حفتر", "اللواء المتقاعد خليفة حفتر", "اللواء المتقاعد خليفة حفتر"),
    ("ﻹرهابيين", "إرهابي", "ﻹرهابيين"),
    # a name set in quotation marks inside a phrase
    ("ما يسمى «بالوفاق»", "ما يسمى بالوفاق", "ما يسمى «بالوفاق"),
    ("اللواء المتقاعد “خليفة حفتر”", "اللواء المتقاعد خليفة حفتر", "اللواء المتقاعد “خليفة حفتر"),
    # HTML character references a crawl left: read as their characters, the surface as written
    ("الجيش&nbsp;الوطني الليبي", "الجيش الوطني الليبي", "الجيش&nbsp;الوطني الليبي"),
    ("&#1575;&#1604;&#1605;&#1585;&#1578;&#1586;&#1602;&#1577;", "مرتزقة",
     "&#1575;&#1604;&#1605;&#1585;&#1578;&#1586;&#1602;&#1577;"),
    ("ما يسمى &laquo;بالوفاق&raquo;", "ما يسمى بالوفاق", "ما يسمى &laquo;بالوفاق"),
    ("غزو&#x647;م", "غزو", "غزو&#x647;م"),
    # a hashtag: its underscores are spaces
    ("#الجيش_الوطني_الليبي", "الجيش الوطني الليبي", "الجيش_الوطني_الليبي"),
    ("#ما_يسمى_بالوفاق", "ما يسمى بالوفاق", "ما_يسمى_بالوفاق"),
    # the alef of the indefinite accusative is part of the word
    ("إرهابيا", "إرهابي", "إرهابيا"),
    ("وإرهابيا", "إرهابي", "وإرهابيا"),
    ("غزوا", "غزو", "غزوا"),
]

MUST_NOT_MATCH = [
    # (text, canonical term that must NOT be found)
    ("ليبيا", "ليبي"),          # a different word (a name takes no accusative alef), and ل is no proclitic here
    ("حفترا", "حفتر"),
    ("مرتزقةا", "مرتزقة"),      # a teh marbuta carries its own tanween
    ("وفاق", "الوفاق"),         # the party name is definite only
    ("الوفاقية", "الوفاق"),     # a longer word
    ("روح الوفاق", "الوفاق"),   # an ignore phrase hides the ordinary use
    ("غزوة", "غزو"),            # a word-final teh marbuta is not the pronoun ه
    ("مرتزقت", "مرتزقة"),       # the ت form needs an enclitic
    ("ميليشياتيون", "ميليشيات"),
    ("استقوات", "قوات"),        # inside a longer word
    ("الاستقوات", "قوات"),
    ("قواتية", "قوات"),
    ("الإرهابيات", "إرهابي"),   # not a listed inflection
    ("مرتزقين", "مرتزقة"),
    ("الجيش الوطني، الليبي", "الجيش الوطني الليبي"),  # punctuation breaks a phrase
    ("الجيش الوطني\nالليبي", "الجيش الوطني الليبي"),   # so does a line break
    ("سمى بالوفاق", "ما يسمى بالوفاق"),
    ("«ما» يسمى بالوفاق", "ما يسمى بالوفاق"),  # a quotation may open only before a later word
    ("ما يسمى» بالوفاق", "ما يسمى بالوفاق"),   # and closing it mid-phrase breaks the phrase
    ("حفترية", "حفتر"),
    ("زميليشيات", "ميليشيات"),
    ("غزو&#1577;", "غزو"),      # a teh marbuta written as a reference is still no pronoun ه
    ("الجيش&amp;nbsp;الوطني الليبي", "الجيش الوطني الليبي"),  # «&amp;» is «&»: read once, not twice
    ("الجيش&nbspالوطني الليبي", "الجيش الوطني الليبي"),        # no «;»: no reference
    ("الجيش&nosuchname;الوطني الليبي", "الجيش الوطني الليبي"),  # a name HTML does not have
    ("كميليشياتنااا", "ميليشيات"),
]


def _found(scorer, text):
    return [(m.term, m.text) for m in scorer.matches(text)]


@pytest.mark.parametrize("text,term,surface", MUST_MATCH)
def test_must_match(forms, text, term, surface):
    sentence = f"قال شاهد إن {text} وصلت أمس."
    assert (term, surface) in _found(forms, sentence)


@pytest.mark.parametrize("text,term", MUST_NOT_MATCH)
def test_must_not_match(forms, text, term):
    sentence = f"قال شاهد إن {text} وصلت أمس."
    assert term not in [t for t, _ in _found(forms, sentence)]


def test_longest_match_wins(forms):
    terms = [m.term for m in forms.matches("وصلت قوات اللواء المتقاعد خليفة حفتر إلى المدينة")]
    assert "اللواء المتقاعد خليفة حفتر" in terms and "حفتر" not in terms


@pytest.mark.parametrize("form,expected,absent", [
    ("ميليشيات", ["ميليشيات", "والميليشيات", "للميليشيات", "فبالميليشيات", "كالميليشيات"], ["لالميليشيات"]),
    ("الوفاق", ["الوفاق", "بالوفاق", "للوفاق", "وللوفاق"], ["وفاق", "لالوفاق", "الالوفاق"]),
    ("الليبي", ["الليبي", "لليبي"], ["للليبي"]),
])
def test_proclitic_keys(form, expected, absent):
    keys = proclitic_keys(form)
    assert keys[0] == form
    assert set(expected) <= set(keys)
    assert not set(absent) & set(keys)


# The automaton holds each spelling once and checks the letters before a hit against the
# proclitics its spelling takes: every key proclitic_keys spells must be found, as one word, and
# nothing else. Forms cover each head the keys depend on: «ال», «ال» + «ل», «ل», none.
KEY_FORMS = [("الوفاق", "الوفاق"), ("ليبي", "ليبي"), ("ميليشيات", "ميليشيات"), ("غزو", "غزو"),
             ("الجيش الوطني الليبي", "الجيش الوطني الليبي")]
NOT_PROCLITICS = ["ز", "لال", "الال", "وو", "بب", "فو", "كك", "وبلل", "ولال", "بو", "وفال"]


@pytest.mark.parametrize("form,term", KEY_FORMS)
def test_every_proclitic_key_is_found(forms, form, term):
    for key in proclitic_keys(form):
        assert (term, key) in _found(forms, f"قال شاهد إن {key} وصلت أمس."), key


@pytest.mark.parametrize("form,term", KEY_FORMS)
def test_no_other_proclitic_is_found(forms, form, term):
    keys = set(proclitic_keys(form))
    for prefix in NOT_PROCLITICS:
        if prefix + form not in keys:
            assert term not in [t for t, _ in _found(forms, f"قال شاهد إن {prefix}{form} وصلت أمس.")], prefix + form


def test_a_form_beats_a_cliticised_spelling_of_another_entry():
    # «الليبي» is the bare form of one entry and «ليبي» + «ال» of another: the bare form wins,
    # whichever comes first in the lexicon.
    from framing.lexicon import Entry, Lexicon
    from framing.matcher import Matcher
    from framing.normalize import normalize

    def entry(term, line):
        return Entry(term=term, variants=(term,), forms=(term,), kind="actor", party="lna", polarity=None,
                     attach=None, category=None, weight=1.0, gloss="", source=f"terms.tsv:{line}")
    for order in ((entry("ليبي", 1), entry("الليبي", 2)), (entry("الليبي", 1), entry("ليبي", 2))):
        matcher = Matcher(Lexicon("t", None, {}, order, ""))
        hits, _ = matcher.find(normalize("قال الليبي"))
        assert [order[h[2]].term for h in hits] == ["الليبي"]


def _spoken_lexicon(*extra):
    """A lexicon whose terms include the reporting verb «زعم» (and ``extra`` entries)."""
    from framing.lexicon import Entry, Lexicon

    def entry(term, forms, kind, party, line):
        return Entry(term=term, variants=forms, forms=forms, kind=kind, party=party,
                     polarity=None if kind == "actor" else "unfavorable", attach=None if kind == "actor" else "noun",
                     category=None if kind == "actor" else "x", weight=1.0, gloss="", source=f"terms.tsv:{line}")
    entries = (entry("حفتر", ("حفتر",), "actor", "lna", 1), entry("زعم", ("زعم", "زعموا", "يزعم"), "evaluative", None, 2))
    entries += tuple(entry(term, (term,), kind, party, 3 + k) for k, (term, kind, party) in enumerate(extra))
    return Lexicon("t", None, {}, entries, "")


# A reporting verb that is a term is both: the voice rules' marker, and a match of its entry.
# (text, the matches as (surface, term), the starts of reporting verbs)
SPOKEN = [
    ("وزعم حفتر أن القوات تقدمت", [("وزعم", "زعم"), ("حفتر", "حفتر")], [0]),
    ("قال شاهد إنهم زعموا أن القوات تقدمت", [("زعموا", "زعم")], [0, 14]),
    # not a marker: the scan finds it as any term
    ("يزعم حفتر أن القوات تقدمت", [("يزعم", "زعم"), ("حفتر", "حفتر")], []),
    # must NOT: a reporting verb that is no term stays a marker only
    ("قال حفتر إن القوات تقدمت", [("حفتر", "حفتر")], [0]),
]


@pytest.mark.parametrize("text,matches,verbs", SPOKEN)
def test_a_reporting_verb_that_is_a_term_is_a_marker_and_a_match(text, matches, verbs):
    from framing.matcher import Matcher
    from framing.normalize import normalize

    lexicon = _spoken_lexicon()
    hits, markers = Matcher(lexicon).find(normalize(text))
    assert [(text[h[0]:h[1]], lexicon.entries[h[2]].term) for h in hits] == matches
    assert markers["report"] == verbs


def test_a_longer_term_over_a_spoken_verb_wins():
    from framing.matcher import Matcher
    from framing.normalize import normalize

    lexicon = _spoken_lexicon(("زعم حفتر", "naming", "lna"))
    text = "وزعم حفتر أن القوات تقدمت"
    hits, markers = Matcher(lexicon).find(normalize(text))
    assert [(text[h[0]:h[1]], lexicon.entries[h[2]].term) for h in hits] == [("وزعم حفتر", "زعم حفتر")]
    assert markers["report"] == [0]


@pytest.mark.parametrize("kind,raw,expected", [
    ("evaluative", "إرهابي", "ارهابيا"),
    ("evaluative", "تطهير عرقي", "تطهيرا عرقيا"),    # a noun and its adjective: the alef on each
    ("evaluative", "مجرم حرب", "مجرما حربا"),        # a construct: generated, and never written
    # must NOT
    ("actor", "حفتر", None),                          # a name
    ("evaluative", "الإرهابي", None),                 # definite
    ("evaluative", "إرهابيين", None),                 # a sound plural
    ("evaluative", "مجزرة", None),                    # teh marbuta (normalised to «ه»)
    ("evaluative", "مجزرةٌ", None),                   # ... under a diacritic
    ("evaluative", "فوضى", None),                     # alef maksura (normalised to «ي»)
    ("evaluative", "اعتداء", None),                   # hamza
    ("naming", "ثوار 17 فبراير", None),               # a number takes none, so the phrase takes none
])
def test_accusative_form(kind, raw, expected):
    assert accusative_form(kind, raw, normalize(raw).text) == expected


@pytest.mark.parametrize("word,enclitic", [
    ("إرهابيي", ""),        # «إرهابيي داعش»: the plural «إرهابيين» in construct, no 'my'
    ("وللإرهابيي", ""),
    ("ميليشياتي", "ي"),     # must NOT lose its «ي»: 'my militias'
    ("ميليشياتنا", "نا"),
])
def test_a_yeh_after_a_final_yeh_is_no_enclitic(forms, word, enclitic):
    hits, _ = forms._matcher.find(normalize(f"قال شاهد إن {word} وصلوا."))
    assert [hit[3] for hit in hits] == [enclitic]
