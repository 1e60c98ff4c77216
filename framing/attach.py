"""Give each evaluative match its target: the actor its stance goes to.

A loaded word is not a side: «ميليشيات الوفاق» attacks the GNA, «ميليشيات حفتر» the LNA. The
rules, tried in this order (the name of the rule that fired is kept as evidence):

``named``
    ``actor`` and ``naming`` matches target the party they name.
``subject``
    A plural verb, a term whose first word ends in «وا» («عذبوا»، «فروا هاربين»، «ومثلوا
    بجثثهم»), takes the actor named right before it (within ``window`` words, no punctuation):
    Arabic puts a plural verb after its subject («أن مقاتلين تابعين لقوات حفتر عذبوا أسرى»)
    and a verb before its subject in the singular, so the actor before is the one who did it;
    what follows it is its object, and no rule that looks after the term applies. With no actor
    before it, only ``speaker`` and ``article`` may still give it a target.
``possessive``
    A noun with a third-person possessive suffix (ه ها هم هما هن) belongs to the last actor named
    before it in the same sentence (here and below, "sentence" means the part of a sentence in
    one voice: an actor outside a quotation is never the target of a word inside it): «ميليشيات الوفاق ومرتزقتها».
    The exceptions: in a statement whose speaker is unknown, with no actor before the noun
    inside it, the noun belongs to the last actor of the reporting clause, whom the source reports
    on («قالت صحيفة أمريكية، في تقرير عن حفتر، إن هزائمه ...»); in the narrator's voice after a
    statement, to the narrator's last actor in the sentence, across the statement: the distancing
    tail «وقال المسماري إن ...، على حد زعمه» (which :mod:`framing.voice` leaves to the narrator)
    is about the speaker the reporting clause names.
``speaker``
    A first-person possessive (نا ي) inside a quotation belongs to the speaker's camp: «قواتنا
    الباسلة» in a statement of the LNA spokesman targets the LNA. The speaker is the first actor
    named after the reporting verb (Arabic puts the subject right after the verb, and whom it
    accuses or meets after that: «اتهمت حكومة الوفاق قوات حفتر بـ...»، «قال السراج بعد لقائه
    أردوغان إن ...»), or the previous quotation's speaker when the clause names none («وأضاف ...»).
    A name both camps give themselves right after the verb («أعلن الجيش الليبي أن ...»، «اتهم
    الجيش الليبي المجلس الرئاسي بأنه ...») or opening the clause («الجيش الليبي: ...») is the
    subject too: the speaker is a camp the clause does not say, the one the statement's own bare
    words say («أن الميليشيات الإرهابية ...»: the LNA; :func:`statement_camp`), or unknown
    (:func:`assign_speakers`). So is a newspaper, an agency, a report or witnesses there
    («كشفت صحيفة أمريكية، نقلا عن مسؤولين في حكومة الوفاق، أن ...»): an actor after it is whom it
    reports on or quotes.
``construct``
    An indefinite noun (a noun with «ال» cannot head a construct) followed, within
    ``construct_gap`` words and no punctuation, by an actor («ميليشيات الوفاق»، «مرتزقة شركة
    فاغنر»). Accusative forms with tanwin alef (عدوانا) are listed as variants in the lexicon.
``adjective``
    An adjective right after an actor, or after a noun whose target is known, takes that target
    («قوات الجيش الوطني الليبي الباسلة»، «الميليشيات الإرهابية والإجرامية»). After «لـ، بـ، كـ»
    the word is a noun the preposition governs, not an adjective («الدعم التركي للإرهابيين»:
    support for the terrorists), unless it is a camp's own name («إدارة التوجيه المعنوي بالجيش
    الليبي»: the army's department).
``agent``
    A verb of doing, then an actor, then the noun within ``window`` words and no punctuation: the
    actor is the verb's subject and the noun its object («ارتكبت قوات حفتر جرائم»، «ما ارتكبته
    ميليشيات الوفاق من انتهاكات»). Only this shape: an actor before a noun is usually not its
    target (see ``nearest``). Or a noun followed, within ``agent_gap`` words of the same sentence and voice, by a clause naming
    who did it — a verb of doing with a pronoun for the noun («ارتكبتها، نفذتها، شنها، يرتكبها») or
    «على يد / على أيدي / من قبل» — takes the first actor within ``window`` words after that
    marker. Reports of abuses name the perpetrator this way, often after a list: «أعمال نهب وحرق
    منازل نفذتها مجموعات تابعة لحكومة الوفاق». An actor between the noun and the marker stops
    the rule: the clause may then be about that actor.
``affiliation``
    Like ``agent``, with a clause saying whom the noun belongs to or fights for: «التابعة لـ»،
    «الموالية لـ»، «المدعومة من»، «في صفوف»، «بقيادة»، «تحت لواء»، «بدعم من»، «الذين يقاتلون»
    («المرتزقة الذين يقاتلون في صفوف ميليشيات الوفاق»، «الجيش الليبي التابع لحكومة الوفاق»). It
    applies to adjectives too: a name both camps use takes the camp its qualifier names.
``anaphora``
    A definite term repeated in the same voice refers to what it referred to before: after
    «ميليشيات الوفاق», a bare «الميليشيات» in the same narrator (or speaker) voice is still the
    GNA's. The article marks a referent already known; an indefinite repeat («مرتزقة أجانب»،
    «عصابات الجريمة») introduces a new one.
``nearest``
    Failing all these, a noun takes the first actor AFTER it in the same sentence, within
    ``window`` words and no punctuation («انسحب المرتزقة أمس مع فاغنر»): a comma ends the phrase,
    and an actor after it belongs to the next clause («مدعومة بمرتزقة أجانب، حكومة الوفاق», the
    object of the sentence's verb). Arabic is verb-subject-object, so an actor
    BEFORE the noun is usually the subject of a verb whose object the noun is, and often not its
    target («تبث القنوات الموالية لحكومة الوفاق صور المقابر الجماعية»): it is not taken (on the
    demo corpus this raised the share of correct per-party stances from 0.92 to 0.95). Adjectives
    never take this rule: an adjective qualifies the noun right before it, so in «القوات المسلحة
    تحبط تسلل مجموعات إرهابية» the terrorists are the «مجموعات», not the army.
    An actor joined by «و» («الميليشيات والجيش الوطني الليبي») is coordinated with the noun, not
    its owner, and is not taken.
``speaker``
    Still untargeted, inside a statement whose speaker's camp is known: a favorable term goes to
    the speaker's side, an unfavorable one to the other side (a spokesman does not call his own
    forces «الميليشيات الإرهابية»). Both come from :meth:`framing.lexicon.Lexicon.counts_for`:
    with three or more sides, whom an unfavorable word attacks is not known, and it stays
    untargeted. Never used for the narrator, whose side is what is being measured.
``article``
    Still untargeted after all that, in the narrator's voice: pro-LNA outlets call the GNA's
    forces «الميليشيات»، «المرتزقة»، «الإرهابيين» and name no GNA actor in the sentence. A reader
    resolves such a bare word from the whole article, and so does this rule
    (:func:`resolve_article`), in two steps. A weak favorable word with no party of its own -- a
    name each camp gives itself, «الجيش الليبي»، «الحكومة الليبية» -- is the camp the article's
    other evidence favours (or, with two sides, the camp opposite the one it disparages); a
    camp's statement calling itself the army says nothing about which camp the outlet calls so,
    and is left out. Then, when the article's targeted evidence (every rule above) gives a
    direction -- at least ``direction_min`` of it, two thirds of it against one side -- an
    unfavorable word goes to that side and a favorable word to the side it favours. Quoted
    evidence gives a direction only when the sourcing is one-sided (:func:`two_sided`): wire
    copy quotes both camps attacking each other, and neither attack is the outlet's. With more
    than two sides, an unfavorable word goes to the side most attacked and a favorable one to the
    side most praised. It never fires when the article gives no direction, or praises and
    attacks the same side.
``bare``
    Still untargeted in the narrator's voice, with no direction from the article: a definite word
    the lexicon gives a ``bare`` party means that party (:func:`resolve_bare`). This is how the camps
    write, not a guess: pro-LNA outlets call the GNA's forces «الميليشيات» and «الإرهابيين» and
    its camp «إخواني» without naming anyone, while pro-GNA outlets name Haftar («ميليشيات
    حفتر»); the GNA camp called Haftar's offensive «العدوان». Measured on labelled real news
    (``benchmarks/bare_words.py``), bare «مرتزقة» is no such sign (neutral outlets write it of the
    foreign fighters of both camps), nor is «الديكتاتور»: the lexicon gives them no ``bare`` party.

Anything else is reported as untargeted (``target`` None), never guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import islice
from operator import attrgetter

from .matcher import CONJUNCTIONS
from .voice import CONVEYED_FROM, DESCRIBING_VERBS, OBJECT_VERBS, VERB_REACH, marker_forms, verb_forms

#: Each rule's name in a match's ``rule`` field, in words for a reader of a report (the docstring
#: above says the same at length).
RULES = {
    "named": "the term names the party itself",
    "subject": "a plural verb («عذبوا»، «فروا هاربين») did what the actor named right before it did",
    "possessive": "a possessive suffix (-ه، -ها، -هم) refers to the last actor named before it",
    "speaker": "inside a statement, it goes to the speaker's camp («قواتنا») or, if unfavorable and "
               "otherwise untargeted, to the camp the speaker opposes",
    "construct": "construct state: the noun is followed by the actor it belongs to («ميليشيات الوفاق»)",
    "adjective": "an adjective qualifying the actor, or the noun about an actor, right before it",
    "agent": "a clause names who did it («نفذتها ...»، «على يد ...»، «ارتكبت قوات حفتر جرائم»)",
    "affiliation": "a clause that follows says whom it belongs to («التابعة لـ»، «في صفوف»، «بقيادة»)",
    "anaphora": "the same definite term, repeated in the same voice, refers to what it referred to before",
    "nearest": "the first actor named after the noun in the same sentence, within a few words and no punctuation",
    "article": "no actor in reach: the article's other evidence decides (against the side it attacks, "
               "for the side it praises)",
    "bare": "no actor in reach and no direction from the article: the party the lexicon says a bare use "
            "of the word means («الميليشيات» alone, as pro-LNA outlets write of the GNA's forces)",
}

POSSESSIVE_3RD = frozenset(("ه", "ها", "هم", "هما", "هن"))
POSSESSIVE_1ST = frozenset(("نا", "ي"))
# Quotation marks do not break a construct: «مرتزقة «فاغنر»» sets a name in quotes.
_PUNCT = re.compile(r"[^\w\s«»“”\"„]|\d")
_PREV_WORD = re.compile(r"([^\W\d_]+)\s*$")
_WORD = re.compile(r"\S+")
# Normalised (no hamza, ى → ي). The suffix ه/ها/هم is the resumptive pronoun for the noun: without
# it («نفذت قوات حفتر غارة») the verb starts a new clause whose object is something else.
_AGENT = re.compile(
    r"(?<![^\W\d_])(?:(?:[يت]?(?:رتكب|نفذ|شن|قترف)|ارتكب|اقترف|نفذ|شن)(?:ت|وا)?(?:ها|ه|هم|هما)"
    r"|علي\s+(?:يد|ايدي)|من\s+قبل|بايدي)(?![^\W\d_])")
# Clauses saying whom a noun belongs to or fights for («المرتزقة الذين يقاتلون في صفوف ميليشيات
# الوفاق»، «الجيش الليبي التابع لحكومة الوفاق»). The preposition «ل» is read with the actor.
_AFFILIATION = re.compile(
    r"(?<![^\W\d_])(?:(?:ال)?(?:تابع|موالي|مدعوم|مرتبط|محسوب)(?:ه|ين|ون)?(?:\s+(?:من|ب|علي))?"
    r"|(?:في|ضمن)\s+صفوف|بقياده|تحت\s+(?:لواء|قياده|امره|امرة)|بدعم\s+من|(?:التي|الذي|الذين)\s+"
    r"(?:يقودها|يقوده|تقودها|تتبع|يتبع|يتبعون|تقاتل|يقاتل|يقاتلون))(?![^\W\d_])")
# Every match of _AGENT holds one of these, and every match of _AFFILIATION one of those: where
# none is, the pattern (tried at each character, as it starts with no fixed letter) cannot match,
# and is not searched.
_AGENT_STEMS = ("رتكب", "قترف", "نفذ", "شن", "علي", "قبل", "بايدي")
_AFFILIATION_STEMS = ("تابع", "موالي", "مدعوم", "مرتبط", "محسوب", "صفوف", "قياده", "تحت", "بدعم", "قود", "تبع",
                      "قاتل")
# «ارتكبت قوات حفتر جرائم»، «ما ارتكبته ميليشيات الوفاق من انتهاكات»: a verb of doing, its subject,
# then its object. Only this shape: an actor before a noun is usually not its target.
_PERPETRATOR = re.compile(
    r"(?<![^\W\d_])[وف]?(?:[يت]?(?:رتكب|قترف|نفذ|شن)|ارتكب|اقترف|نفذ|شن|ارتكاب|اقتراف)"
    r"(?:ت|وا|ته|تها|ه|ها|وه|وها)?(?:\s+[^\W\d_]+){0,2}\s*$")
# Every verb of _PERPETRATOR holds one of these: where none is, the pattern (tried at each
# character, as it starts with no fixed letter) cannot match, and is not searched.
_PERPETRATOR_STEMS = ("رتك", "قتر", "نفذ", "شن")
_START = attrgetter("start")


class Mention:
    """A match being resolved (mutable working state; the public result is ``framing.results.Match``)."""

    __slots__ = ("definite", "end", "entry", "next_actor", "prev_actor", "quote", "rule", "scope", "start", "suffix",
                 "target")

    def __init__(self, start, end, entry, suffix, definite, sentence, quote):
        self.start, self.end, self.entry, self.suffix, self.definite = start, end, entry, suffix, definite
        # Rules look for actors within one sentence AND one voice: a term inside a quotation never
        # attaches to the speaker named in the reporting clause outside it.
        self.scope = (sentence, quote)
        self.quote = quote
        self.target = party = entry.party
        self.rule = "named" if party else None
        # The nearest actor before and after this mention in its sentence and voice (set by
        # attach_targets): looked up once, so that attachment stays linear in the article's length.
        self.prev_actor = self.next_actor = None


def python_more_words(text: str, start: int, end: int, limit: int) -> bool:
    """Whether ``text[start:end]`` (offsets in the text) has more than ``limit`` words, reading at
    most ``limit + 1`` of them.

    ``more_words`` is its compiled twin, ``framing._core.more_words``, when that was built.
    """
    # Most gaps are a few short words: split a bounded slice (seven times faster than the regex);
    # only a slice with too few words for its length (long words, or the end not in it) needs the
    # regex, which stops after limit + 1 words however far ``end`` is.
    stop = min(end, start + 32 * (limit + 1))
    if len(text[start:stop].split(None, limit)) > limit:
        return True
    if stop == end:
        return False
    return len(list(islice(_WORD.finditer(text, start, end), limit + 1))) > limit


def python_punctuated(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (offsets in the text) holds punctuation or a digit.

    ``punctuated`` is its compiled twin, ``framing._core.punctuated``, when that was built.
    """
    return _PUNCT.search(text, start, end) is not None


