"""Keyword in context: clitic-aware and normalised like the matcher, offsets into the original text."""

import json
import re

import pandas as pd
import pytest

from framing.cli import main
from framing.concordance import draw, kwic, lines
from framing.corpus import Record
from framing.errors import InputError

from .conftest import DATA

MINI = str(DATA / "mini")


def found(pattern, text, **kw):
    return [line.match for line in lines([Record(text, {"id": "x"}, "x")], pattern, lexicon=MINI, **kw)]


@pytest.mark.parametrize("pattern,text,expected", [
    ("حصار", "رفع الحصار عن المدينة.", ["الحصار"]),
    ("حصار", "تحدث السكان عن حصارهم الطويل وعن بحصار جديد.", ["حصارهم", "بحصار"]),
    ("حصار", "وللحصار ثمن يدفعه الأطفال.", ["وللحصار"]),
    ("حصار", "تعددت الحصارات على المدن.", []),             # «ات» is no enclitic
    ("حصار", "انحصار المياه عن الشاطئ.", []),              # inside another word
    ("هدنة", "خرق الهدنة مرتين ثم هدنتهم الثالثة.", ["الهدنة", "هدنتهم"]),
    ("هدنة", "تكررت الهدنات دون جدوى.", []),
    ("الهُدنة", "صمدت الهدنة أسبوعا.", ["الهدنة"]),        # diacritics in the pattern are normalised away
    ("هدنة", "صمدت الهُدنةُ أسبوعا.", ["الهُدنةُ"]),       # ... and in the text, kept in the match
    ("إعلان", "أصدر المجلس اعلانا ثم الإعلان الثاني.", ["اعلانا", "الإعلان"]),  # the accusative alef too
    ("إعلان", "أصدر المجلس إعلانات ثم إعلانيا.", []),
    ("اعلان", "نشر الإعلان.", ["الإعلان"]),                  # hamza forms are one
    ("وقف إطلاق النار", "دعا إلى وقف  اطلاق النار فورا.", ["وقف  اطلاق النار"]),
    ("ميليشيات", "طردت الأهالي والمليشيات من الحي.", ["والمليشيات"]),  # another spelling of the entry
    ("الوفاق", "ما يسمى بالوفاق أعلن الحداد.", ["بالوفاق"]),  # a pattern is found inside longer entries
])
def test_pattern_cases(pattern, text, expected):
    assert found(pattern, text) == expected


def test_offsets_slice_the_original_text():
    text = "قالت المصادرُ إن المليشـيات انسحبت،\nوإن الميليشياتِ الأخرى بقيت."
    got = list(lines([Record(text, {"id": "a"}, "f:1")], "ميليشيات", lexicon=MINI, width=12))
    assert [text[x.start:x.end] for x in got] == [x.match for x in got] == ["المليشـيات", "الميليشياتِ"]
    second = got[1]
    assert "\n" not in second.right and second.right.endswith("وإن ")  # context before the match
    assert second.left.startswith(" الأخرى") and (second.id, second.where) == ("a", "f:1")


@pytest.mark.parametrize("text, width, right, left", [
    ("اجتمعت الأطراف الليبية في مدينة جنيف لبحث الهدنة الدائمة بين الطرفين المتحاربين", 11,
     " جنيف لبحث ", " الدائمة "),                                  # a word cut on each side: dropped
    ("في جنيف لبحث الهدنة الدائمة بين", 10, "جنيف لبحث ", " الدائمة "),  # it starts between words: all kept
    ("لبحث الهدنة الدائمة", 40, "لبحث ", " الدائمة"),                 # the window holds the whole text
    ("الهدنة", 5, "", ""),                                          # nothing around the match
    ("الطرفين،لبحث الهدنة،الدائمة", 5, "لبحث ", "،"),                # punctuation ends a word as a space does
])
def test_context_drops_words_cut_by_the_window(text, width, right, left):
    (line,) = lines([Record(text, {}, "x")], "هدنة", lexicon=MINI, width=width)
    assert (line.right, line.left) == (right, left)


