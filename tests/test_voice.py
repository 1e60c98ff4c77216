"""Narrator or quoted: quotation marks, reporting verbs and scare quotes."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

CASES = [
    # (text, term surface, expected voice)
    ("قصفت ميليشيات حفتر الحي.", "ميليشيات", "narrator"),
    ("وقال المسماري: «ميليشيات الوفاق فرت».", "ميليشيات", "quoted"),
    ("وقال المسماري “ميليشيات الوفاق فرت”.", "ميليشيات", "quoted"),
    ('وأضاف "أن ميليشيات الوفاق فرت".', "ميليشيات", "quoted"),
    ("وأكد المسماري أن ميليشيات الوفاق فرت من المدينة.", "ميليشيات", "quoted"),
    ("وقالت حكومة الوفاق إن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # scare quotes: the outlet cites the word, it does not adopt it
    ("تقدمت «ميليشيات» حفتر نحو المدينة.", "ميليشيات", "quoted"),
    # an unclosed quotation ends with its paragraph
    ("قال قنونو: «ميليشيات حفتر قصفت المدينة\nوتقدمت ميليشيات الوفاق.", "ميليشيات", ["quoted", "narrator"]),
    # the sentence after a reported statement is the narrator again
    ("وأكد قنونو أن مرتزقة فاغنر انسحبوا. وتقدمت ميليشيات حفتر.", "ميليشيات", "narrator"),
    # «بأن» reports like «أن»
    ("وصرح قنونو بأن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # the outlet's own correspondent is the outlet
    ("وأفاد مراسلنا بأن مرتزقة فاغنر انسحبوا.", "مرتزقة", "narrator"),
    ("وأفاد مراسل قناة أخرى بأن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # participles report, with the subject before them
    ("أعلنت حكومة الوفاق الحداد، مؤكدة أن مرتزقة فاغنر قصفوا المدرسة.", "مرتزقة", "quoted"),
    # verbal nouns report too
    ("واكتفى قنونو بالقول إن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    ("ودأب المسماري على التأكيد أن ميليشيات الوفاق فرت.", "ميليشيات", "quoted"),
    # ... but «يمكن القول إن» is the narrator's own conclusion
    ("ويمكن القول إن ميليشيات حفتر فشلت.", "ميليشيات", "narrator"),
    # «بعد أن / دون أن» are conjunctions: the verb reports nothing, or reports the later «إن»
    ("وأعلن المجلس النفير بعد أن تقدمت ميليشيات حفتر نحو المدينة.", "ميليشيات", "narrator"),
    ("وقال المسماري دون أن يقدم دليلا إن ميليشيات الوفاق فرت.", "ميليشيات", "quoted"),
    ("وأشار قنونو إلى أن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # self-description: the claim is the subject's, up to the next punctuation mark
    ("إن قوة تقدم نفسها بوصفها الجيش الوطني الليبي لا تقصف الأحياء.", "الجيش الوطني الليبي", "quoted"),
    ("يقدم حفتر نفسه على أنه المشير الذي ينقذ البلاد.", "المشير", "quoted"),
    ("تصف الحكومة نفسها بأنها عدو الميليشيات، لكن ميليشيات حفتر تقدمت.", "ميليشيات", ["quoted", "narrator"]),
    # a report or a monitoring body documents: its account, not the outlet's
    ("وثق التقرير قصفا نفذته ميليشيات حفتر على الأحياء.", "ميليشيات", "quoted"),
    ("وأحصت بعثة الأمم المتحدة هجمات شنتها ميليشيات حفتر. وتقدمت ميليشيات الوفاق.", "ميليشيات", ["quoted", "narrator"]),
    # an outlet's own documentation is its own voice
    ("وثق فريقنا قصفا نفذته ميليشيات حفتر على الأحياء.", "ميليشيات", "narrator"),
    # «نفسه» as 'the same / itself' introduces nothing
    ("وفي الوقت نفسه تقدمت ميليشيات حفتر.", "ميليشيات", "narrator"),
    # a naming choice in reported speech without quotation marks is the outlet's paraphrase ...
    ("قصفت قوات حفتر المدينة نفسها. وقال شهود إن المشير غادر.", "المشير", "narrator"),
    ("وأكد المتحدث أن قوات اللواء المتقاعد انسحبت من المحور.", "اللواء المتقاعد", "narrator"),
    # ... but not inside quotation marks, nor in a self-description, nor a camp praising itself
    ("وقال شهود: «المشير غادر».", "المشير", "quoted"),
    ("وقال شهود إن «اللواء المتقاعد» غادر.", "اللواء المتقاعد", "quoted"),
    ("وقال المسماري إن المشير أمر بالتقدم.", "المشير", "quoted"),
    # «”» opens a quotation too, and a colon may be glued to the reporting word
    ("وقال المسماري ”الميليشيات فرت”.", "الميليشيات", "quoted"),
    ("وأضاف المسماري مضيفا:”الميليشيات فرت”", "الميليشيات", "quoted"),
    # a colon written right after the speaker's name, as Arabic news writes it, quotes without marks
    ("وقال المسماري: الميليشيات فرت من المدينة.", "الميليشيات", "quoted"),
    ("وأضافت: مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # «ردّ» reports a reply («ورد قنونو بأن»)
    ("ورد المسماري بأن ميليشيات الوفاق فرت.", "ميليشيات", "quoted"),
    ("وردت حكومة الوفاق: مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    # ... but a colon with no reporting verb before it, or «ورد» with no «أن», quotes nothing
    ("وفي المدينة: الميليشيات فرت.", "الميليشيات", "narrator"),
    ("ورد اسم الميليشيات في البيان.", "الميليشيات", "narrator"),
    # attributions report as verbs do, the source named after them, or before «قوله / جاء فيه»
    ("ونقلت الوكالة عن المسماري قوله إن الميليشيات فرت.", "الميليشيات", "quoted"),
    ("وبحسب المسماري، فإن الميليشيات فرت.", "الميليشيات", "quoted"),
    ("ووفقا للتقرير فإن ميليشيات حفتر قصفت الحي.", "ميليشيات", "quoted"),
    ("وجاء في بيان للمجلس الرئاسي أن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    ("وأصدرت القيادة العامة بيانا جاء فيه: الميليشيات فرت.", "الميليشيات", "quoted"),
    # «نقل» reports when its clause names a source with «عن», with or without «قوله»
    ("ونقلت الوكالة عن المسماري أن الميليشيات فرت.", "الميليشيات", "quoted"),
    ("ونقل مراسل الإذاعة عن مصدر عسكري أن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    ("نقلوا عن شهود أن ميليشيات حفتر قصفت الحي.", "ميليشيات", "quoted"),
    # ... but without «عن» it is mostly the noun (transfer), and quotes nothing
    ("وتواصلت عملية نقل الجرحى بعد أن قصفت ميليشيات حفتر الحي.", "ميليشيات", "narrator"),
    ("ونقلت سيارات الإسعاف المصابين، وأن ميليشيات حفتر قصفت الحي.", "ميليشيات", "narrator"),
    # ... but an attribution with no «فإن» after it quotes nothing of its own (the statement before
    # goes on through «حسب قوله»), nor do the narrator's connectives after a verb
    ("وقصفت ميليشيات حفتر الحي حسب الخطة.", "ميليشيات", "narrator"),
    ("وبحسب المصادر تقدمت ميليشيات حفتر نحو المدينة.", "ميليشيات", "narrator"),
    ("وأكد السراج أن الهجوم انتهى، حسب قوله، وأن الميليشيات فرت.", "الميليشيات", "quoted"),
    ("وبحسب المسماري فإن الجيش تقدم نحو المواقع، التي كانت تسيطر عليها الميليشيات.", "الميليشيات", "narrator"),
    ("ليس هذا فحسب، بل إن ميليشيات حفتر قصفت الحي.", "ميليشيات", "narrator"),
    ("أعلنت حكومة الوفاق الهدنة، إلا أن ميليشيات حفتر خرقتها.", "ميليشيات", "narrator"),
    ("وأعلن المسماري الهدنة، غير أن ميليشيات الوفاق تقدمت.", "ميليشيات", "narrator"),
    ("وأكد قنونو الخبر، كما أن مرتزقة فاغنر انسحبوا.", "مرتزقة", "narrator"),
    # plural reporting verbs
    ("وقالوا إن الميليشيات فرت.", "الميليشيات", "quoted"),
    # a comma and a relative pronoun end reported speech: the narrator's relative clause
    ("وقال شاهد إن الجيش تقدم نحو المواقع، التي كانت تسيطر عليها الميليشيات.", "الميليشيات", "narrator"),
    # a verb of naming: the name after «بـ» is the subject's
    ("ووصف المسماري حكومة الوفاق بالميليشيات.", "بالميليشيات", "quoted"),
    ("واستنكر ما وصفه قنونو بالمرتزقة.", "بالمرتزقة", "quoted"),
    # ... with a plural object pronoun, and in the present: the label is theirs, not the narrator's
    ("وقصفت الطائرات مواقع من وصفتهم القيادة بالإرهابيين.", "بالإرهابيين", "quoted"),
    ("وهاجمت القوات من وصفوهم بالمرتزقة قرب المطار.", "بالمرتزقة", "quoted"),
    ("ويلاحق الجيش من يسميهم بالإرهابيين في الجنوب.", "بالإرهابيين", "quoted"),
    ("وتعقبت الدوريات من تصفهم بالمرتزقة.", "بالمرتزقة", "quoted"),
    ("ووصف المسماري الوضع في الجبهة، وتقدمت الميليشيات.", "الميليشيات", "narrator"),
    # a headline that opens with a speaker and a colon
    ("المسماري: الميليشيات فرت من المدينة", "الميليشيات", "quoted"),
    ("عاجل: الميليشيات فرت من المدينة", "الميليشيات", "narrator"),
    ("طرابلس - (د ب أ): الميليشيات فرت من المدينة", "الميليشيات", "narrator"),
    # a view reported with «يرى / ترى ... أن», and the other verbs that report («أردف»، «نوه»، «أبلغ»)
    ("ويرى المسماري أن ميليشيات الوفاق فرت.", "ميليشيات", "quoted"),
    ("وترى حكومة الوفاق أن مرتزقة فاغنر انسحبوا.", "مرتزقة", "quoted"),
    ("وأردف قنونو أن ميليشيات حفتر قصفت المطار.", "ميليشيات", "quoted"),
    ("ونوه المسماري إلى أن ميليشيات الوفاق تحشد.", "ميليشيات", "quoted"),
    ("وأبلغ السراج المبعوث أن ميليشيات حفتر قصفت المطار.", "ميليشيات", "quoted"),
    ("واعترف المسماري بأن ميليشيات الوفاق تقدمت نحو المطار.", "ميليشيات", "quoted"),
    ("ورجح قنونو أن مرتزقة فاغنر انسحبوا من الجفرة.", "مرتزقة", "quoted"),
    # ... but with no «أن» after them they report nothing
    ("ويرى السكان ميليشيات حفتر تقصف الحي.", "ميليشيات", "narrator"),
    ("ورجحت كفة ميليشيات حفتر في معارك الجنوب.", "ميليشيات", "narrator"),
    # an evaluative word in reported speech stays the speaker's
    ("وقال شهود إن الميليشيات غادرت.", "الميليشيات", "quoted"),
    ("قصفت قوات حفتر المدينة نفسها بعد أن تقدم المشير.", "المشير", "narrator"),
]


@pytest.mark.parametrize("text,surface,voice", CASES)
def test_voice(mini, text, surface, voice):
    found = [m.voice for m in mini.matches(text) if m.text.endswith(surface) or surface in m.text]
    expected = voice if isinstance(voice, list) else [voice]
    assert found == expected


def test_speaker_from_reporting_clause_and_continuation(mini):
    text = ("وقال المتحدث باسم الجيش الوطني الليبي اللواء أحمد المسماري \"إن قواتنا الباسلة تقدمت\".\n"
            "وأضاف \"أن ميليشيات الوفاق فرت\".\nوقال قنونو: «مرتزقة فاغنر انسحبوا»")
    speakers = {m.text: m.speaker for m in mini.matches(text) if m.voice == "quoted"}
    assert speakers["الباسلة"] == "lna"
    assert speakers["ميليشيات"] == "lna"
    assert speakers["مرتزقة"] == "gna"


def test_speaker_of_a_verbal_noun_is_named_before_it(mini):
    text = "وقال قنونو: «مرتزقة فاغنر انسحبوا»\nودأب المسماري على التأكيد أن الميليشيات فرت."
    found = {m.text: (m.speaker, m.target) for m in mini.matches(text) if m.voice == "quoted"}
    assert found["الميليشيات"] == ("lna", "gna")


@pytest.mark.parametrize("text,speaker", [
    # the subject comes right after the verb; the accused or the host after it
    ("واتهمت حكومة الوفاق الجيش الوطني الليبي بأنه «هاجم قواتنا الباسلة»", "gna"),
    ("وقال قنونو بعد لقاء مع حفتر إن «قواتنا الباسلة صامدة»", "gna"),
    # an attribution's source comes after it; «قوله»'s before it
    ("وجاء في بيان لحكومة الوفاق أن «قواتنا الباسلة صامدة»", "gna"),
    ("ونقلت الوكالة عن المسماري قوله إن «قواتنا الباسلة تقدمت»", "lna"),
    # «نقل»'s subject conveys; the source after its «عن» speaks
    ("ونقلت قناة ليبيا الأحرار عن المسماري أن «قواتنا الباسلة تقدمت»", "lna"),
    ("ونقل موقع عربي عن حكومة الوفاق أن «قواتنا الباسلة صامدة»", "gna"),
    # of two reporting verbs before one «إن», the nearer one reports it
    ("وأعلنت حكومة الوفاق الحداد، فيما قال المسماري إن «قواتنا الباسلة تقدمت»", "lna"),
])
def test_speaker_is_the_subject_of_the_nearest_verb(mini, text, speaker):
    found = [m for m in mini.matches(text) if m.text == "الباسلة"]
    assert len(found) == 1 and (found[0].voice, found[0].speaker, found[0].target) == ("quoted", speaker, speaker)


@pytest.mark.parametrize("text,expected", [
    # a reporting verb after a comma (or a closing quotation mark), with or without a connective,
    # starts the next speaker's statement: the first one ends there
    ("وقال قنونو إن «قواتنا الباسلة صامدة»، فيما قال المسماري إن «ميليشيات الوفاق بدأت الهجوم».",
     {"الباسلة": ("quoted", "gna"), "ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    ("وأكد قنونو أن قواتنا الباسلة صامدة، في حين قال المسماري إن ميليشيات الوفاق فرت.",
     {"الباسلة": ("quoted", "gna"), "ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    ("وقال قنونو إن «قواتنا الباسلة صامدة» وقال المسماري: «ميليشيات الوفاق فرت».",
     {"ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    ("وقال قنونو إن قواتنا الباسلة صامدة، وقال المسماري إن ميليشيات الوفاق فرت.",
     {"ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    # ... and so does a colon right after the second speaker's name, or his reply
    ("وقال قنونو إن قواتنا الباسلة صامدة، في حين قال المسماري: ميليشيات الوفاق فرت.",
     {"الباسلة": ("quoted", "gna"), "ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    ("وقال قنونو إن قواتنا الباسلة صامدة، فيما رد المسماري: «ميليشيات الوفاق فرت».",
     {"الباسلة": ("quoted", "gna"), "ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    ("وقال قنونو إن قواتنا الباسلة صامدة، ورد المسماري بأن ميليشيات الوفاق فرت.",
     {"الباسلة": ("quoted", "gna"), "ميليشيات": ("quoted", "lna"), "المسماري": ("narrator", None)}),
    # must not: a verb inside the statement with no mark before it, or a verb after a comma that
    # reports nothing of its own, leaves the statement whole (the first speaker's to its end)
    ("وقال قنونو إن الاتفاق، على نحو ما زعم المسماري، وأن ميليشيات الوفاق صامدة.",
     {"المسماري": ("quoted", "gna"), "ميليشيات": ("quoted", "gna")}),
    ("وقال قنونو إن قواتنا الباسلة صامدة، وطالب المسماري بالانسحاب من ميليشيات الوفاق.",
     {"الباسلة": ("quoted", "gna"), "المسماري": ("quoted", "gna"), "ميليشيات": ("quoted", "gna")}),
])
def test_a_second_statement_ends_the_first(mini, text, expected):
    found = {m.text: (m.voice, m.speaker) for m in mini.matches(text) if m.text in expected}
    assert found == expected


def test_speaker_of_a_participle_is_the_subject_before_it(mini):
    text = "وقال المسماري: «تقدمنا»\nأعلنت حكومة الوفاق الحداد، مؤكدة أن الميليشيات قصفت المدرسة."
    found = {m.text: (m.speaker, m.target) for m in mini.matches(text) if m.voice == "quoted"}
    assert found["الميليشيات"] == ("gna", "lna")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="،, \nالتيذx", max_size=40),
       st.lists(st.tuples(st.integers(0, 42), st.integers(0, 42)), max_size=8), st.booleans())
def test_first_match_finds_what_a_search_finds(text, calls, in_order):
    # In text order (as the rules call it), or in any order (it searches again when it must).
    from framing.voice import _RELATIVE, FirstMatch

    first = FirstMatch(_RELATIVE, text)
    for pos, end in sorted(calls) if in_order else calls:
        want = _RELATIVE.search(text, pos, end)
        assert first.before(pos, end) == (want and want.start())


def test_first_match_reads_a_long_sentence_once():
    # The statements of one long sentence share one search of the text, not one each (which made
    # the reported-speech rule quadratic in a sentence's length).
    import re

    from framing.voice import FirstMatch

    class Counting:
        def __init__(self, pattern):
            self.pattern, self.calls = re.compile(pattern), 0

        def search(self, *args):
            self.calls += 1
            return self.pattern.search(*args)

    text = "قال ان الجيش تقدم و " * 500 + "، التي"
    pattern = Counting(r"[،,]\s*التي")
    first = FirstMatch(pattern, text)
    starts = [m.end() for m in re.finditer("ان", text)]
    assert [first.before(pos, len(text)) for pos in starts] == [len(text) - 6] * len(starts)
    assert pattern.calls == 1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="انهمبوف: ق", max_size=30), st.integers(0, 32), st.integers(0, 32))
def test_the_search_for_that_starts_late_and_finds_what_the_pattern_finds(text, pos, limit):
    import sys

    voice = sys.modules["framing.voice"]
    got, want = voice._search_that(text, pos, limit), voice._THAT.search(text, pos, limit)
    assert (got and got.span()) == (want and want.span())


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="اب :\t\n2_.", max_size=30), st.integers(0, 32))
@example("حكومه الوفاق : قال", 0).via("a space before the colon")
@example(" ا ب ا ب:", 0).via("four words")
@example("ا ب ا ب ا:", 0).via("five words: none")
@example("\tاب\t\tب :", 0)
@example("اب ب2:", 0)
def test_the_possessive_headline_pattern_matches_what_the_backtracking_one_does(text, pos):
    import re
    import sys

    voice = sys.modules["framing.voice"]
    backtracking = re.compile(r"[ \t]*((?:[^\W\d_]+[ \t]+){0,3}[^\W\d_]+)[ \t]*:")
    got, want = voice._HEADLINE.match(text, pos), backtracking.match(text, pos)
    assert (got and (got.span(), got.span(1))) == (want and (want.span(), want.span(1)))