def python_holds_any(text: str, start: int, end: int, stems: tuple[str, ...]) -> bool:
    """Whether ``text[start:end]`` (offsets in the text) holds one of ``stems``.

    ``holds_any`` is its compiled twin, ``framing._core.holds_any``, when that was built.
    """
    window = text[start:end]
    return any(map(window.__contains__, stems))


try:  # the same in C, reading the text's own array, when framing._core was compiled at install
    from ._core import holds_any as _holds_any
    from ._core import more_words as _more_words
    from ._core import punctuated as _punctuated
except ImportError:
    _holds_any, _more_words, _punctuated = python_holds_any, python_more_words, python_punctuated


def _link_actors(mentions: list[Mention]) -> None:
    """Set each mention's ``prev_actor`` and ``next_actor`` (same sentence and voice) in two passes."""
    # One pass each way, carrying the previous mention's scope and whether it names an actor
    # (reading each mention's attributes once; the first mention each way keeps its None).
    n = len(mentions)
    if n < 2:
        return
    actor = [m.entry.party for m in mentions]
    scope = [m.scope for m in mentions]
    prev = None
    for k in range(1, n):
        prev = (mentions[k - 1] if actor[k - 1] else prev) if scope[k - 1] == scope[k] else None
        mentions[k].prev_actor = prev
    nxt = None
    for k in range(n - 2, -1, -1):
        nxt = (mentions[k + 1] if actor[k + 1] else nxt) if scope[k + 1] == scope[k] else None
        mentions[k].next_actor = nxt


