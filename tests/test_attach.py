"""Each attachment rule, with sentences written for the test (and the cases that must stay untargeted)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = [
    # (text, surface of the evaluative match, expected target, expected rule)
    # construct state: the actor right after the noun
    ("قصفت ميليشيات حفتر حي الهضبة.", "ميليشيات", "lna", "construct"),
    ("تقدمت ميليشيات الوفاق نحو الوطية.", "ميليشيات", "gna", "construct"),
    ("وصلت مرتزقة شركة فاغنر إلى الجفرة.", "مرتزقة", "russia", "construct"),
    ("هاجمت ميليشيات ما يسمى بالوفاق القاعدة.", "ميليشيات", "gna", "construct"),
    # a name alone in quotation marks is typography: it stays in the sentence
    ("وصلت مرتزقة «فاغنر» إلى الجفرة.", "مرتزقة", "russia", "construct"),
    # adjective: the actor (or targeted noun) right before it
    ("تقدمت قوات الجيش الوطني الليبي الباسلة.", "الباسلة", "lna", "adjective"),
    ("طردت ميليشيات الوفاق الإرهابية من المنطقة.", "الإرهابية", "gna", "adjective"),
    # possessive suffix: back to the last actor named in the sentence
    ("انسحبت ميليشيات الوفاق ومرتزقتها من المدينة.", "ومرتزقتها", "gna", "possessive"),
    ("وصل حفتر إلى الجفرة مع مرتزقته.", "مرتزقته", "lna", "possessive"),
    # ... and in a statement of a source of no known camp, with no actor before it inside, the
    # actor its reporting clause names (whom the source reports on)
    ("وقال شهود، في حديث عن حفتر، إن مرتزقته فروا من المدينة.", "مرتزقته", "lna", "possessive"),
    ("وقال شهود عن حفتر: «فرت مرتزقته من المدينة»", "مرتزقته", "lna", "possessive"),
    ("وقالت وكالة أوروبية في تقرير عن حفتر إن مرتزقته فروا.", "مرتزقته", "lna", "possessive"),
    # must NOT: in a camp's statement «his mercenaries» are the enemy's (the speaker rule)
    ("وقال المسماري: «فرت مرتزقته من المدينة»", "مرتزقته", "gna", "speaker"),
    # first-person possessive inside a statement: the speaker's camp
    ("وقال المسماري \"إن قواتنا الباسلة تقدمت\".", "الباسلة", "lna", "speaker"),
    ("وقال قنونو: «إن قواتنا الباسلة صدت الهجوم»", "الباسلة", "gna", "speaker"),
    # an untargeted term in a spokesman's statement: his camp if favorable, the other camp if not
    ("وقال المسماري: «سنطرد الميليشيات من العاصمة»", "الميليشيات", "gna", "speaker"),
    ("وقال قنونو: «سنطرد الميليشيات من المدينة»", "الميليشيات", "lna", "speaker"),
    # anaphora: the same term again, in the same voice
    ("تقدمت ميليشيات الوفاق. ثم فرت الميليشيات.", "الميليشيات", "gna", "anaphora"),
    # agent: a clause naming who did it, after a list if need be
    ("ورصدنا عدوان مسلحين على البيوت وحرق منازل نفذته مجموعات تابعة لحكومة الوفاق.", "عدوان", "gna", "agent"),
    ("وقع عدوان على أيدي عناصر تابعة لحفتر.", "عدوان", "lna", "agent"),
    ("استمر عدوان مسلح ارتكبه مقاتلو فاغنر.", "عدوان", "russia", "agent"),
    # a verb of doing, its subject, then its object
    ("وارتكبت قوات حفتر جرائم بحق المدنيين.", "جرائم", "lna", "agent"),
    ("وندد الجميع بما ارتكبته ميليشيات الوفاق من عدوان على الأحياء.", "عدوان", "gna", "agent"),
    # affiliation: a clause saying whom the noun belongs to or fights for, farther than 3 words
    ("وصلت مرتزقة من جنسيات مختلفة يقاتلون في صفوف ميليشيات الوفاق.", "مرتزقة", "gna", "affiliation"),
    ("قصفت الميليشيات المسلحة المتمركزة في المنطقة التابعة لحفتر الحي.", "الميليشيات", "lna", "affiliation"),
    ("تتقدم القوات الباسلة القادمة من الشرق بقيادة حفتر.", "الباسلة", "lna", "affiliation"),
    # nearest actor in the sentence
    ("ويستمر العدوان الذي تشنه قوات حفتر على العاصمة.", "العدوان", "lna", "agent"),
    ("انسحب المرتزقة أمس مع فاغنر من الجفرة.", "المرتزقة", "russia", "nearest"),
    ("ويستمر عدوان قوات حفتر على العاصمة.", "عدوان", "lna", "construct"),
]

UNTARGETED = [
    # no actor at all
    "فرت الميليشيات من المدينة.",
    # an actor before a noun is the subject of the verb, not the target (and a definite noun
    # heads no construct)
    "هاجم حفتر الميليشيات في المدينة.",
    "تبث قناة تابعة لحفتر صور الميليشيات في المدينة.",
    # the actor is in another sentence
    "تقدم حفتر. وفرت الميليشيات.",
    # too far away for the nearest-actor rule
    "وصل حفتر إلى المدينة صباح أمس بعد رحلة طويلة جدا من الشرق عبر الصحراء وشاهد الميليشيات.",
    # an actor joined by «و» is coordinated with the noun, not its owner
    "انسحبت الميليشيات وحفتر من المدينة.",
    # the article rule needs a direction: weak names alone (0.5 here) give none ...
    "التقى المشير وفدا. وفرت الميليشيات من المدينة.",
    # ... and evidence against both camps gives none
    "قصفت ميليشيات الوفاق الأحياء. وقصفت ميليشيات حفتر المطار. وفي الجنوب فرت مرتزقة من المدينة.",
    # a verb of doing whose subject is not right before the noun, or another verb: no agent
    "ارتكبت قوات حفتر في الأسابيع الماضية أمورا كثيرة، والمرتزقة في كل مكان.",
    "قصفت قوات حفتر مرتزقة في الجنوب.",
    # an affiliation clause beyond the gap, or after another actor, or with a comma, names no owner
    "وصلت مرتزقة إلى المدينة في ساعة متأخرة من مساء أمس وسط الأحياء الجنوبية التابعة لحفتر.",
    "وصلت مرتزقة، التي تتبع الحكومة السابقة، إلى المدينة.",
    # a quoted word of an unknown speaker is not the narrator's to resolve
    "قصفت ميليشيات الوفاق الأحياء. وقال شاهد: «فرت مرتزقة من المدينة».",
    # anaphora does not cross voices: a quoted witness's militias are not the narrator's
    "تقدمت ميليشيات الوفاق. وقال شاهد: «فرت الميليشيات».",
    # the speaker named outside a statement is not the target of a word inside it
    "وتقدمت قوات حفتر. وقال شاهد: «فرت الميليشيات من المدينة»",
    # an adjective qualifies the noun right before it, never a farther actor
    "تحبط قوات حفتر تسلل مجموعات إرهابية قرب سرت.",
    # nor is a word a preposition governs an adjective («لـ، بـ» before its article)
    "ندد بدعم حفتر للإرهابيين.",
    # a quoted statement, even a one-word one, is not a name in quotes
    "وصلت المرتزقة أمس وقال شاهد «فاغنر هنا».",
    # a statement whose speaker is unknown gets no speaker rule
    "وقال شاهد: «سنطرد الميليشيات من العاصمة»",
    # nor the reporting clause of another sentence a possessive inside it
    "تقدم حفتر. وقال شهود: «فرت مرتزقته من المدينة»",
    # an agent clause must come before any actor, stay within 6 words of the noun and name its
    # actor within 3 words: otherwise it may be about something else
    "استمر العدوان على المدينة في الجنوب الغربي من البلاد قرب الحدود الذي نفذته قوات حفتر.",
    "استمر العدوان الذي نفذته بحسب شهود عيان في المدينة قوات حفتر.",
    # «من قبل» is also 'before': after a comma it names no one
    "وقع عدوان لم تعرفه المدينة من قبل، وقالت حكومة الوفاق إنها سترد.",
    # «قواتنا» in the narrator's voice has no known speaker
    "إن قواتنا الباسلة صامدة.",
]


def _evaluative(scorer, text, surface):
    found = [m for m in scorer.matches(text) if m.kind == "evaluative" and m.text == surface]
    assert len(found) == 1, [m.text for m in scorer.matches(text)]
    return found[0]


@pytest.mark.parametrize("text,surface,target,rule", CASES)
def test_attachment_rules(mini, text, surface, target, rule):
    m = _evaluative(mini, text, surface)
    assert (m.target, m.rule) == (target, rule)


@pytest.mark.parametrize("text", UNTARGETED)
def test_untargeted(mini, text):
    evaluative = [m for m in mini.matches(text) if m.kind == "evaluative"]
    assert evaluative and evaluative[-1].target is None and evaluative[-1].rule is None


ARTICLE = [
    # (text, surface of the untargeted word, expected target): the article's targeted evidence
    # gives the direction; an unfavorable word goes against it, a favorable one with it
    ("قصفت ميليشيات الوفاق ومرتزقتها الأحياء أمس. وفي الجنوب فرت مرتزقة من المدينة.", "مرتزقة", "gna"),
    ("قصفت ميليشيات حفتر ومرتزقته الأحياء أمس. وفي الجنوب فرت مرتزقة من المدينة.", "مرتزقة", "gna_not"),
    ("أشاد المشير بالجنود. وزار المشير الجبهة. وتفقد المشير المحور. وصمدت الوحدات الباسلة في المحور.",
     "الباسلة", "lna"),
    # with two sides, an article that only praises one attacks the other
    ("أشاد المشير بالجنود. وزار المشير الجبهة. وتفقد المشير المحور. وفرت مرتزقة من المدينة.", "مرتزقة", "gna"),
    # an indefinite repeat is a new referent, not an anaphor: the article, not anaphora, resolves it
    ("تقدمت ميليشيات الوفاق ومرتزقتها. ثم ظهرت ميليشيات جديدة في الجنوب.", "ميليشيات", "gna"),
]


@pytest.mark.parametrize("text,surface,target", ARTICLE)
def test_article_rule(mini, text, surface, target):
    m = [m for m in mini.matches(text) if m.kind == "evaluative" and m.text == surface][-1]
    expected = "lna" if target == "gna_not" else target
    assert (m.target, m.rule) == (expected, "article")


def test_article_rule_with_three_sides(tmp_path):
    """With three sides, an unfavorable bare word goes to the side the article attacks most."""
    from framing import Scorer

    lexicon = tmp_path / "three"
    lexicon.mkdir()
    (lexicon / "parties.tsv").write_text(
        "id\tside\tname\tname_ar\tgloss\n"
        "east\teast\tEast\tالشرق\tthe eastern camp\n"
        "west\twest\tWest\tالغرب\tthe western camp\n"
        "south\tsouth\tSouth\tالجنوب\tthe southern camp\n", encoding="utf-8")
    (lexicon / "terms.tsv").write_text(
        "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
        "حفتر\tactor\teast\t\t\t\t\tHaftar\n"
        "الوفاق\tactor\twest\t\t\t\t\tGNA\n"
        "الطوارق\tactor\tsouth\t\t\t\t\tTuareg\n"
        "ميليشيات\tevaluative\t\tunfavorable\tnoun\tcriminality\t1.5\tmilitias\n"
        "مرتزقة\tevaluative\t\tunfavorable\tnoun\tforeign_backing\t1.5\tmercenaries\n", encoding="utf-8")
    scorer = Scorer(lexicon)
    m = scorer.matches("قصفت ميليشيات الوفاق الأحياء أمس. وفي المساء فرت مرتزقة من المدينة.")[-1]
    assert (m.target, m.rule) == ("west", "article")
    # evidence against two sides equally points at no one in particular
    m = scorer.matches("قصفت ميليشيات الوفاق الأحياء. وقصفت ميليشيات الطوارق السوق. وفرت مرتزقة من المدينة.")[-1]
    assert m.target is None


BARE_TERMS = (
    "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\tbare\n"
    "حفتر\tactor\tlna\t\t\t\t\tHaftar\n"
    "الوفاق\tactor\tgna\t\t\t\t\tGNA\n"
    "الطوارق\tactor\tsouth\t\t\t\t\tTuareg\n"
    "مجرم الحرب\tnaming\tlna\tunfavorable\t\tlegitimacy\t2.5\twar criminal\n"
    "ميليشيات\tevaluative\t\tunfavorable\tnoun\tlegitimacy\t1.5\tmilitias\tgna\n"
    "الأبطال\tevaluative\t\tfavorable\tnoun\tvalour\t1\theroes\tlna\n"
    "مرتزقة\tevaluative\t\tunfavorable\tnoun\tforeign_backing\t1.5\tmercenaries\n"
    "عصابات\tevaluative\t\tunfavorable\tnoun\tcriminality\t1.5\tgangs\tsouth\n"
)

BARE = [
    # (text, surface of the evaluative match, expected target, expected rule)
    # no actor in reach and no direction from the article: the lexicon's bare party
    ("فرت الميليشيات من المدينة.", "الميليشيات", "gna", "bare"),
    ("وتقدم الأبطال نحو المدينة.", "الأبطال", "lna", "bare"),
    # any party, on any side, of a lexicon of three sides
    ("وانتشرت العصابات على الطريق.", "العصابات", "south", "bare"),
    # must NOT be bare: every other rule comes first
    ("قصفت ميليشيات حفتر الأحياء.", "ميليشيات", "lna", "construct"),
    ("تقدمت ميليشيات الوفاق. ثم فرت الميليشيات.", "الميليشيات", "gna", "anaphora"),
    ("وقال حفتر: «تقدم الأبطال نحو العاصمة»", "الأبطال", "lna", "speaker"),
    # the article's own direction (a war criminal named: against the LNA) outweighs the lexicon's
    ("وصل مجرم الحرب حفتر إلى المدينة. وفرت الميليشيات من الحي.", "الميليشيات", "lna", "article"),
    # a word with no bare party stays untargeted, and so does an indefinite one: new militias,
    # whoever they are, not the ones the reader is taken to know
    ("وظهرت ميليشيات في الجنوب.", "ميليشيات", None, None),
    # definite after a number or a part, it is some of a kind all the same
    ("وظهرت بعض الميليشيات في الجنوب.", "الميليشيات", None, None),
    ("وتقاتلت عشرات الميليشيات في الشرق.", "الميليشيات", None, None),
    ("تقاتلت كتائب في الشرق وعشرات الميليشيات في الغرب.", "الميليشيات", None, None),
    ("وتقدم معظم الأبطال نحو المدينة.", "الأبطال", None, None),
    ("فرت مرتزقة من المدينة.", "مرتزقة", None, None),
    # a quoted word of an unknown speaker is not the narrator's: no bare reading either
    ("وقال شاهد: «فرت الميليشيات من المدينة»", "الميليشيات", None, None),
    # nor of a known speaker's: with three sides, whom his unfavorable word attacks is not known
    ("وقال حفتر: «سنطرد الميليشيات من العاصمة»", "الميليشيات", None, None),
]


@pytest.fixture(scope="module")
def bare_scorer(tmp_path_factory):
    from framing import Scorer

    lexicon = tmp_path_factory.mktemp("bare") / "bare"
    lexicon.mkdir()
    (lexicon / "parties.tsv").write_text(
        "id\tside\tname\tname_ar\tgloss\n"
        "lna\tlna\tLNA\tالجيش\tthe eastern camp\n"
        "gna\tgna\tGNA\tالوفاق\tthe western camp\n"
        "south\tsouth\tSouth\tالجنوب\tthe southern camp\n", encoding="utf-8")
    (lexicon / "terms.tsv").write_text(BARE_TERMS, encoding="utf-8")
    return Scorer(lexicon)


@pytest.mark.parametrize("text,surface,target,rule", BARE)
def test_bare_rule(bare_scorer, text, surface, target, rule):
    m = _evaluative(bare_scorer, text, surface)
    assert (m.target, m.rule) == (target, rule)


def test_a_bare_reading_counts_as_evidence(bare_scorer):
    """The bare party's evidence is scored like any other."""
    score = bare_scorer.score("فرت الميليشيات من المدينة بعد أن قصفت الأحياء.")
    assert score.parties["gna"].unfavorable == 1.5
    # unfavorable to the GNA counts for both other sides, equally
    assert score.sides["lna"] == score.sides["south"] > 0 == score.sides["gna"]


