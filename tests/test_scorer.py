"""Scores, lean and per-party stance, including the articles that must read neutral."""

import json
import os
import shutil

import pytest

from framing import InputError, Scorer, score
from framing.scorer import MARKUP

from .conftest import DATA, SEED


def test_partisan_leans_and_quotes_are_separate(mini):
    s = mini.score("قصفت ميليشيات الوفاق ومرتزقتها الأحياء. وتقدمت قوات الجيش الوطني الليبي الباسلة.")
    assert s.lean == "lna"
    assert s.parties["gna"].stance == "unfavorable"
    assert s.sides["lna"] > 0 and s.sides["gna"] == 0


def test_wire_quoting_both_spokesmen_has_no_lean(mini):
    text = ("وقال المسماري: «ميليشيات الوفاق ومرتزقتها هاجمت مواقعنا». "
            "وقال قنونو: «ميليشيات حفتر ومرتزقة فاغنر قصفت الأحياء». ودعت الأمم المتحدة إلى التهدئة.")
    s = mini.score(text)
    # both camps are named, neither is framed by the narrator; two-sided sourcing is wire practice
    assert s.lean is None and s.basis is None
    assert s.parties["lna"].stance == s.parties["gna"].stance == "neutral"
    assert s.all_voices.lean is None  # balanced even counting the quotes
    assert s.all_voices.parties["gna"].unfavorable > 0 and s.all_voices.parties["lna"].unfavorable > 0


def test_quoted_vocabulary_is_not_the_outlets_lean(mini):
    text = ("وزعم المسماري أن «قوات الجيش الوطني الليبي الباسلة طردت ميليشيات ما يسمى بالوفاق الإرهابية». "
            "وتواصل ميليشيات حفتر عدوانها على طرابلس.")
    s = mini.score(text)
    assert s.lean == "gna"
    assert s.all_voices.sides["lna"] > s.sides["lna"]


def test_weak_naming_alone_is_neutral(mini):
    s = mini.score("التقى المشير خليفة حفتر وفدا أمميا في بنغازي.")
    assert s.lean is None and s.parties["lna"].stance == "neutral"
    assert s.parties["lna"].favorable == 0.5
    # a party never mentioned has no stance at all
    assert s.parties["gna"].stance is None


def test_condemning_both_is_unfavorable_to_both_without_lean(mini):
    s = mini.score("ارتكبت ميليشيات حفتر جرائم في الأحياء. كما ارتكبت ميليشيات الوفاق انتهاكات في ترهونة.")
    assert s.parties["lna"].stance == "unfavorable" and s.parties["gna"].stance == "unfavorable"
    assert s.lean is None


def test_balanced_evidence_is_neutral(mini):
    s = mini.score("تقدمت قوات الجيش الوطني الليبي الباسلة. وقصفت ميليشيات حفتر الحي.")
    assert s.parties["lna"].stance == "neutral"


def test_foreign_backer_counts_for_the_other_side(mini):
    s = mini.score("وصل مرتزقة فاغنر إلى الجفرة. وندد الجميع بالنظام التركي وتدخله.")
    assert s.parties["russia"].unfavorable == 1 and s.parties["turkey"].unfavorable == 1
    assert s.sides["gna"] == s.sides["lna"] > 0


def test_thresholds_are_parameters():
    strict = Scorer(DATA / "mini", lean_min_evidence=100)
    assert strict.score("قصفت ميليشيات حفتر الأحياء وميليشيات حفتر الأخرى.").lean is None


def test_to_dict_contract(mini):
    text = "قصفت ميليشيات حفتر الأحياء."
    d = mini.score(text, meta={"id": "a1", "outlet": "X"}).to_dict()
    json.dumps(d)
    assert {"id", "outlet", "words", "lean", "sides", "parties", "matches", "all_voices"} <= set(d)
    assert set(d["parties"]["lna"]) >= {"favorable", "unfavorable", "net"}
    for m in d["matches"]:
        assert {"start", "end", "text", "term", "kind", "target", "polarity", "category", "voice"} <= set(m)
        assert text[m["start"]:m["end"]] == m["text"]


def test_no_arabic_is_a_warning_not_a_crash(mini):
    s = mini.score("Plain English text about nothing.")
    assert s.warnings and not s.matches and s.lean is None