def self_name(entry, weak_weight: float) -> bool:
    """Whether a lexicon entry is a name a camp gives itself: a weak favorable evaluative word (at
    most ``weak_weight``) with no party of its own, «الجيش الليبي»، «الحكومة الليبية». Each camp
    calls its forces the nation's army, so the word names a camp without saying which
    (:func:`resolve_article` decides it from the article; :func:`assign_speakers` stops at it)."""
    return (entry.kind == "evaluative" and entry.party is None and entry.polarity == "favorable"
            and entry.weight <= weak_weight)


#: The reporting verbs as written (with «و/ف», a feminine «ت», a plural «وا»): the word before a
#: statement's subject (:func:`assign_speakers`).
REPORTING_FORMS = frozenset(marker_forms()["report"])
#: «نقل» as written: its subject conveys, the source after its «عن» speaks (:func:`source_subject`).
CONVEYING_FORMS = frozenset(marker_forms()["convey"])
#: The verbs whose object comes before their statement, as written (:func:`verb_object`).
OBJECT_FORMS = frozenset(verb_forms(OBJECT_VERBS))
_CONJUNCTIONS = tuple(c for c in CONJUNCTIONS if c)  # the proclitics before a preposition (:func:`preposed`)
#: Those of them that never go without an object: «اتهم» and the verbs of naming. «طالب بـ» and
#: «حذر من» also mean 'demanded', 'warned of', with the actor after the verb their subject.
OBJECT_ONLY_FORMS = frozenset(verb_forms(("اتهم",) + DESCRIBING_VERBS))


