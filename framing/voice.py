"""Whose voice a stretch of text is in: the outlet's narrator, or someone it quotes.

Rules (applied to normalised text):

1. **Quotation marks**: «...», “...”, "..." open and close quoted speech. A quotation left open
   ends at the end of its paragraph (a line break), as Arabic news often runs a statement to the
   end of a paragraph without closing it.
   Short scare quotes count too: a pro-GNA outlet writing «أبطال القوات المسلحة» in quotation
   marks is citing (and distancing itself from) the other camp's words, not adopting them.
2. **Reported speech**: a sentence with a reporting verb (قال، أضاف، أعلن، تابع، أكد، يرى، اعترف، ردّ
   ...) followed by «أن/إن» or a colon (right after a word or not: «وقال المسماري: ...») is quoted
   from that word to the end of the sentence. Verbal nouns report like their verbs («اكتفى بالقول
   إن»). «بعد أن، دون أن ...» are conjunctions, not reported speech, and of two reporting verbs
   before one «أن» the nearer one reports it. Attributions report too («وبحسب المسماري، فإن»،
   «وجاء في بيان ... أن»، «نقل عن المسماري قوله إن»); so does «نقل» (conveyed) when its clause names
   a source with «عن» («ونقلت الوكالة عن المسماري أن ...»: the noun «نقل», transfer, is common:
   «عملية نقل المرتزقة»); the narrator's connectives do not («، إلا أن ...»، «غير أن»، «كما أن»).
3. **Self-description**: what follows «نفسه/نفسها بوصفه/باعتباره/على أنه/بأنه» («a government that
   presents itself as the legitimate government») is the subject's claim about itself, quoted up
   to the next punctuation mark. The narrator reports the claim; it does not make it.
4. **Documented by a third party** (see below). 5. **Naming verbs**: after «وصف / يصف / من
   وصفهم / ما سماه» the name introduced by «بـ» is the subject's («ووصف المسماري حكومة الوفاق
   بالميليشيات»), up to the next punctuation mark. 6. **Headlines**: a line that opens with at most
   four words naming an actor and a colon («المسماري: ...») is that actor's statement, to the end of
   the line; datelines («طرابلس - (د ب أ):») and «عاجل:» name no actor. The scorer counts a camp's
   self-name («الجيش الليبي: ...») among the actors here: its statement's speaker is unknown.
   Reported speech (rule 2) ends at a comma followed by a relative pronoun («، التي ...»): the
   narrator's relative clause; and before a distancing tail that closes it («...، على حد زعمه.»):
   the narrator's doubt about the speaker, not the speaker's words. Reporting verbs come in the plural too («قالوا إن»).
   Rule 4, **documented by a third party**: a verb of documenting whose subject is a report or a monitoring
   body («وثق التقرير»، «رصدت المنظمة»، «أحصت بعثة الأمم المتحدة») makes the rest of the sentence
   that source's account, as «قال ... إن» would. An outlet's own documentation («وثق فريقنا») stays
   its own voice.

The speaker of a quotation (used to resolve «قواتنا» inside it) is found later, from the actors
named after the reporting verb, by :mod:`framing.attach` (:func:`framing.attach.assign_speakers`). The words these rules start from
(:func:`marker_forms`) are found by the matcher's scan, with the lexicon terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .normalize import CharPositions

# Each opening mark and the marks that close it. Arabic news often opens with «”» or closes with «“».
OPENERS = {"«": "»", "“": "”“", "”": "”“", "\"": "\"", "„": "”“"}
# Normalised forms (no hamza on alef, ى → ي); a feminine ت may follow the verb.
REPORTING_VERBS = (
    "قال", "اضاف", "اعلن", "تابع", "اكد", "اوضح", "صرح", "اشار", "شدد", "زعم", "ادعي", "اعتبر",
    "نفي", "اتهم", "طالب", "حذر", "لفت", "ذكر", "افاد", "كشف", "استطرد", "واصل", "ختم", "يقول",
    "يضيف", "تقول", "اكدت", "قالت", "اردف", "نوه", "ابلغ", "يري", "تري", "اعترف", "اقر", "توقع", "رجح", "اخبر",
    "رد",
)
# «يرى / ترى ... أن» (holds that) reports a view as «يقول» reports words, «اعترف / أقر بأن» an
# admission, «توقع / رجح أن» an expectation; not the past «رأى», whose normalised form is the noun
# «رأي» (opinion) too. Without «أن» after them («رجحت كفة ...»، «أقر المجلس قرارا») nothing is quoted.
# «ردّ» reports a reply («ورد قنونو بأن ...»، «فيما رد المسماري: ...»). Its other readings mostly have
# no «أن» or colon after them («ورد اسمه في التقرير») or a nearer verb («في رد على سؤال، قال ... إن»);
# «ورد في البيان أن ...» quotes the statement, as it should.
# «جاء في» reports as a verb does, its source named after it: «وجاء في بيان للقيادة العامة أن ...».
REPORTING_PHRASES = ("جاء في",)
# «نقل» (conveyed) reports as a verb does when its clause names whom it conveys with «عن»: «ونقلت
# الوكالة عن المسماري أن ...»، «نقل مراسل الأناضول عن مصدر عسكري أن ...»; its speaker is the source
# after «عن» (framing.attach.source_subject). Without «عن» it is mostly the noun (transfer): in
# «تتابع عملية نقل "المرتزقة" إلى ليبيا» nothing is quoted, and «نقلت وكالات أنباء أن» is not read.
CONVEYING_VERBS = ("نقل",)
CONVEYED_FROM = "عن"  # the preposition before whom «نقل» conveys
_FROM = re.compile(r"(?<![^\W\d_])" + CONVEYED_FROM + r"(?![^\W\d_])")
# Attributions: in «وبحسب المسماري، فإن ...»، «ووفقا للتقرير فإن ...» the source named after them says
# what follows «فإن». Only «فإن»: in «أكد أن ...، حسب زعمه، وأن ...» the verb's statement goes on, and
# «حسب الخطة» attributes nothing. With «و» before them, not «ف»: «فحسب» is 'only'.
ATTRIBUTIONS = ("بحسب", "حسب", "وفقا")
_SO_THAT = re.compile(r"(?<![^\W\d_])ف(?:ان|انه|انها|انهم)(?![^\W\d_])")
SENTENCE_END = ".!?؟؛;\n"
#: What the scan for quotation marks stops at: the marks, and the line break that ends a quotation left open.
QUOTE_CHARS = "«»“”\"„\n"
# The left word boundary is checked in _find_that: a pattern that starts with letters is found
# faster than one that starts with a look-behind.
_THAT = re.compile(r"[وف]?ان(?:ه|ها|هم)?(?![^\W\d_])|:")
# «بعد أن، دون أن، قبل أن ...» are conjunctions, not the «أن» of reported speech: in «أعلنت المؤسسة
# القوة القاهرة بعد أن أغلق مسلحون الموانئ» nothing is quoted. Nor do the narrator's connectives
# «إلا أن، غير أن، بيد أن» (however), «كما أن» (moreover), «مع أن» (although), «بما أن» (since),
# «لا سيما أن» and «بل إن» report: «أعلنت الحكومة الهدنة، إلا أن الميليشيات خرقتها» is the outlet's
# own sentence after the announcement. («إلى أن، من أن، على أن» after أشار / حذر / شدد do report speech.)
_CONJUNCTIONS = frozenset(("بعد", "دون", "قبل", "منذ", "رغم", "بمجرد", "لمجرد", "الا", "غير", "بيد", "كما", "مع",
                           "بما", "سيما", "بل"))
# Only «our correspondent»: «مراسل قناة ...» may be another outlet's, and the outlet's name is unknown here.
_CORRESPONDENT = re.compile(r"(?<![^\W\d_])(?:مراسلنا|مراسلتنا|موفدنا|موفدتنا)(?![^\W\d_])")
# Every match of _CORRESPONDENT holds one of these: where none is, the pattern need not be tried.
_CORRESPONDENT_STEMS = ("مراسل", "موفد")
#: How far (in characters) after a reporting verb its «أن» may come: past a long title and name.
VERB_REACH = 160
#: The same for verbal nouns and participles, whose subject came before them: «مؤكدا في بيان أن».
NOUN_REACH = 60
# Verbal nouns and participles that report as their verbs do, with the subject before them:
# «اكتفى بالقول إن»، «دأبوا على التأكيد أن»، «أعلنت الحكومة الحداد، مؤكدة أن ...»، «نقلت الوكالة عن
# المسماري قوله إن»، «أصدرت القيادة العامة بيانا جاء فيه: ...». Not a bare «القول / التأكيد»:
# «يمكن القول إن» is the narrator's own conclusion.
REPORTING_NOUNS = ("بالقول", "علي التاكيد", "قوله", "قولها", "قولهم", "جاء فيه", "جاء فيها") + tuple(
    stem + ending for stem in ("مضيف", "مؤكد", "مشير", "معتبر", "محذر", "موضح", "لافت", "مشدد", "قائل",
                               "متابع", "منوه", "معلن", "مبين")
    for ending in ("ا", "ه"))
# Documenting verbs (normalised: ى → ي) and the subjects that make them a third party's account.
DOCUMENTING_VERBS = ("وثق", "رصد", "سجل", "احصي", "احصت")
_DOCUMENTED_BY = re.compile(
    r"[^\W\d_]+\s+(?:ال)?(?:تقرير|تقارير|منظمه|بعثه|لجنه|مرصد|مفوضيه)(?![^\W\d_])")
# «تقدم نفسها بوصفها»، «يقدم نفسه على أنه»، «تصف نفسها بأنها» (normalised: no hamza). Not «كـ»:
# «في الوقت نفسه كشفت» would read as one.
SELF_WORDS = ("نفسه", "نفسها", "نفسهم", "انفسهم")
_SELF_DESCRIPTION = re.compile(
    r"[^\W\d_]+\s+(?:ب?وصف|باعتبار|علي\s+ان|بان)(?:ه|ها|هم)(?![^\W\d_])\s*")
_CLAUSE_END = re.compile(r"[^\w\s]")
# «ووصف المسماري حكومة الوفاق بالميليشيات»، «ما سماه قنونو بالعدوان»: the name after «بـ» is the
# subject's. Normalised (ى → ي); the object-pronoun forms come after «ما» or «من» («ما وصفه بالعدوان»،
# «من وصفوهم بالإرهابيين», the narrator distancing itself from the label), with ه، ها or هم.
DESCRIBING_VERBS = ("وصف", "يصف", "تصف", "سمي", "يسمي", "تسمي", "اسمي")
# Verbs whose object comes between their subject and what they report or name: «اتهم المتحدث قوات
# حفتر بأنها ...»، «ووصف النائب حفتر بأنه ...»، «حذر الوزير حفتر من أن ...»، «أبلغ حفتر الروس بأن ...».
OBJECT_VERBS = ("اتهم", "طالب", "حذر", "ابلغ", "اخبر") + DESCRIBING_VERBS
DESCRIBING_WORDS = tuple(stem + pronoun for stem in ("وصف", "وصفت", "وصفو", "يصف", "تصف", "سما", "سمت", "سمو",
                                                       "يسمي", "تسمي", "اسما")
                         for pronoun in ("ه", "ها", "هم"))
# The name starts with «بـ», which starts a word; «بعد، بين، بينما، بل» introduce no name.
_NAMING_PREPOSITION = "ب"
_NOT_NAMES = ("عد", "ين", "ينما", "ل")
_DESCRIBED = re.compile(r"(?<![^\W\d_])" + _NAMING_PREPOSITION + "(?!" + "|".join(_NOT_NAMES) + r")[^\W\d_]{2,}")
#: How many characters after a verb of naming its «بـ» may come: past the subject and object.
DESCRIBE_REACH = 80
# A headline or a line that opens with a speaker and a colon: «المسماري: الميليشيات فرت». At most
# four words before the colon, none of them a date or a dateline («طرابلس - (د ب أ):»).
# Matched at the start of each line only (searching the whole text for line starts costs ten times more).
# Each word and each run of spaces is taken whole (possessive): a part given back would leave a
# letter or a space where the pattern goes on with the other, so re need not try it (a third faster).
_HEADLINE = re.compile(r"[ \t]*+((?:[^\W\d_]++[ \t]++){0,3}[^\W\d_]++)[ \t]*+:")
# «قال الأول إن ...، فيما قال الثاني إن ...»: a reporting verb right after a comma or a closing
# quotation mark (perhaps with a connective between) starts another statement, and so ends the one
# before: its reporting clause («قال الثاني») is the narrator's, its statement the next speaker's. A
# verb with none of these before it («على نحو ما زعمت تركيا، وأن ...») ends nothing. Searched in
# the NEW_STATEMENT_REACH characters before the verb, up to it.
# The marks, and the connectives (a space in one: any run of spaces), are read by the pattern and
# by its compiled twin alike.
NEW_STATEMENT_MARKS = "،,؛;\"”»"
NEW_STATEMENT_CONNECTIVES = ("فيما", "بينما", "في حين", "كما", "ثم", "لكن", "ولكن")
NEW_STATEMENT_REACH = 16


def _spaced(words) -> str:
    """An alternation of ``words`` in which a space stands for a run of whitespace."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