def test_affiliation_qualifies_the_nearest_noun(mini):
    """«... مرتزقة جدد في صفوف حفتر»: the mercenaries are Haftar's; the aggression before them is not read so."""
    matches = {m.text: m for m in mini.matches("تواصل عدوان واسع على الأحياء بعد وصول مرتزقة جدد في صفوف حفتر.")}
    assert (matches["مرتزقة"].target, matches["مرتزقة"].rule) == ("lna", "affiliation")
    assert matches["عدوان"].rule != "affiliation"


def test_same_word_both_camps(mini):
    """A loaded word is not a side: «ميليشيات» attacks whoever it attaches to."""
    a = mini.score("قصفت ميليشيات الوفاق الأحياء.")
    b = mini.score("قصفت ميليشيات حفتر الأحياء.")
    assert a.parties["gna"].unfavorable > 0 and a.parties["lna"].unfavorable == 0
    assert b.parties["lna"].unfavorable > 0 and b.parties["gna"].unfavorable == 0


# (text, limit, has more than limit words): gaps between mentions, short and long, with long words
# (the slice read first is bounded; past it the words are counted one by one).
MORE_WORDS = [
    ("", 2, False),
    ("  ", 0, False),
    (" في ", 0, True),
    (" في المدينة ", 2, False),
    (" في المدينة أمس ", 2, True),
    ("\nفي\tالمدينة\u00a0أمس ", 3, False),
    (" " + "ا" * 500 + " ب", 1, True),
    (" " + "ا" * 500 + " ", 1, False),
    (" " * 300 + "في المدينة", 2, False),
    (" " * 300 + "في المدينة أمس", 2, True),
    (" كلمة" * 10_000, 6, True),
]