def assign_speakers(text: str, mentions: list[Mention], quotes: list[tuple[int, int, int]],
                    weak_weight: float = 0.5, lexicon=None, direction_min: float = 1.5) -> list[str | None]:
    """The party speaking in each quotation: the first actor named between its reporting verb and
    the quotation (None when the clause names none and no statement came before), not the verb's
    object (:func:`verb_object`: «ووصف النائب حفتر بأنه ...»).

    A camp's own name (:func:`self_name`) right after the reporting verb («أعلن الجيش الليبي أن»،
    «اتهم الجيش الليبي المجلس الرئاسي بأنه ...») or opening the clause (a headline «الجيش الليبي:
    ...», a sentence «الجيش الليبي يعلن ...، مؤكدا أن ...») is its subject: the speaker is a camp
    the clause does not say, and the actor after it is whom it accuses or meets, never the speaker
    (nor is the statement before's speaker). Elsewhere in a clause that names no party it is the
    speaker's affiliation, with the same effect: «وقال مصدر عسكري بالجيش الليبي إن ...»، «كشف مكتب
    الإعلام باللواء التابع للجيش الليبي أن ...». Given the ``lexicon``, the statement's own words may
    say which camp it is (:func:`statement_camp`: «أعلن الجيش الليبي أن الميليشيات الإرهابية ...»
    is the LNA's); otherwise the speaker is None. So is a source outside the camps there
    (:func:`source_subject`): a newspaper's or an agency's report is not the statement before's
    speaker, nor whom it reports on or quotes. ``text`` is the normalised text the mentions index."""
    speakers: list[str | None] = []
    previous = None
    n = len(mentions)
    for q, (start, end, verb) in enumerate(quotes):
        speaker = None
        if verb >= 0 and not source_subject(text, verb):
            # The first actor at or after the verb, if it comes before the quotation: one bisection
            # (the mentions are in text order), then only the mentions of the reporting clause.
            k = bisect_left(mentions, verb, key=_START)
            unknown = False
            while k < n:
                m = mentions[k]
                if m.start >= start:
                    break
                entry = m.entry
                if entry.party and not verb_object(text, verb, start, m.start, m.end):
                    speaker = entry.party
                    unknown = False
                    break
                if self_name(entry, weak_weight) and not verb_object(text, verb, start, m.start, m.end):
                    unknown = True
                    if m.start == verb or _after_reporting_verb(text, m.start):
                        break
                k += 1
            if speaker is None and not unknown:
                speaker = previous
            if unknown and lexicon is not None:
                speaker = statement_camp(text, mentions, q, start, end, lexicon, direction_min)
        speakers.append(speaker)
        previous = speaker
    return speakers