_NEW_STATEMENT = re.compile("[" + re.escape(NEW_STATEMENT_MARKS) + r"]\s*(?:(?:" + _spaced(NEW_STATEMENT_CONNECTIVES)
                            + r")\s+)?$")
# «على حد زعمه»، «حسب زعمهم»، «بزعمها» at the end of reported speech are the narrator's distancing
# of the speaker, not the speaker's words: the statement ends before them, and in the narrator's
# voice the possessive rule of framing.attach gives the pronoun the speaker the reporting clause
# names. Only at the end (punctuation and spaces after it): with more of the statement after it,
# where the tail belongs is not sure. Inside quotation marks it is the speaker's own, about someone
# else, and left alone. Normalised (ى → ي). Read from the stem, the last in the span: a pattern
# searched through every span, opening with a look-behind, cost a tenth of scoring dense text.
DISTANCING_STEM = "زعم"
DISTANCING_PRONOUNS = ("ه", "ها", "هم", "هما")  # right after the stem
# Right before the stem, after no letter; a space in one: any run of spaces.
DISTANCING_HEADS = ("علي حد ", "بحسب ", "حسب ", "وفق ", "وفقا ل", "ب")
_DISTANCING_TAIL = re.compile(DISTANCING_STEM + "(?:" + _spaced(DISTANCING_PRONOUNS) + r")[^\w]*$")  # at the stem, to the span's end
_DISTANCING_HEAD = re.compile(r"(?<![^\W\d_])(?:" + _spaced(DISTANCING_HEADS) + ")$")  # right before it
_HEAD_REACH = 12  # characters: «وفقا ل» and a space or two
# A comma and a relative pronoun end reported speech: «قال إن الجيش تقدم نحو المواقع، التي كانت
# ...» goes on in the narrator's voice.
RELATIVE_PRONOUNS = ("التي", "الذي", "الذين", "اللذين", "اللتين", "اللاتي", "اللواتي")


