"""The shipped Libya 2019-2020 lexicon on sentences written for the test: what it must read, and
what it must leave alone."""

import pytest

from framing import score

READS = [
    # (text, surface, kind, target, polarity, weight, voice)
    # a loaded word is not a side
    ("قصفت ميليشيات الوفاق الأحياء الجنوبية.", "ميليشيات", "evaluative", "gna", "unfavorable", 1.5, "narrator"),
    ("قصفت ميليشيات حفتر الأحياء الجنوبية.", "ميليشيات", "evaluative", "lna", "unfavorable", 1.5, "narrator"),
    # the Kaniyat's common name is a weak signal, not a free choice of «ميليشيات»
    ("انسحبت مليشيا الكانيات من ترهونة.", "مليشيا الكانيات", "naming", "lna", "unfavorable", 0.5, "narrator"),
    # wire copy's 'self-proclaimed' is weak distancing
    ("تقدمت قوات الجيش الوطني الليبي الذي أعلن نفسه نحو سرت.", "الذي أعلن نفسه", "evaluative", "lna",
     "unfavorable", 0.5, "narrator"),
    # a self-description is the subject's claim
    ("إن حكومة تقدم نفسها بوصفها الحكومة الشرعية تمنع التظاهر.", "الحكومة الشرعية", "naming", "gna",
     "favorable", 1.0, "quoted"),
    # what a report documents is the report's account; the agent clause names the perpetrator
    ("وثق التقرير أعمال نهب وحرق نفذتها مجموعات تابعة لحكومة الوفاق.", "نهب", "evaluative", "gna",
     "unfavorable", 1.0, "quoted"),
]

LEAVES_ALONE = [
    # (text, surface that must not be scored as evidence)
    ("يحتجز مئات المهاجرين في مراكز جهاز مكافحة الهجرة غير الشرعية.", "غير الشرعية"),
    ("دعا المبعوث إلى روح الوفاق بين الليبيين.", "الوفاق"),
    ("رحبت الحكومة الشرعية في اليمن بالاتفاق.", "الحكومة الشرعية"),
]


@pytest.mark.parametrize("text,surface,kind,target,polarity,weight,voice", READS)
def test_reads(text, surface, kind, target, polarity, weight, voice):
    found = [m for m in score(text).matches if m.text == surface]
    assert len(found) == 1, [(m.text, m.kind) for m in score(text).matches]
    m = found[0]
    assert (m.kind, m.target, m.polarity, m.weight, m.voice) == (kind, target, polarity, weight, voice)


@pytest.mark.parametrize("text,surface", LEAVES_ALONE)
def test_leaves_alone(text, surface):
    assert not [m for m in score(text).matches if surface in m.text], score(text).matches


def test_wire_sentence_naming_both_has_no_lean():
    s = score("التقى المشير خليفة حفتر، قائد الجيش الوطني الليبي الذي أعلن نفسه، وفدا أمميا، فيما دعت "
              "حكومة الوفاق المعترف بها دوليا إلى وقف القتال.")
    assert s.lean is None
    assert s.parties["lna"].stance in (None, "neutral")


def test_monitor_condemning_both_camps_in_its_own_voice():
    s = score("وثق فريقنا أعمال نهب وحرق منازل نفذتها مجموعات تابعة لحكومة الوفاق في ترهونة. كما وثقنا "
              "قصفا عشوائيا نفذته قوات حفتر على أحياء مأهولة في طرابلس، وهي جرائم يجب أن يحاسب عليها الطرفان.")
    assert s.lean is None  # balanced: no side
    assert (s.parties["lna"].stance, s.parties["gna"].stance) == ("unfavorable", "unfavorable")
    assert all(m.voice == "narrator" for m in s.matches)  # «وثق فريقنا» is the monitor's own voice