def statement_camp(text: str, mentions: list[Mention], q: int, start: int, end: int, lexicon,
                   direction_min: float = 1.5) -> str | None:
    """The camp whose statement the ``q``-th quotation (``start``, ``end``) is, as its own loaded
    words say before any rule attaches them: the side they praise, read as :func:`resolve_article`
    reads an article (:func:`_direction`, at least ``direction_min`` of evidence), from each word's
    own party or, for a definite word, the party the ``bare`` rule gives it (as
    :func:`resolve_bare` tests it). A pro-LNA outlet's «أعلن الجيش الليبي أن الميليشيات الإرهابية
    ...» is the LNA's; «أعلن الجيش الليبي أن قواته تقدمت» says no camp (None). Only for a
    statement whose subject is a camp's self-name (:func:`assign_speakers`): a source outside the
    camps may use a camp's words («كشفت صحيفة أن المرتزقة ...») without being that camp."""
    weights = {polarity: dict.fromkeys(lexicon.sides, 0.0) for polarity in ("favorable", "unfavorable")}
    side_of = lexicon.side_of
    k = bisect_left(mentions, start, key=_START)
    while k < len(mentions) and mentions[k].start < end:
        m = mentions[k]
        k += 1
        entry = m.entry
        if m.quote != q or entry.kind != "evaluative" or entry.polarity is None:
            continue
        party = entry.party
        if not party and entry.bare is not None and m.definite and not after_quantifier(text, m.start):
            party = entry.bare
        if party:
            weights[entry.polarity][side_of(party)] += entry.weight
    return _direction(weights, lexicon, direction_min)[0]


#: Sources outside the camps (normalised, indefinite): a statement they open is theirs, not a
#: camp's, whatever actor their clause names («قالت صحيفة أمريكية في تقرير عن مرتزقة فاغنر إن»،
#: «ذكرت صحيفة "مدى مصر" أن»، «ويرى مراقبون أن»). Definite («وأضافت الصحيفة») is the source named
#: before, which keeps its speaker; «مصدر» and «مسؤول» are left out, as a partisan outlet's unnamed
#: source is its own camp's.
SOURCE_NOUNS = frozenset(("صحيفه", "وكاله", "قناه", "موقع", "شبكه", "مجله", "تلفزيون", "اذاعه", "مراسل", "تقرير",
                          "دراسه", "منظمه", "خبراء", "شهود", "سكان", "مراقبون", "مراقبين", "محللون", "محللين"))
_TWO_WORDS = re.compile(r"([^\W\d_]+)(?:\s+([^\W\d_]+))?")
_FROM_WORD = re.compile(r"(?<![^\W\d_])" + CONVEYED_FROM + r"\s+([^\W\d_]+)")  # and the word after it


def source_subject(text: str, verb: int) -> bool:
    """Whether the subject of the statement whose reporting verb (or opening clause) starts at
    ``verb`` in ``text`` is a source outside the camps: one of :data:`SOURCE_NOUNS` right after a
    reporting verb («كشفت صحيفة أمريكية أن ...») or opening the clause («صحيفة فرنسية تنشر صورا من
    ترهونة، مؤكدة أن ...»). After «نقل» the source is the word after its «عن», whoever conveys it:
    «ونقلت عن موقع روسي أن ...» is the site's, «نقلت صحيفة أمريكية عن المسماري أن ...» the
    actor's."""
    words = _TWO_WORDS.match(text, verb)
    if words is None:
        return False
    first, second = words.groups()
    if first in CONVEYING_FORMS:
        source = _FROM_WORD.search(text, words.end(1), verb + VERB_REACH)
        return source is not None and source.group(1) in SOURCE_NOUNS
    return first in SOURCE_NOUNS or (second in SOURCE_NOUNS and first in REPORTING_FORMS)


_BEFORE_STATEMENT = re.compile(r"\s*(?:ب|من\s+)?")  # between a verb's object and its statement


def verb_object(text: str, verb: int, start: int, actor_start: int, actor_end: int) -> bool:
    """Whether the actor at ``actor_start:actor_end`` in ``text`` is the object of the reporting
    verb at ``verb`` (of :data:`OBJECT_FORMS`), whose statement starts at ``start``: an actor right
    before the statement (or the «بـ» or «من» before it), past the word after the verb (its
    subject). Whom the subject accuses or describes is never the speaker: «ووصف النائب حفتر بأنه
    أمير حرب» is the deputy's, not the LNA's; «اتهم قنونو قوات حفتر بأنها ...» names its speaker
    first. After a verb that always takes an object (:data:`OBJECT_ONLY_FORMS`) the actor may also
    be the word after the verb, the subject left unsaid: «وأضاف المسماري ... واتهم حكومة الوفاق
    بأنها تجلب المرتزقة» is still al-Mismari's. With an object pronoun («ووصفه قنونو بأنه ...») the verb
    is another word, and the actor the subject."""
    words = _TWO_WORDS.match(text, verb)
    if words is None or words.group(1) not in OBJECT_FORMS or words.group(2) is None:
        return False
    return ((actor_start > words.start(2) or words.group(1) in OBJECT_ONLY_FORMS)
            and _BEFORE_STATEMENT.fullmatch(text, actor_end, start) is not None)