def relative_clause(relatives):
    """The pattern of a comma and one of ``relatives`` (a relative pronoun, as a whole word): where
    reported speech ends and the narrator's relative clause starts."""
    return re.compile(r"[،,]\s*(?:" + "|".join(map(re.escape, relatives)) + r")(?![^\W\d_])")


_RELATIVE = relative_clause(RELATIVE_PRONOUNS)


class FirstMatch:
    """Where the first match of ``pattern`` in ``text`` after a position starts (:meth:`before`),
    remembered: the statements of a text come in its order, so one search serves them all, and a
    long sentence with many reporting verbs is read once, not once per verb (quadratic in its length)."""

    __slots__ = ("hit", "lo", "pattern", "text")

    def __init__(self, pattern, text: str):
        self.pattern, self.text, self.lo, self.hit = pattern, text, -1, None

    def before(self, pos: int, end: int) -> int | None:
        """The start of the first match in ``text[pos:end]`` (as ``pattern.search(text, pos, end)``
        finds it), or None."""
        # The first match at or after ``lo`` is the first at or after any pos from lo to its start.
        if not (0 <= self.lo <= pos and (self.hit is None or pos <= self.hit.start())):
            self.lo, self.hit = pos, self.pattern.search(self.text, pos)
        hit = self.hit
        if hit is None or hit.start() >= end:
            return None
        if hit.end() <= end:
            return hit.start()
        # A match that runs past ``end`` (spaces and a line break after the comma): only the few
        # characters up to ``end`` are searched again.
        again = self.pattern.search(self.text, hit.start(), end)
        return None if again is None else again.start()