@pytest.mark.parametrize("text,limit,expected", MORE_WORDS)
def test_more_words_counts_words_of_any_gap(text, limit, expected):
    from framing.attach import _more_words

    padded = "قوات" + text + "حفتر"  # the gap between two mentions
    assert _more_words(padded, 4, len(padded) - 4, limit) is expected
    assert (len(text.split()) > limit) is expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ارتكبقفنذشيوهاتم ", max_size=24))
def test_every_perpetrator_verb_holds_a_stem(text):
    from framing import attach

    if attach._PERPETRATOR.search(text):
        assert any(stem in text for stem in attach._PERPETRATOR_STEMS)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ارتكبقفنذشيوهاتمعلدن \n", max_size=24))
def test_every_agent_marker_holds_a_stem(text):
    from framing import attach

    if attach._AGENT.search(text):
        assert any(stem in text for stem in attach._AGENT_STEMS)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="التابعموايدنرطحسصفوقهبمعيذكو \n", max_size=30))
def test_every_affiliation_marker_holds_a_stem(text):
    from framing import attach

    if attach._AFFILIATION.search(text):
        assert any(stem in text for stem in attach._AFFILIATION_STEMS)


@pytest.mark.parametrize("pattern, stems", [("_AGENT", "_AGENT_STEMS"), ("_AFFILIATION", "_AFFILIATION_STEMS")])
def test_each_branch_of_a_marker_holds_a_stem(pattern, stems):
    from framing import attach

    # Every word each pattern is written to find (in its docstring's examples and each alternative).
    examples = {
        "_AGENT": ["ارتكبتها", "نفذتها", "شنها", "يرتكبها", "اقترفته", "تقترفه", "علي يد", "علي ايدي", "من قبل",
                   "بايدي", "ينفذه", "تشنهما"],
        "_AFFILIATION": ["التابعه", "المواليين من", "مدعوم ب", "المرتبطه", "المحسوبون علي", "في صفوف", "ضمن صفوف",
                         "بقياده", "تحت لواء", "تحت امرة", "بدعم من", "الذين يقاتلون", "التي تتبع", "الذي يقوده",
                         "التي تقودها", "الذين يتبعون", "التي تقاتل"],
    }[pattern]
    for example in examples:
        assert getattr(attach, pattern).fullmatch(example), example
        assert any(stem in example for stem in getattr(attach, stems)), example