def _after_reporting_verb(text: str, start: int) -> bool:
    """Whether the word right before ``start`` in ``text`` is a reporting verb (:data:`REPORTING_FORMS`)."""
    return word_before(text, start) in REPORTING_FORMS


def word_before(text: str, start: int) -> str | None:
    """The word right before ``start`` in ``text``, spaces between them allowed (None after
    punctuation or a digit, or at the start): what the adjective, speaker and bare rules read."""
    word = _PREV_WORD.search(text, max(0, start - 40), start)
    return None if word is None else word.group(1)


def attach_targets(text: str, mentions: list[Mention], speakers: list[str | None], lexicon,
                   window: int = 3, construct_gap: int = 2, agent_gap: int = 6, weak_weight: float = 0.5) -> None:
    """Resolve ``target`` and ``rule`` of every evaluative mention in place (left to right).

    ``lexicon`` (a :class:`~framing.lexicon.Lexicon`) says which side evidence counts for, for the
    ``speaker`` rule; ``weak_weight`` which entries are a camp's own names (:func:`self_name`), for
    the ``adjective`` rule.
    """
    _link_actors(mentions)
    last_target: dict[tuple, str] = {}
    # The sentence and party of the last actor named in the narrator's voice so far: whom a
    # statement of an unknown speaker reports on (the possessive rule), read in one pass.
    reported = (-1, None)
    for i, m in enumerate(mentions):
        entry = m.entry
        if entry.kind != "evaluative":
            if entry.party and m.quote < 0:
                reported = (m.scope[0], entry.party)
            continue
        quote, attach, definite = m.quote, entry.attach, m.definite
        voice_owner = ("quote", speakers[quote] or quote) if quote >= 0 else ("narrator",)
        # The rules that need an actor after (or before) the mention, or a speaker, are not called
        # without one: each would return None at once, and most mentions have none in their
        # sentence and voice.
        noun, after, before = attach == "noun", m.next_actor is not None, m.prev_actor is not None
        if _plural_verb(text, m):  # its subject came before it, and what follows is its object
            verb, noun, after = True, False, False
        else:
            verb = False
        found = (
            (_subject(text, m, window) if verb and before else None)
            or (_possessive(m, speakers, reported) if m.suffix and not verb else None)
            or (_construct(text, mentions, i, construct_gap) if noun and not definite else None)
            or (_adjective(text, mentions, i, m, speakers, weak_weight) if attach == "adj" else None)
            or (_agent(text, mentions, i, agent_gap, window, _AGENT, _AGENT_STEMS, "agent") if noun and after else None)
            or (_agent(text, mentions, i, agent_gap, window, _AFFILIATION, _AFFILIATION_STEMS, "affiliation")
                if after else None)
            or (_perpetrator(text, m, window) if noun and before else None)
            or (_anaphora(last_target, entry, voice_owner) if definite else None)
            or (_nearest(text, mentions, i, window) if noun and after else None)
            or (_speaker_camp(m, speakers, lexicon) if quote >= 0 else None)
        )
        if found:
            target, rule = found
            m.target, m.rule = target, rule
            last_target[(entry.term, voice_owner)] = target


def _plural_verb(text, m) -> bool:
    """Whether the term's first word, as written here, ends in «وا», as a plural past verb does
    («عذبوا»، «فروا هاربين»). A lexicon writer who lists an accusative noun so («عدوا») would
    have it read as a verb."""
    space = text.find(" ", m.start, m.end)
    return text.endswith("وا", m.start, m.end if space < 0 else space)


def _subject(text, m, window):
    """The actor right before a plural verb: its subject."""
    actor = m.prev_actor
    if _more_words(text, actor.end, m.start, window) or _punctuated(text, actor.end, m.start):
        return None
    return actor.entry.party, "subject"


def _possessive(m, speakers, reported):
    if m.suffix in POSSESSIVE_3RD and m.entry.attach == "noun":
        if m.prev_actor is not None:
            return m.prev_actor.entry.party, "possessive"
        # A source of no known camp reports on the actor its reporting clause names («قالت صحيفة
        # أمريكية، في تقرير عن حفتر، إن هزائمه ...»): ``reported``, the last actor of the narrator
        # before it, in its sentence. So does the narrator after a statement in its sentence: «وقال
        # المسماري إن ...، على حد زعمه» (the tail is the narrator's, framing.voice). In a camp's
        # statement «عدوانه» is the enemy's, which the speaker rule gives.
        if (m.quote < 0 or speakers[m.quote] is None) and reported[0] == m.scope[0]:
            return reported[1], "possessive"
    if m.suffix in POSSESSIVE_1ST and m.quote >= 0 and speakers[m.quote]:
        return speakers[m.quote], "speaker"
    return None


def _construct(text, mentions, i, gap_words):
    m = mentions[i]
    scope, end = m.scope, m.end
    # A while loop: compiled, a range from a Python int is an object made for each call, and most
    # calls read one or two mentions.
    k, n = i + 1, len(mentions)
    while k < n:
        nxt = mentions[k]
        start = nxt.start
        if nxt.scope != scope or _more_words(text, end, start, gap_words) or _punctuated(text, end, start):
            return None
        party = nxt.entry.party
        if party:
            return party, "construct"
        k += 1
    return None