def verb_forms(stems) -> list[str]:
    """The verbs ``stems`` as written: with و/ف, a feminine ت and a plural وا («قالوا إن»)."""
    return [c + v + t for v in stems for t in ("", "ت", "وا") for c in ("", "و", "ف")]


def marker_forms() -> dict[str, list[str]]:
    """The words the voice rules start from, by kind, for :class:`framing.matcher.Matcher` to find
    in the same scan as the lexicon terms: ``report`` (reporting verbs), ``report_noun`` (verbal
    nouns that report: «بالقول»), ``document`` (documenting verbs) and ``self`` («نفسه» ...).
    ``describe`` (verbs of naming: «وصف»، «ما سماه»), ``attribution`` («بحسب»، «وفقا») and ``convey``
    («نقل»). Verbs as :func:`verb_forms` writes them; «جاء في» and attributions with و."""
    return {"report": verb_forms(REPORTING_VERBS) + [c + w for w in REPORTING_PHRASES for c in ("", "و")],
            "report_noun": list(REPORTING_NOUNS),
            "document": verb_forms(DOCUMENTING_VERBS), "self": list(SELF_WORDS),
            "describe": verb_forms(DESCRIBING_VERBS) + [c + w for w in DESCRIBING_WORDS for c in ("", "و", "ف")],
            "attribution": [c + w for w in ATTRIBUTIONS for c in ("", "و")],
            "convey": verb_forms(CONVEYING_VERBS)}


class PythonSentenceEnds:
    """Where sentences end in a text (:meth:`positions`): at the characters ``chars``, except a
    full stop between two digits (2.5), which ends nothing.

    ``SentenceEnds`` is its compiled twin, :class:`framing._core.SentenceEnds`, when that was built.
    """

    __slots__ = ("_chars",)

    def __init__(self, chars: str):
        self._chars = CharPositions(chars)

    def positions(self, text: str) -> list[int]:
        """The sorted offsets of the characters that end sentences in ``text``."""
        last = len(text) - 1
        return [i for i in self._chars.positions(text)
                if not (text[i] == "." and 0 < i < last and text[i + 1].isdigit() and text[i - 1].isdigit())]


try:
    from ._core import SentenceEnds
except ImportError:  # built without a C compiler
    SentenceEnds = PythonSentenceEnds

_SENTENCE_ENDS = SentenceEnds(SENTENCE_END)