class _Watched:
    """A compiled pattern that records how many characters each call may read."""

    def __init__(self, pattern, spans):
        self.pattern, self.spans = pattern, spans

    def _call(self, method, string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        self.spans.append(end - pos)
        return getattr(self.pattern, method)(string, pos, end)

    def match(self, *args):
        return self._call("match", *args)

    def search(self, *args):
        return self._call("search", *args)

    def sub(self, replacement, string):
        self.spans.append(len(string))
        return self.pattern.sub(replacement, string)


@pytest.mark.parametrize("repeats", [1, 3, 2000])
def test_context_reads_only_its_window(monkeypatch, repeats):
    """Each line's context is found in its window: a search of the text before it made kwic's time
    grow with the square of an article's length (hours for a 1 MB article without paragraphs)."""
    from framing import concordance

    spans: list[int] = []
    for name, value in list(vars(concordance).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(concordance, name, _Watched(value, spans))
    text = "أعلنت الأطراف الهدنة ثم خرقت الهدنة " * repeats
    got = list(lines([Record(text, {}, "x")], "هدنة", lexicon=MINI, width=20))
    assert len(got) == 2 * repeats and spans and max(spans) <= 20


@pytest.mark.parametrize("text,target,rule,voice", [
    ("وصلت مرتزقة تركيا إلى المطار.", "turkey", "construct", "narrator"),
    ("جلب الطرفان مرتزقة من الخارج.", None, None, "narrator"),
    ("قال المسماري إن مرتزقة تركيا وصلوا.", "turkey", "construct", "quoted"),
])
def test_term_lines_carry_target_rule_and_voice(text, target, rule, voice):
    (line,) = lines([Record(text, {"id": "a"}, "x")], term="مرتزقة", lexicon=MINI)
    assert (line.target, line.rule, line.voice) == (target, rule, voice)
    assert line.source.endswith("terms.tsv:16") and line.term == "مرتزقة"


def test_term_lists_only_what_the_scorer_counts():
    text = "رفضت ما يسمى بالوفاق الاتفاق، وقالت حكومة الوفاق إنها ستدرسه."
    record = [Record(text, {}, "x")]
    assert [x.match for x in lines(record, term="الوفاق", lexicon=MINI)] == ["حكومة الوفاق"]
    assert [x.match for x in lines(record, "الوفاق", lexicon=MINI)] == ["بالوفاق", "حكومة الوفاق"]


@pytest.mark.parametrize("kwargs,message", [
    ({"pattern": ""}, "pattern must contain letters"),
    ({"pattern": "  ،  "}, "pattern must contain letters"),
    ({"pattern": "\u064e"}, "pattern must contain letters"),   # a lone fatha normalises to nothing
    ({"term": "سلام"}, "is no entry of lexicon mini"),
    ({}, "give a pattern or a lexicon term"),
    ({"pattern": "حفتر", "term": "حفتر"}, "give a pattern or a lexicon term"),
])
def test_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        list(lines([Record("نص", {}, "x")], lexicon=MINI, **kwargs))


def test_draw_is_seeded_and_keeps_corpus_order():
    text = " ".join(f"هدنة{i % 2 and 'ها' or ''}" for i in range(30))
    every = list(lines([Record(text, {}, "x")], "هدنة", lexicon=MINI))
    assert len(every) == 30
    a, b, c = draw(every, 5, seed=1), draw(iter(every), 5, seed=1), draw(every, 5, seed=2)
    assert a == b and a != c and len(a) == 5
    assert [x.start for x in a] == sorted(x.start for x in a)
    assert draw(every, 50) == every


def test_dataframe():
    df = kwic(pd.DataFrame({"id": ["p", "q"], "text": ["رفع الحصار.", "لا شيء هنا."]}), "حصار", lexicon=MINI)
    assert list(df.columns) == ["id", "where", "start", "end", "right", "match", "left"]
    assert df.to_dict("records") == [{"id": "p", "where": "row 0", "start": 4, "end": 10, "right": "رفع ",
                                      "match": "الحصار", "left": "."}]
    terms = kwic(pd.DataFrame({"text": ["وصلت مرتزقة تركيا."]}), term="مرتزقة", lexicon=MINI)
    assert terms.loc[0, "target"] == "turkey" and "rule" in terms.columns


def test_cli(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": "a", "text": "وصلت مرتزقة تركيا إلى المطار."}, {"id": "b", "text": "جلب الطرفان المرتزقة."}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert main(["kwic", "--term", "مرتزقة", str(corpus), "--lexicon", MINI]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("وصلت [مرتزقة] تركيا إلى المطار.\ttarget=turkey rule=construct voice=narrator")
    assert out[-1] == "2 occurrences in 2 articles"
    assert main(["kwic", "مرتزقة", str(corpus), "--lexicon", MINI, "--json", "--sample", "1", "--seed", "4"]) == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["id"] in ("a", "b") and "target" not in line
    assert main(["kwic", "", str(corpus), "--lexicon", MINI]) == 2
    assert "pattern must contain letters" in capsys.readouterr().err


@pytest.mark.parametrize("record, shown", [
    ({"id": 7}, 7),                # a number stays a number
    ({"id": None}, None),          # null stays null (was the string "None")
    ({"id": "a7"}, "a7"),          # unchanged: a string
    ({"id": "a\nb"}, "a\nb"),
    ({}, "c.jsonl:1"),             # unchanged: no id, the record's place
])
def test_cli_json_gives_the_id_as_score_json_does(tmp_path, capsys, record, shown):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({**record, "text": "وصلت مرتزقة تركيا إلى المطار."}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    assert main(["kwic", "مرتزقة", str(corpus), "--lexicon", MINI, "--json"]) == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert main(["score", str(corpus), "--lexicon", MINI, "--json", "--jobs", "1"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert line["id"] == (f"{corpus}:1" if shown == "c.jsonl:1" else shown)
    assert "id" not in record or line["id"] == scored["id"]


def test_top_level_function():
    import framing
    import framing.concordance  # importing the module must not hide the function

    assert framing.kwic is kwic