def _adjective(text, mentions, i, m, speakers, weak_weight):
    # «الدعم التركي للإرهابيين»: after «لـ، بـ، كـ» the word is a noun the preposition governs, not
    # an adjective of the noun before. A camp's own name stays one: «إدارة التوجيه المعنوي بالجيش
    # الليبي» is the army's department.
    if m.definite and preposed(text, m.start) and not self_name(m.entry, weak_weight):
        return None
    if i:
        prev = mentions[i - 1]
        gap = text[prev.end:m.start]
        if prev.scope == m.scope and not gap.strip() and prev.target:
            return prev.target, "adjective"
    # «قواتنا الباسلة»: the noun before is not a term, but its first-person suffix names the speaker.
    if m.quote < 0 or not speakers[m.quote]:
        return None
    word = word_before(text, m.start)
    if word and word.endswith("نا") and len(word) > 3:
        return speakers[m.quote], "speaker"
    return None


def preposed(text: str, start: int) -> bool:
    """Whether the definite word at ``start`` in ``text`` carries a preposition («لـ، بـ، كـ»)
    before its article: the article, after a conjunction (:data:`framing.matcher.CONJUNCTIONS`)
    or none, does not open it («للإرهابيين»، «بالجيش»، «وللميليشيات»)."""
    at = start + 1 if text.startswith(_CONJUNCTIONS, start) else start
    return not text.startswith("ال", at)


def _agent(text, mentions, i, gap_words, window, pattern, stems, rule):
    m = mentions[i]
    actor = m.next_actor
    if actor is None:
        return None
    end, actor_start = m.end, actor.start
    # ``gap_words`` words of at most ~20 letters each: no need to search further.
    reach = min(actor_start, end + 21 * (gap_words + 1))
    if not _holds_any(text, end, reach, stems):
        return None
    marker = pattern.search(text, end, reach)
    if marker is None:
        return None
    marker_start, marker_end = marker.span()
    if _more_words(text, end, marker_start, gap_words):
        return None
    # «لم يحدث من قبل، وقالت حكومة الوفاق ...»: «من قبل» is also 'before'; a comma ends the phrase.
    if _more_words(text, marker_end, actor_start, window) or _punctuated(text, marker_end, actor_start):
        return None
    if rule == "affiliation":
        # Whom something belongs to qualifies the nearest noun before the clause: in «تطهير العاصمة
        # من الميليشيات التابعة لقطر» the militias are Qatar's, the cleansing is not.
        for k in range(i + 1, len(mentions)):
            other = mentions[k]
            if other.start >= marker_start:
                break
            if other.entry.kind == "evaluative" and other.entry.attach == "noun":
                return None
    return actor.entry.party, rule


def _perpetrator(text, m, window):
    """The actor before the noun, when a verb of doing comes right before that actor."""
    actor = m.prev_actor
    if actor is None or _more_words(text, actor.end, m.start, window) or _punctuated(text, actor.end, m.start):
        return None
    # The verb and at most two words (the head of the subject: «قوات»، «ميليشيات») before the actor.
    start = max(0, actor.start - 60)
    if not _holds_any(text, start, actor.start, _PERPETRATOR_STEMS):
        return None
    if _PERPETRATOR.search(text, start, actor.start) is None:
        return None
    return actor.entry.party, "agent"


def _anaphora(last_target, entry, voice_owner):
    target = last_target.get((entry.term, voice_owner))
    return (target, "anaphora") if target else None


def _nearest(text, mentions, i, window):
    m = mentions[i]
    actor = m.next_actor
    # Punctuation between them ends the phrase: in «مدعومة بمرتزقة أجانب، حكومة الوفاق» the GNA
    # after the comma is the object of the clause's verb, not the mercenaries' owner.
    if actor is None or _more_words(text, m.end, actor.start, window) or _punctuated(text, m.end, actor.start) \
            or _coordinated(text, actor):
        return None
    return actor.entry.party, "nearest"


def _coordinated(text, actor) -> bool:
    """Whether the actor's word carries the conjunction «و» («والجيش») that its own forms lack."""
    return text.startswith("و", actor.start) and not any(f.startswith("و") for f in actor.entry.forms)


def two_sided(speakers: Iterable[str | None], lexicon) -> bool:
    """Whether the quoted evidence comes from more than one side's speakers (given the speakers of
    the quoted evaluative matches): two-sided sourcing, wire practice. Then neither the reading
    (:mod:`framing.scorer`) nor the ``article`` rule takes a direction from the quotes."""
    return len({lexicon.side_of(s) for s in speakers if s is not None}) > 1