def sentence_ends(text: str) -> list[int]:
    """Sorted offsets where sentences end (the index of the terminating character).

    A full stop between two digits (2.5) ends nothing."""
    return _SENTENCE_ENDS.positions(text)


def quote_spans(text: str, markers: dict[str, list[int]], ends: list[int] | None = None) -> list[tuple[int, int, int]]:
    """Quoted stretches as sorted, non-overlapping ``(start, end, verb_pos)``.

    ``markers`` are the offsets of the words of :func:`marker_forms`, by kind (found by
    :class:`framing.matcher.Matcher`); ``verb_pos`` is the offset of the reporting verb that
    introduces the quotation, or -1.
    """
    return merge_spans(speech_spans(text, markers, ends))


def speech_spans(text: str, markers: dict[str, list[int]], ends: list[int] | None = None,
                 actors: list[int] | None = None) -> dict[str, list]:
    """What each rule quotes, before merging: ``marks`` (rule 1: ``(start, end, verb_pos)``),
    ``reported`` (rule 2), ``self`` (rule 3), ``documented`` (rule 4), ``described`` (rule 5)
    and ``headline`` (rule 6, only when the sorted offsets of ``actors`` are given: the names
    that may open a headline's line, for the scorer the actors and the camps' self-names).

    The scorer needs the rules apart: a naming choice in reported speech without quotation marks
    is the outlet's paraphrase (see :mod:`framing.scorer`)."""
    verbs = markers.get("report", [])
    if ends is None:
        ends = sentence_ends(text)
    if markers.get("convey"):
        verbs = _with_conveying(text, verbs, markers["convey"], ends)
    found = {"marks": _QUOTATIONS.spans(text, verbs, ends)}
    # Each rule skips markers inside what earlier rules quoted; what they cover is sorted again only
    # after a rule that quoted something, and only when a rule after it has markers to read.
    covered = _covered(found["marks"])
    stale = False
    for name, rule, starts in (("reported", _reported_speech, verbs),
                               ("reported", _nominal_speech, markers.get("report_noun")),
                               ("reported", _attributions, markers.get("attribution")),
                               ("self", _self_descriptions, markers.get("self")),
                               ("documented", _documented, markers.get("document")),
                               ("described", _described, markers.get("describe"))):
        if starts:
            if stale:
                covered, stale = _covered_of(found), False
            quoted = rule(text, starts, ends, covered)
            found.setdefault(name, []).extend(quoted)
            stale = stale or bool(quoted)
    if actors and ":" in text:
        found["headline"] = _headlines(text, actors, verbs, _covered_of(found) if stale else covered)
    return _cut_at_statements(text, found)


def _with_conveying(text: str, verbs: list[int], conveying: list[int], ends: list[int]) -> list[int]:
    """``verbs`` (sorted offsets) with each of ``conveying`` («نقل») that has «عن» after it in its
    sentence, within :data:`VERB_REACH`, in order."""
    kept = [verb for verb in conveying
            if _FROM.search(text, verb, min(_sentence_end(text, ends, verb), verb + VERB_REACH))]
    return sorted(verbs + kept) if kept else verbs


def python_cut_at_statements(text: str, found: dict[str, list]) -> dict[str, list]:
    """``found`` with each span ended where another statement starts within it: at the mark
    before a later span's reporting verb (:data:`_NEW_STATEMENT`). Without it, «قال الأول إن ...،
    فيما قال الثاني إن "..."» is one statement, the first speaker's to the sentence's end. And
    ended before a distancing tail that closes it (:func:`_end_before_distancing`). The spans
    (``(start, end, verb)``, offsets in ``text``) are changed in place.

    ``_cut_at_statements`` is its compiled twin, :class:`framing._core.StatementCuts`, when that
    was built."""
    if DISTANCING_STEM in text:
        _end_before_distancing(text, found)
    cuts = []
    for spans in found.values():
        for _start, _end, verb in spans:
            if verb > 0:
                mark = _NEW_STATEMENT.search(text, max(0, verb - NEW_STATEMENT_REACH), verb)
                if mark is not None:
                    cuts.append(mark.start())
    if not cuts:
        return found
    cuts.sort()
    for spans in found.values():
        for i, (start, end, verb) in enumerate(spans):
            k = bisect_right(cuts, start)
            if k < len(cuts) and cuts[k] < end:
                spans[i] = (start, cuts[k], verb)
    return found


def _end_before_distancing(text: str, found: dict[str, list]) -> None:
    """End each span of reported speech (not of quotation marks) before a distancing tail that
    closes it (:data:`_DISTANCING_TAIL` after :data:`_DISTANCING_HEAD`), in place: «وقال
    المسماري إن ...، على حد زعمه.» is the narrator's distancing of the speaker after the
    statement, not the speaker's words."""
    marks = None
    for name, spans in found.items():
        if name == "marks":
            continue
        for i, (start, end, verb) in enumerate(spans):
            stem = text.rfind(DISTANCING_STEM, start, end)
            if stem < 0 or _DISTANCING_TAIL.match(text, stem, end) is None:
                continue
            head = _DISTANCING_HEAD.search(text, max(start, stem - _HEAD_REACH), stem)
            if head is None:
                continue
            if marks is None:
                marks = python_covered(found.get("marks", []))
            if not _inside(marks, head.start()):
                spans[i] = (start, head.start(), verb)


