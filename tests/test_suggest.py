"""`framing lexicon suggest`: clitic variants merged, what the lexicon has left out, rows to paste."""

import json

import pytest

from framing.cli import main
from framing.suggest import clitic_families, suggest

from .conftest import DATA

MINI = str(DATA / "mini")
# Group east calls the rulers «الطغمة» in several clitic spellings and «المتقاعد» (a piece of the
# mini lexicon's «اللواء المتقاعد»); group west writes about the city.
EAST = ["نددت الصحيفة بممارسات الطغمة في العاصمة وقالت إن المتقاعد يقود البلاد إلى الهاوية.",
        "واتهمت الطغمة بسرقة أموال الشعب، وحملت الطغمة مسؤولية انقطاع الكهرباء.",
        "دعا الأهالي إلى التصدي للطغمة التي تحكم بالحديد والنار، مؤكدين أن المتقاعد فقد صوابه.",
        "والطغمة لا تعرف إلا لغة القوة، بحسب بيان الاتحاد الطلابي عن ميليشيات الطغمة.",
        "طالب المحتجون برحيل الطغمة وأعوانها، وهتفوا ضد المتقاعد في الساحة.",
        "قال الكاتب إن طغمتها تخشى صوت الشارع، وإن المتقاعد يعيش في عزلة مع الطغمة."]
WEST = ["افتتحت البلدية سوقا جديدا للخضار في وسط المدينة بحضور عدد من الأهالي.",
        "أعلنت وزارة التعليم موعد الامتحانات النهائية لطلاب الثانوية في المدينة.",
        "استأنفت شركة الكهرباء أعمال الصيانة في محطة التوليد شرق المدينة.",
        "نظمت جمعية خيرية حملة للتبرع بالدم في المستشفى المركزي بالمدينة.",
        "شهدت المدينة أمطارا غزيرة أدت إلى إغلاق بعض الطرق الفرعية.",
        "احتفل تلاميذ المدرسة بيوم الشجرة بزراعة مئات الشتلات في المدينة."]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("suggest") / "c.jsonl"
    rows = [{"id": f"e{i}", "side": "east", "text": t} for i, t in enumerate(EAST * 3)]
    rows += [{"id": f"w{i}", "side": "west", "text": t} for i, t in enumerate(WEST * 3)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("terms,term,head", [
    (["قوات", "لقوات", "للقوات"], "للقوات", "قوات"),
    (["قوات", "لقوات", "للقوات"], "لقوات", "قوات"),
    (["قوات", "وبقواتهم"], "وبقواتهم", "قوات"),
    (["القوات", "للقوات", "والقوات"], "والقوات", "القوات"),
    (["الهدنه", "هدنتها"], "هدنتها", "الهدنه"),          # ة is ت before a pronoun
    (["هدنه", "هدنتهم"], "هدنتهم", "هدنه"),
    (["قوات", "قواته"], "قواته", "قواته"),               # a final ه may be ة: no pronoun
    (["قوات", "قوافل"], "قوافل", "قوافل"),
    (["قوات", "قواتكو"], "قواتكو", "قواتكو"),            # «كو» is no pronoun
    (["وقف النار", "ووقف النار"], "ووقف النار", "وقف النار"),
])
def test_clitic_families(terms, term, head):
    assert clitic_families(terms)[term] == head


def test_candidates(corpus):
    result = suggest(corpus, "side", ["east", "west"], lexicon=MINI, top=5)
    groups, candidates = result.groups, result.candidates
    assert groups == ("east", "west") and result.skips == ()
    by_term = {c.display: c for c in candidates}
    assert set(by_term) == {"الطغمة", "المدينة"}
    tyranny = by_term["الطغمة"]
    # 18 «الطغمة» + 3 «للطغمة» + 3 «والطغمة» + 3 «طغمتها»: one candidate
    assert (tyranny.group, tyranny.count_a, tyranny.count_b) == ("east", 27, 0) and tyranny.z > 1.96
    assert set(tyranny.variants.split(" | ")) == {"الطغمه 18", "للطغمه 3", "والطغمه 3", "طغمتها 3"}
    assert len(tyranny.context) == 3 and all("[الطغمة]" in line for line in tyranny.context)
    assert by_term["المدينة"].group == "west" and by_term["المدينة"].z < -1.96
    assert candidates[0].display == "الطغمة"  # the first group's candidates come first


def test_known_vocabulary_is_not_new(corpus):
    shown = {c.term for c in suggest(corpus, "side", ["east", "west"], lexicon=MINI, top=50).candidates}
    # «المتقاعد» is a piece of «اللواء المتقاعد»; «ميليشيات الطغمة» contains an entry
    assert not shown & {"المتقاعد", "ان المتقاعد", "ميليشيات", "ميليشيات الطغمه"}


def test_cli_tsv_rows_paste_into_terms(corpus, capsys):
    assert main(["lexicon", "suggest", corpus, "--by", "side", "--groups", "east", "west", "--lexicon", MINI]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line and not line.startswith("#")]
    # term, then 7 empty columns of terms.tsv; «طغمتها» is indefinite, so the entry drops «ال»
    assert rows == ["طغمة" + "\t" * 7, "المدينة" + "\t" * 7]
    assert any(line.startswith("# typical of east: z +") for line in out)
    assert main(["lexicon", "suggest", corpus, "--by", "side", "--lexicon", MINI, "--json"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["display"] == "الطغمة" and first["count_a"] == 27


@pytest.mark.parametrize("args,message", [
    (["--by", "colour"], "no field 'colour' in the corpus; fields are: where, id, side, text"),
    (["--by", "side", "--groups", "east", "north"], "no articles with side = 'north'"),
])
def test_bad_arguments(corpus, capsys, args, message):
    assert main(["lexicon", "suggest", corpus, "--lexicon", MINI, *args]) == 2
    assert message in capsys.readouterr().err


def test_articles_without_a_value_are_the_group_compare_names_missing(tmp_path, capsys):
    path = tmp_path / "c.jsonl"
    rows = [{"id": f"e{i}", "side": "east", "text": t} for i, t in enumerate(EAST * 3)]
    rows += [{"id": f"w{i}", "text": t} for i, t in enumerate(WEST * 3)]  # no side
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = suggest(str(path), "side", ["east", "(missing)"], lexicon=MINI, top=5)
    assert result.groups == ("east", "(missing)")
    assert {(c.display, c.group) for c in result.candidates} == {("الطغمة", "east"), ("المدينة", "(missing)")}
    assert main(["lexicon", "suggest", str(path), "--by", "side", "--groups", "east", "(missing)",
                 "--lexicon", MINI]) == 0
    out = capsys.readouterr().out
    assert "east (count_a) against (missing) (count_b)" in out and "# typical of (missing): z -" in out