def _speakers_by_definition(text, mentions, quotes):
    """Each quotation's speaker read from the whole list: the first actor at or after the verb,
    unless a camp's self-name at the verb or right after a reporting verb comes first (then none);
    with no actor, none after a self-name anywhere in the clause, else the previous speaker."""
    speakers, previous = [], None
    for start, _end, verb in quotes:
        speaker = None
        if verb >= 0:
            clause = [m for m in mentions if verb <= m.start < start]
            named = [m for m in clause
                     if m.entry.party or (m.entry.weight <= 0.5
                                          and (m.start == verb or text[:m.start].endswith("قال ")))]
            if named and named[0].entry.party:
                speaker = named[0].entry.party
            elif not named and not [m for m in clause if not m.entry.party and m.entry.weight <= 0.5]:
                speaker = previous
        speakers.append(speaker)
        previous = speaker
    return speakers


# The kinds of mention the speaker search meets: an actor, a camp's self-name («الجيش الليبي»:
# favorable, weight 0.5, no party), a loaded word (weight 1.5, no party).
_NAMES = {"lna": ("lna", 0.25), "gna": ("gna", 0.25), "self": (None, 0.5), "word": (None, 1.5)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(sorted(_NAMES))), max_size=12),
       st.lists(st.tuples(st.integers(0, 80), st.integers(0, 8), st.integers(-1, 80)), max_size=5))
def test_speakers_are_the_first_actor_of_the_reporting_clause(words, quotes):
    from types import SimpleNamespace

    from framing.attach import Mention, assign_speakers

    # Each mention a word of three letters, perhaps after the reporting verb «قال».
    text, mentions = "", []
    for after_verb, name in words:
        text += "قال " if after_verb else "في "
        party, weight = _NAMES[name]
        entry = SimpleNamespace(party=party, kind="evaluative", polarity="favorable", weight=weight)
        mentions.append(Mention(len(text), len(text) + 3, entry, None, False, 0, -1))
        text += "اسم "
    quotes = [(start, start + length, verb) for start, length, verb in quotes]
    assert assign_speakers(text, mentions, quotes) == _speakers_by_definition(text, mentions, quotes)