def python_described(text, verbs, ends, covered) -> list[tuple[int, int, int]]:
    """Rule 5: after a verb of naming, the name introduced by «بـ», up to the next punctuation.

    ``_described`` is its compiled twin, :meth:`framing._core.NamingRule.spans`, when that was built."""
    spans = []
    for verb in verbs:
        if _inside(covered, verb):
            continue
        limit = min(_sentence_end(text, ends, verb), verb + DESCRIBE_REACH)
        # The pattern opens with a look-behind, which re tries at every character: it starts at the
        # first «ب» instead (the look-behind still sees the character before it).
        first = text.find(_NAMING_PREPOSITION, verb + 3, limit)
        name = _DESCRIBED.search(text, first, limit) if first >= 0 else None
        if name is not None:
            spans.append((name.start(), _clause_end(text, ends, name.end()), verb))
    return spans


def python_headlines(text, actors, verbs, covered) -> list[tuple[int, int, int]]:
    """Rule 6: a line opening with a speaker named before a colon is his statement, to the line's
    end. Not when a reporting verb opens the line («وقال المسماري: ...»): rules 1 and 2 read those.

    ``_headlines`` is its compiled twin, ``framing._core.headlines``, when that was built."""
    spans = []
    # Before a headline's colon are only letters, spaces and tabs: it is the first colon of its
    # line, and a line without one is no headline (most lines: the pattern is not tried there).
    colon = text.find(":")
    while colon >= 0:
        line_end = text.find("\n", colon)
        m = _HEADLINE.match(text, text.rfind("\n", 0, colon) + 1)
        if m is not None:
            start = m.start(1)
            k = bisect_right(actors, start - 1)
            v = bisect_right(verbs, start - 1)
            if (k < len(actors) and actors[k] < m.end(1) and not (v < len(verbs) and verbs[v] < m.end(1))
                    and not _inside(covered, m.end())):
                spans.append((m.end(), len(text) if line_end < 0 else line_end, start))
        colon = -1 if line_end < 0 else text.find(":", line_end)
    return spans


def in_paraphrase(found: dict[str, list]):
    """A test of whether an offset lies in reported speech outside quotation marks (rule 2 but not
    rule 1), where a naming choice is the outlet's paraphrase («أعلنت مصادر أن قوات اللواء المتقاعد
    ...»): the outlet chose the name, and the speaker's words are not quoted."""
    return Paraphrase(found)


class PythonParaphrase:
    """The test :func:`in_paraphrase` gives of ``found`` (a :func:`speech_spans`): called with an
    offset, whether it lies in its ``reported`` spans and not in its ``marks``.

    ``Paraphrase`` is its compiled twin, :class:`framing._core.Paraphrase`, when that was built.
    """

    __slots__ = ("marks", "reported")

    def __init__(self, found: dict[str, list]):
        self.reported = python_covered(found.get("reported", []))
        self.marks = python_covered(found.get("marks", []))

    def __call__(self, pos: int) -> bool:
        return _inside(self.reported, pos) and not _inside(self.marks, pos)


def python_merge_spans(found: dict[str, list]) -> list[tuple[int, int, int]]:
    """The union of :func:`speech_spans`, as sorted, non-overlapping ``(start, end, verb_pos)``.

    ``merge_spans`` is its compiled twin, ``framing._core.merge_spans``, when that was built."""
    merged: list[tuple[int, int, int]] = []
    for span in sorted(span for spans in found.values() for span in spans):
        if merged and span[0] < merged[-1][1]:
            a, b, v = merged[-1]
            merged[-1] = (a, max(b, span[1]), v if v >= 0 else span[2])
        else:
            merged.append(span)
    return merged