# Markup a crawl left in: a tag warns (the text is still scored as given); what only looks like
# one does not, nor does a character reference, which is read as its character (test_normalize).
@pytest.mark.parametrize("text, warned", [
    ("<p>قصفت الميليشيات المدينة</p>", True),
    ("قصفت الميليشيات<br/>المدينة", True),
    ('قصفت <span class="x">الميليشيات</span> المدينة', True),
    ("قصفت الميليشيات&nbsp;المدينة", False),
    ("قال إن &quot;الميليشيات&quot; قصفت المدينة", False),
    ("قصفت الميليشيات المدينة &#1604;", False),
    ("قصفت الميليشيات المدينة &#x644;", False),
    ("قصفت الميليشيات المدينة", False),
    ("قال إن <<الميليشيات>> قصفت المدينة", False),  # ASCII angles as quotation marks
    ("ارتفع العدد من 3 < 5 خلال يومين", False),
    ("شركة AT&T وبرنامج R&D في المدينة", False),
    ("قصفت الميليشيات المدينة & الضواحي", False),
])
def test_markup_left_by_a_crawl_is_a_warning(mini, text, warned):
    s = mini.score(text)
    assert (MARKUP in s.warnings) is warned


@pytest.mark.parametrize("bad", ["", "   \n", "\u00a0\u3000\t", None, 42])
def test_empty_or_non_text_is_an_error(mini, bad):
    with pytest.raises(InputError):
        mini.score(bad)


def test_a_zero_width_space_is_a_text(mini):
    # str.strip leaves it, so it is a text (one word to str.split), not an empty one.
    assert mini.score("\u200b").words == 1


@pytest.mark.skipif(not SEED.exists(), reason="the user's example lives in ../shared/seed")
def test_seed_article_reads_as_a_careful_reader_would():
    text = SEED.read_text(encoding="utf-8")
    s = score(text)
    assert s.lean == "lna"
    assert s.parties["lna"].stance == "favorable"
    assert s.parties["gna"].stance == "unfavorable"
    assert s.parties["turkey"].stance == "unfavorable"
    surfaces = {m.text for m in s.matches}
    for loaded in ["لميليشيات", "ومرتزقتها", "الباسلة", "المليشيات", "الإرهابيين", "ما يسمى بالوفاق", "النظام التركي"]:
        assert any(loaded in x for x in surfaces), loaded
    assert all(m.target for m in s.matches if m.kind == "evaluative" and "ميليشيات" in m.term)


@pytest.mark.parametrize("text,lean", [
    ("قصفت ميليشيات حفتر الأحياء.", "gna"),                  # one ordinary piece of evidence (1.0) is enough
    ("التقى المشير خليفة حفتر وفدا أمميا.", None),           # one weak naming choice (0.5) is not
    ("قصفت ميليشيات حفتر الأحياء وقصفت ميليشيات الوفاق المطار.", None),  # balanced
])
def test_lean_rule(mini, text, lean):
    assert mini.score(text).lean == lean


def test_shared_scorer_sees_an_edited_lexicon(tmp_path):
    lexicon = tmp_path / "edited"
    shutil.copytree(DATA / "mini", lexicon)
    text = "قصفت ميليشيات حفتر الأحياء."
    assert score(text, lexicon=str(lexicon)).parties["lna"].unfavorable > 0
    terms = lexicon / "terms.tsv"
    kept = [line for line in terms.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("ميليشيات")]
    terms.write_text("".join(kept), encoding="utf-8")
    later = terms.stat().st_mtime_ns + 10**9  # a coarse file-system clock could miss a quick edit
    os.utime(terms, ns=(later, later))
    assert score(text, lexicon=str(lexicon)).parties["lna"].unfavorable == 0


def test_make_match_is_match():
    # The fast constructor the scorer uses (compiled, or its Python twin) takes every field of
    # Match in order and sets each under its own name.
    from dataclasses import fields

    from framing.results import Match, make_match

    names = [f.name for f in fields(Match)]
    values = {name: f"v{k}" for k, name in enumerate(names)}
    made = make_match(*values.values())
    assert made == Match(**values) and all(getattr(made, n) == v for n, v in values.items())
    with pytest.raises(AttributeError):
        made.start = 3