def resolve_article(mentions: list[Mention], lexicon, direction_min: float = 1.0, weak_weight: float = 0.5,
                    speakers: Sequence[str | None] = ()) -> None:
    """The ``article`` rule: give untargeted evaluative mentions in the narrator's voice the side
    the article's targeted evidence already points to (in place).

    First, a weak favorable word with no party of its own (at most ``weak_weight``: «الجيش
    الليبي»، «الحكومة الليبية», names each camp gives itself) is the camp the article's other
    evidence favours, however little of it there is. Then an unfavorable word goes to the side
    the article's evidence attacks (at least ``direction_min`` of evidence, two thirds of it
    against that side), or, with no attacks, to the side opposite the one it praises when there
    is exactly one; a favorable word the other way round.
    """
    loose = [m for m in mentions if m.target is None and m.quote < 0 and m.entry.kind == "evaluative"]
    if not loose:
        return
    side_of = lexicon.side_of
    quotes_both = two_sided((speakers[m.quote] for m in mentions if m.quote >= 0 and m.entry.polarity), lexicon)
    # Targeted evidence per polarity and side: all of it, and all but a camp praising itself in
    # its own statement («قال الجيش الوطني الليبي»), every outlet's quote, which does not say whose
    # army the narrator's «الجيش الليبي» is.
    every = {polarity: dict.fromkeys(lexicon.sides, 0.0) for polarity in ("favorable", "unfavorable")}
    own = {polarity: dict.fromkeys(lexicon.sides, 0.0) for polarity in ("favorable", "unfavorable")}
    for m in mentions:
        entry = m.entry  # each attribute read once: this runs for every mention of every article
        polarity, target, quote = entry.polarity, m.target, m.quote
        if target is None or polarity is None or (quotes_both and quote >= 0):
            continue
        side = side_of(target)
        weight = entry.weight
        every[polarity][side] += weight
        speaker = speakers[quote] if quote >= 0 else None
        if not (speaker is not None and polarity == "favorable" and side_of(speaker) == side):
            own[polarity][side] += weight
    praised, _attacked = _direction(own, lexicon, 0.0)
    if praised is not None:
        for m in loose:
            if self_name(m.entry, weak_weight):
                m.target, m.rule = praised, "article"
                every["favorable"][praised] += m.entry.weight
    praised, attacked = _direction(every, lexicon, direction_min)
    for m in loose:
        target = praised if m.entry.polarity == "favorable" else attacked
        if m.target is None and target is not None:
            m.target, m.rule = target, "article"


def resolve_bare(text: str, mentions: list[Mention]) -> None:
    """The ``bare`` rule: a definite evaluative mention in the narrator's voice still untargeted
    after every other rule takes its entry's ``bare`` party, when the lexicon gives one (in place;
    ``text`` is the normalised text the mentions index).

    Definite only: «الميليشيات» is a referent the reader is taken to know (in a pro-LNA outlet, the
    GNA's forces), while an indefinite «ميليشيات قادمة من الجنوب» introduces new ones, whoever they
    are; so does a definite noun after a number or a part (:data:`QUANTIFIERS`: «عشرات
    الميليشيات»، «بعض الميليشيات»)."""
    for m in mentions:
        if (m.target is None and m.quote < 0 and m.definite and m.entry.bare is not None
                and m.entry.kind == "evaluative" and not after_quantifier(text, m.start)):
            m.target, m.rule = m.entry.bare, "bare"


#: Words (normalised) after which a definite noun is some of a kind, not a referent the reader
#: knows: numbers of many («عشرات الميليشيات») and parts («بعض»، «إحدى»، «معظم»).
QUANTIFIERS = frozenset(("عشرات", "مئات", "الاف", "بعض", "احدي", "احد", "معظم", "اغلب", "مختلف", "شتي"))


def after_quantifier(text: str, start: int) -> bool:
    """Whether the word right before ``start`` in ``text`` is one of :data:`QUANTIFIERS`, perhaps
    after «و» or «ف» («وعشرات»)."""
    word = word_before(text, start)
    return word is not None and (word in QUANTIFIERS or (word[0] in "وف" and word[1:] in QUANTIFIERS))


def _direction(weights: dict[str, dict[str, float]], lexicon, least: float) -> tuple[str | None, str | None]:
    """The side an article's targeted evidence (``weights[polarity][side]``) praises and the side
    it attacks (or None)."""
    praised = _leading(weights["favorable"], least)
    attacked = _leading(weights["unfavorable"], least)
    if praised is not None and praised == attacked:
        return None, None  # the article praises and attacks the same side: no direction
    # The side opposite another is the one evidence against it counts for, when that is one side.
    if attacked is None and praised is not None:
        attacked = _only(lexicon.counts_for(praised, "unfavorable"))
    elif praised is None and attacked is not None:
        praised = _only(lexicon.counts_for(attacked, "unfavorable"))
    return praised, attacked


def _only(sides: tuple[str, ...]) -> str | None:
    return sides[0] if len(sides) == 1 else None


def _leading(weights: dict[str, float], least: float) -> str | None:
    """The side holding two thirds of ``weights``, if they add up to ``least``."""
    total = sum(weights.values())
    top = max(weights, key=weights.get)
    return top if total > 0 and total >= least and weights[top] >= 2 / 3 * total else None


def _speaker_camp(m, speakers, lexicon):
    speaker = speakers[m.quote] if m.quote >= 0 else None
    if speaker is None:
        return None
    # Evidence about the speaker with this polarity counts for exactly the sides the speaker's
    # word would favour (favorable: its own; unfavorable: the others). One side: that is the target.
    sides = lexicon.counts_for(speaker, m.entry.polarity)
    return (sides[0], "speaker") if len(sides) == 1 else None