class PythonQuotations:
    """Rule 1: what quotation marks enclose (:meth:`marked`), and the verbs that introduce it
    (:meth:`spans`).

    ``Quotations`` is its compiled twin, :class:`framing._core.Quotations`, when that was built:
    one pass over the text's array, with no string per mark.

    Parameters
    ----------
    openers : dict of str to str
        Each opening mark and the marks that close it.
    chars : str
        The characters to stop at: the marks, and the line break that ends a quotation left open.
    """

    __slots__ = ("_chars", "openers")

    def __init__(self, openers, chars):
        self.openers = dict(openers)
        self._chars = CharPositions(chars)

    def marked(self, text: str) -> list[tuple[int, int]]:
        """Stretches inside quotation marks (rule 1), as sorted ``(start, end)``: direct speech and
        scare quotes. Reported speech without marks (rules 2-4) is not among them."""
        spans = []
        closer = None
        start = 0
        for i in self._chars.positions(text):
            char = text[i]
            if closer is None:
                if char in self.openers:
                    closer, start = self.openers[char], i + 1
            elif char in closer or char == "\n":
                spans.append((start, i))
                closer = None
        if closer is not None:
            spans.append((start, len(text)))
        return spans

    def spans(self, text: str, verbs: list[int], ends: list[int]) -> list[tuple[int, int, int]]:
        """The quotations of ``text`` as ``(start, end, verb_pos)``, ``verb_pos`` the reporting verb
        of ``verbs`` (sorted offsets) that introduces each in its sentence (``ends``), or -1."""
        return [(a, b, _introducing_verb(verbs, ends, a)) for a, b in self.marked(text)]


def _introducing_verb(verbs: list[int], ends: list[int], quote_start: int) -> int:
    """The reporting verb in the same sentence before ``quote_start``, or -1."""
    k = bisect_right(verbs, quote_start) - 1
    if k < 0:
        return -1
    verb = verbs[k]
    e = bisect_right(ends, verb)
    if e < len(ends) and ends[e] < quote_start - 1:
        return -1
    return verb


def _nominal_speech(text, nouns, ends, covered) -> list[tuple[int, int, int]]:
    """Reported speech after verbal nouns and participles, whose subject comes before them («دأب
    المسماري على التأكيد أن»): the clause that names the speaker starts with the sentence."""
    return _reported_speech(text, nouns, ends, covered, subject_before=True)


def _reported_speech(text, verbs, ends, covered, subject_before=False) -> list[tuple[int, int, int]]:
    return _REPORTED.spans(text, verbs, ends, covered, NOUN_REACH if subject_before else VERB_REACH, subject_before)


class PythonReportedSpeech:
    """Rule 2 from a text's reporting verbs (or verbal nouns): :meth:`spans`.

    ``ReportedSpeech`` is its compiled twin, :class:`framing._core.ReportedSpeech`, when that was
    built: the same search for «أن» and for the relative clause, without a match object or a
    substring per candidate, and the correspondent's pattern tried only where its stems are.

    Parameters
    ----------
    conjunctions : iterable of str
        The words whose «أن» reports nothing («بعد أن»).
    relatives : iterable of str
        The relative pronouns that, after a comma, end reported speech («، التي»).
    correspondent : re.Pattern
        The outlet's own correspondent: a verb with it before its «أن» reports the outlet's voice.
    stems : iterable of str
        Strings every match of ``correspondent`` holds.
    """

    __slots__ = ("conjunctions", "correspondent", "relative", "stems")

    def __init__(self, conjunctions, relatives, correspondent, stems):
        self.conjunctions = frozenset(conjunctions)
        self.relative = relative_clause(relatives)
        self.correspondent = correspondent
        self.stems = tuple(stems)

    def spans(self, text, verbs, ends, covered, reach, subject_before) -> list[tuple[int, int, int]]:
        """The reported speech after ``verbs`` (sorted offsets), as ``(start, end, verb_pos)``.

        Parameters
        ----------
        text : str
        verbs : list of int
        ends : list of int
            :func:`sentence_ends` of ``text``.
        covered : tuple of two lists of int
            :func:`_covered` of what earlier rules quoted: a verb inside it is skipped.
        reach : int
            How far after a verb its «أن» may come.
        subject_before : bool
            Whether the speaker was named before the verb (a verbal noun): ``verb_pos`` is then
            the start of the sentence.
        """
        spans = []
        own_correspondent = any(stem in text for stem in self.stems)
        relatives = FirstMatch(self.relative, text)
        for i, verb in enumerate(verbs):
            if _inside(covered, verb):
                continue
            e = bisect_right(ends, verb)
            end = ends[e] if e < len(ends) else len(text)
            that = _find_that(text, verb, min(end, verb + reach), self.conjunctions)
            # «أعلنت حكومة الوفاق ...، فيما قالت الحكومة المؤقتة إنها ...»: the nearer verb reports.
            # «أفاد مراسلنا بأن ...»: the outlet's own correspondent speaks in the outlet's voice.
            if (that is not None and not (i + 1 < len(verbs) and verbs[i + 1] < that.start())
                    and not (own_correspondent and self.correspondent.search(text, verb, that.start()))):
                relative = relatives.before(that.end(), end)
                spans.append((that.start(), end if relative is None else relative,
                              (ends[e - 1] + 1 if e else 0) if subject_before else verb))
        return spans


try:
    from ._core import ReportedSpeech
except ImportError:  # built without a C compiler
    ReportedSpeech = PythonReportedSpeech

_REPORTED = ReportedSpeech(_CONJUNCTIONS, RELATIVE_PRONOUNS, _CORRESPONDENT, _CORRESPONDENT_STEMS)