READINGS = [
    # (text, lean, basis): the narrator first; one-sided sourcing next, at half weight
    ("قصفت ميليشيات الوفاق ومرتزقتها الأحياء.", "lna", "narrator"),
    # an article built from one camp's statements: the outlet's sourcing is its framing
    ("وقال المسماري: «طردنا ميليشيات الوفاق ومرتزقتها». وأضاف أن «ميليشيات الوفاق فرت».", "lna", "sourcing"),
    # quoting both camps is wire practice: no lean
    ("وقال المسماري: «طردنا ميليشيات الوفاق ومرتزقتها». وقال قنونو: «صددنا ميليشيات حفتر ومرتزقتها».",
     None, None),
    # the narrator's own words outweigh a statement pointing the other way
    ("قصفت ميليشيات حفتر الأحياء مجددا. وقال المسماري: «طردنا ميليشيات الوفاق»", "gna", "narrator"),
    # a naming choice in reported speech is the outlet's own paraphrase
    ("وذكرت مصادر محلية أن قوات اللواء المتقاعد انسحبت.", "gna", "narrator"),
    # both camps quoted with loaded words is two-sided sourcing, however lopsided the words are
    ("وقال المسماري: «طردنا ميليشيات الوفاق ومرتزقتها وأوقفنا عدوانها». وقال قنونو: «هذه جرائم حفتر».",
     None, None),
    # a report or unnamed sources quoted are news, not a camp's statement
    ("وجاء في تقرير أممي أن «ميليشيات الوفاق ومرتزقتها أطلقت القذائف على الحي».", None, None),
    # the narrator condemning both camps and praising none leans to neither ...
    ("قصفت ميليشيات الوفاق الأحياء الشمالية، فيما ارتكبت ميليشيات حفتر جرائم في الجنوب.", None, None),
    # ... but praising one of them while condemning both is a lean
    ("قصفت ميليشيات الوفاق الأحياء، وارتكبت ميليشيات حفتر جرائم، ثم صدت قوات الوفاق الباسلة الهجوم.",
     "gna", "narrator"),
]


def test_weak_names_of_both_camps_cancel():
    """Wire copy names both camps their weak way; one camp's weak names alone add up."""
    both = score("التقى المشير خليفة حفتر وفدا. وزار المشير المعسكر مرتين. "
                 "ورحبت حكومة الوفاق المعترف بها دوليا بالخطوة.")
    assert both.lean is None and both.sides["lna"] == both.sides["gna"] == 0
    one = score("التقى المشير خليفة حفتر وفدا. وزار المشير المعسكر مرتين. وتفقد المشير الجبهة. "
                "وأشاد الجيش الوطني الليبي بالخطوة.")
    assert one.lean == "lna" and one.basis == "narrator"


@pytest.mark.parametrize("text,lean,basis", READINGS)
def test_reading(mini, text, lean, basis):
    s = mini.score(text)
    assert (s.lean, s.basis) == (lean, basis)
    assert s.to_dict()["basis"] == basis and s.to_dict()["lean"] == lean


def test_condemning_both_camps_keeps_both_stances(mini):
    s = mini.score("قصفت ميليشيات الوفاق الأحياء الشمالية، فيما ارتكبت ميليشيات حفتر جرائم في الجنوب.")
    assert s.lean is None and s.narrator.lean is None
    assert s.parties["lna"].stance == s.parties["gna"].stance == "unfavorable"


ARTICLE_DIRECTION = [
    # (text, target of the narrator's bare «الميليشيات»): quotes give the article a direction only
    # when the sourcing is one-sided
    (("وانتشرت الميليشيات في الضاحية. وقال المسماري: «ميليشيات الوفاق تقصف الأحياء وتطلق ميليشيات "
     "الوفاق القذائف»."), "gna"),
    (("وانتشرت الميليشيات في الضاحية. وقال المسماري: «ميليشيات الوفاق تقصف الأحياء وتطلق ميليشيات "
     "الوفاق القذائف». وقال قنونو: «ميليشيات حفتر هي المعتدية»."), None),
]


@pytest.mark.parametrize("text,target", ARTICLE_DIRECTION)
def test_two_sided_quotes_give_no_direction(mini, text, target):
    bare = mini.score(text).matches[0]
    assert bare.term == "ميليشيات" and bare.voice == "narrator"
    assert bare.target == target


def test_sourcing_counts_at_half_weight(mini):
    s = mini.score("وقال المسماري: «طردنا ميليشيات الوفاق ومرتزقتها».")
    assert s.narrator.lean is None and s.narrator.parties["gna"].unfavorable == 0
    assert s.parties["gna"].unfavorable == pytest.approx(s.all_voices.parties["gna"].unfavorable / 2)


def test_a_camp_stance_counts_its_backers(mini):
    """Evidence about Turkey is evidence about the GNA camp; Turkey's own figures stay its own."""
    s = mini.score("وندد الجميع بالنظام التركي وتدخله. وتواصل ميليشيات الوفاق القصف.")
    assert s.parties["turkey"].unfavorable == 1
    assert s.parties["gna"].unfavorable == 2 and s.parties["gna"].stance == "unfavorable"
    assert s.parties["lna"].stance is None


def test_weak_evidence_follows_the_lean(mini):
    """A weak name in an article that leans its way is part of the framing; otherwise neutral."""
    leaning = mini.score("تقدم المشير نحو المدينة. وفرت ميليشيات الوفاق ومرتزقتها.")
    assert leaning.lean == "lna" and leaning.parties["lna"].stance == "favorable"
    alone = mini.score("تقدم المشير نحو المدينة.")
    assert alone.lean is None and alone.parties["lna"].stance == "neutral"