def python_covered(spans) -> tuple[list[int], list[int]]:
    """Starts and ends of the union of ``spans``, sorted, for :func:`_inside`.

    ``_covered`` is its compiled twin, ``framing._core.covered``, when that was built."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b, _ in sorted(spans):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def python_covered_of(found: dict[str, list]) -> tuple[list[int], list[int]]:
    """:func:`_covered` of every span of ``found`` (a :func:`speech_spans`).

    ``_covered_of`` is its compiled twin, ``framing._core.covered_of``, when that was built."""
    return python_covered([span for spans in found.values() for span in spans])


def _inside(covered: tuple[list[int], list[int]], pos: int) -> bool:
    starts, ends = covered
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def _find_that(text: str, pos: int, limit: int, conjunctions: frozenset):
    """The first «أن / إن / بأن / :» after ``pos`` that starts a word and is no conjunction's."""
    that = _search_that(text, pos, limit)
    while that is not None:
        start = that.start()
        if text[start] == ":":  # written right after the speaker's name («وقال المسماري: ...»)
            return that
        if start and text[start - 1] == "ب" and not (start > 1 and text[start - 2].isalpha()):
            start -= 1  # «بأن»: the preposition is part of the word
        if not (start and text[start - 1].isalpha()) and _word_before(text, start) not in conjunctions:
            return that
        that = _search_that(text, that.start() + 1, limit)
    return None


def _search_that(text: str, pos: int, limit: int):
    """``_THAT.search(text, pos, limit)``, started where it can first match.

    A match holds «ان» (after at most one letter) or is «:», and the pattern looks at nothing
    before its match; it starts with no fixed letter, so ``re`` would try it at every character."""
    first = text.find("ان", pos, limit)
    colon = text.find(":", pos, first if first >= 0 else limit)
    if colon >= 0:
        first = colon
    elif first < 0:
        return None
    return _THAT.search(text, max(pos, first - 1), limit)


def _word_before(text: str, pos: int) -> str:
    space = text.rfind(" ", 0, pos - 1)
    return text[space + 1:pos].strip()


def _clause_end(text: str, _ends: list[int], pos: int) -> int:
    end = _CLAUSE_END.search(text, pos)
    return end.start() if end else len(text)


def _sentence_end(text: str, ends: list[int], pos: int) -> int:
    e = bisect_right(ends, pos)
    return ends[e] if e < len(ends) else len(text)


def _attributions(text, starts, ends, covered) -> list[tuple[int, int, int]]:
    """Rule 2 after an attribution (:data:`ATTRIBUTIONS`): from its «فإن» to the end of the
    sentence (or a relative clause after a comma), the attribution standing for the reporting verb
    (its source, named after it, speaks)."""
    spans = []
    relatives = FirstMatch(_RELATIVE, text)
    for start in starts:
        if _inside(covered, start):
            continue
        end = _sentence_end(text, ends, start)
        that = _SO_THAT.search(text, start, min(end, start + VERB_REACH))
        if that is not None:
            relative = relatives.before(that.end(), end)
            spans.append((that.start(), end if relative is None else relative, start))
    return spans


def _attributed(pattern, span_end):
    """A rule that quotes what follows a marker matching ``pattern``, up to ``span_end``."""
    def rule(text, starts, ends, covered) -> list[tuple[int, int, int]]:
        spans = []
        for start in starts:
            m = pattern.match(text, start)
            if m is not None and not _inside(covered, start):
                spans.append((m.end(), span_end(text, ends, m.end()), -1))
        return spans
    return rule


# A subject's claim about itself runs to the next punctuation mark; a report's account, to the
# end of the sentence.
_self_descriptions = _attributed(_SELF_DESCRIPTION, _clause_end)
_documented = _attributed(_DOCUMENTED_BY, _sentence_end)


try:
    from ._core import NamingRule, Paraphrase, Quotations, StatementCuts, merge_spans
    from ._core import covered as _covered
    from ._core import covered_of as _covered_of
    from ._core import headlines as _headlines
except ImportError:  # built without a C compiler
    Paraphrase, Quotations, _covered, _headlines = PythonParaphrase, PythonQuotations, python_covered, python_headlines
    _covered_of, _described, merge_spans = python_covered_of, python_described, python_merge_spans
    _cut_at_statements = python_cut_at_statements
else:
    _described = NamingRule(_NAMING_PREPOSITION, _NOT_NAMES, DESCRIBE_REACH).spans
    _cut_at_statements = StatementCuts(NEW_STATEMENT_MARKS, NEW_STATEMENT_CONNECTIVES, NEW_STATEMENT_REACH,
                                       DISTANCING_STEM, DISTANCING_PRONOUNS, DISTANCING_HEADS, _HEAD_REACH)

_QUOTATIONS = Quotations(OPENERS, QUOTE_CHARS)