SELF_NAMES = [
    # (text, target of «الجيش الليبي»): a name both camps give their own forces is the camp the
    # article's other naming favours, or the camp opposite the one it disparages
    ("تقدم الجيش الليبي نحو المدينة، وأكد الجيش الوطني الليبي أنه سيطر على المعسكر.", "lna"),
    ("تقدم الجيش الليبي نحو المدينة بعد انسحاب قوات حفتر منها.", "gna"),
    ("تقدم الجيش الليبي المرتبط بحكومة الوفاق نحو المدينة.", "gna"),  # its qualifier decides first
    # the army praising itself in its own statement is every outlet's quote; the narrator's own
    # naming is not
    ("تقدم الجيش الليبي نحو المدينة. وقال المسماري: «القائد العام أمر بالتقدم».", None),
    ("تقدم الجيش الليبي نحو المدينة بأمر من القائد العام.", "lna"),
    # no other naming, or naming that points both ways: unresolved
    ("تقدم الجيش الليبي نحو المدينة.", None),
    ("تقدم الجيش الليبي نحو المدينة، وقال المشير إن قوات حفتر ستنسحب.", None),
]


@pytest.mark.parametrize("text,target", SELF_NAMES)
def test_a_name_both_camps_use(text, target):
    m = next(m for m in score(text).matches if m.term == "الجيش الليبي")
    assert m.target == target


def test_wire_naming_makes_one_camps_statement_news():
    """An article that names both camps the wire's way reports a statement; one that does not, adopts it."""
    statement = "وقال المسماري: «طردنا ميليشيات الوفاق ومرتزقتها من المعسكر». "
    partisan = score(statement + "وتفقد المشير الجبهة.")
    assert (partisan.lean, partisan.basis) == ("lna", "sourcing")
    wire = score(statement + "وتفقد المشير الجبهة، فيما دعت حكومة الوفاق المعترف بها دوليا إلى التهدئة.")
    assert wire.lean is None and wire.basis is None


WEAK_AGAINST_A_CAMP = [
    # (text, GNA camp stance): «الطائرات التركية المسيرة» (weak) is an attack only in an article
    # that leans against the GNA
    (("قصفت ميليشيات حفتر ومرتزقته الأحياء، فردت قوات الوفاق بالطائرات التركية المسيرة، "
     "ثم حلقت الطائرات التركية المسيرة فوق المطار."), "neutral"),
    (("طردت قوات الجيش الوطني الليبي ميليشيات الوفاق ومرتزقتها، وأسقطت الطائرات التركية المسيرة "
     "فوق المطار، ثم أسقطت الطائرات التركية المسيرة فوق الميناء."), "unfavorable"),
]


@pytest.mark.parametrize("text,stance", WEAK_AGAINST_A_CAMP)
def test_weak_names_against_a_camp_follow_the_lean(text, stance):
    s = score(text)
    assert s.parties["gna"].unfavorable >= 1.0  # the evidence is there either way
    assert s.parties["gna"].stance == stance


def test_one_wire_qualifier_is_not_praise():
    s = score("قصفت ميليشيات حفتر ومرتزقته الأحياء. ورحبت حكومة الوفاق المعترف بها دوليا بالهدنة.")
    assert s.lean == "gna" and s.parties["gna"].favorable == 0.25
    assert s.parties["gna"].stance == "neutral"


@pytest.mark.parametrize("favorable, unfavorable", [
    (0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (0, 0),   # the zeros' shortcut: each as round() gives it
    (1.23456, 0.0), (0.0, 2.0004), (0.1 + 0.2, 0.3),  # must NOT take it: rounded to 3 places
])
def test_party_stance_to_dict_rounds_as_round_does(favorable, unfavorable):
    import json

    from framing.results import PartyStance

    got = PartyStance(favorable, unfavorable, 2, "neutral").to_dict()
    expected = {"favorable": round(favorable, 3), "unfavorable": round(unfavorable, 3),
                "net": round(favorable - unfavorable, 3), "mentions": 2, "stance": "neutral"}
    assert json.dumps(got) == json.dumps(expected)
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


# Scorer.matches let a value that is not text reach the normaliser, which raised a TypeError.
@pytest.mark.parametrize("text,found", [
    ("قصفت ميليشيات حفتر الأحياء السكنية.", 2),
    ("", 0),
    (None, "NoneType"),
    (float("nan"), "float"),
    (b"\xd9\x85", "bytes"),
    (7, "int"),
])
def test_matches_and_score_take_only_text(mini, text, found):
    if isinstance(found, int):
        assert len(mini.matches(text)) == found
        return
    for read in (mini.matches, mini.score):
        with pytest.raises(InputError, match=rf"^text must be a string\. Got {found} instead$"):
            read(text)
