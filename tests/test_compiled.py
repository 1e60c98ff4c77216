"""The compiled core (``setup.py``: ``framing/_core.pyx`` and the pipeline's modules compiled as they
are) gives exactly what the Python modules give, and is the one in use.

The Python path runs in a child process with ``FRAMING_PURE_PYTHON=1`` (``framing/_python_only.py``:
each compiled module is loaded from its ``.py`` source), so that the same articles go through both
pipelines and the JSON lines are compared byte for byte.
"""

import ast
import json
import os
import random
import subprocess
import sys
from dataclasses import fields
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing import Scorer
from framing import matcher as matcher_module
from framing.normalize import normalize
from framing.results import Match

from .conftest import DATA, ROOT
from .test_libya_lexicon import OBJECTS, SELF_NAMED_SPEAKERS, SOURCE_SPEAKERS

DEMO = sorted((ROOT / "framing" / "data" / "demo").glob("*.jsonl"))


def compiled_sources() -> list[Path]:
    """The sources ``setup.py`` compiles (read from it, so that a module added there is checked here)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMPILED" for t in node.targets):
            return [ROOT / value for value in ast.literal_eval(node.value)]
    raise AssertionError("setup.py has no COMPILED list")


def module_name(source: Path) -> str:
    return ".".join(source.relative_to(ROOT).with_suffix("").parts)


def run_pure(code: str, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """``code`` in a child process that runs the Python modules (``FRAMING_PURE_PYTHON``), with
    ``input`` on its standard input."""
    env = {**os.environ, "FRAMING_PURE_PYTHON": "1"}
    return subprocess.run([sys.executable, "-c", code, *args], input=input, capture_output=True, check=False, cwd=ROOT,
                          env=env)


def test_every_compiled_module_is_the_one_imported():
    # Without a C compiler the install still works (the Python modules run); this suite is run
    # where the package is built as shipped, so a missing extension is a failed build.
    for source in compiled_sources():
        module = sys.modules.get(module_name(source)) or __import__(module_name(source), fromlist=["_"])
        assert Path(module.__file__).name.endswith(tuple(EXTENSION_SUFFIXES)), (
            f"{module_name(source)} runs from {module.__file__}: the compiled module was not built "
            f"(pip install -e . needs a C compiler)")


def test_no_compiled_module_is_older_than_its_source():
    # An editable install compiles once: a .py edited since runs its old compiled self.
    for source in compiled_sources():
        built = [p for p in source.parent.glob(source.stem + ".*") if p.name.endswith(tuple(EXTENSION_SUFFIXES))]
        assert built, f"{source.name} has no compiled module"
        assert max(p.stat().st_mtime for p in built) >= source.stat().st_mtime, (
            f"{source.name} changed after it was compiled: run pip install -e . again")


def test_the_child_process_really_runs_python():
    out = run_pure("import framing.matcher as m, framing.scorer as s; print(m._core, s.__file__)").stdout.split()
    assert out[0] == b"None" and out[1].endswith(b"scorer.py")


def _texts(lexicon, n, seed):
    """Articles put together from the lexicon's own spellings, with clitics, quotations,
    headlines, digits and rare characters: every path of the matcher and the voice rules."""
    rng = random.Random(seed)
    spellings = [v for e in lexicon.entries for v in e.variants]
    glue = ["قال", "وأضاف", "أكد", "إن", "أن", "في", "على", "من", "الذي", "التي", "المتحدث", "مصادر", "بحسب",
            "ضد", "،", ".", ":", "«", "»", "“", "”", "\n", "2019", "٢٠٢٠", "\t", "\u00a0", "ـ", "ة", "ه"]
    pre = ["", "", "", "و", "ب", "ل", "ال", "وال", "بال", "فال", "لل", "ك"]
    post = ["", "", "", "ه", "ها", "هم", "نا", "ي", "ت", "ين", "ون", "ية"]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(1, 250)):
            if rng.random() < 0.45:
                words.append(rng.choice(pre) + rng.choice(spellings) + rng.choice(post))
            else:
                words.append(rng.choice(glue))
        out.append(" ".join(words) + " " + rng.choice(spellings))  # never blank: a blank text stops the run
    return out


def _corpus_lines(tmp_path, texts) -> Path:
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for k, text in enumerate(texts):
            f.write(json.dumps({"id": k, "text": text}, ensure_ascii=False) + "\n")
    return path


# The statement's first two words, read in C (TargetRules._source_subject) as attach.source_subject
# reads them with a regular expression: other spaces between them, a digit that is not a decimal
# one, a word of no letter, «نقل» (whose source the Python rule finds).
SOURCE_SUBJECTS = [
    "وقال المسماري: «قواتنا تتقدم».\nكشفت\tصحيفة أمريكية أن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nقالت\u2003وكالة محلية إن المرتزقة وصلوا.",
    "وقال المسماري: «قواتنا تتقدم».\nقالت\nصحيفة أمريكية إن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nقالت² صحيفة أمريكية إن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nقالت صحيفة² أمريكية إن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nقالت 2020 صحيفة أمريكية إن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nتقرير أممي يكشف أن المرتزقة وصلوا.",
    "وقال المسماري: «قواتنا تتقدم».\nونقلت الصحيفة عن مراقبين أن الميليشيات فرت.",
    "وقال المسماري: «قواتنا تتقدم».\nوأضاف أن الميليشيات فرت.",
]


# HTML character references a crawl left: read as their characters (framing.normalize), the
# offsets mapped back through them; «&#1577;» is a teh marbuta the scan reads from the original.
CRAWLED = [
    "وقال المسماري إن &quot;الميليشيات الإرهابية&quot; قصفت المدينة&#46; وأضاف&#58; &laquo;قواتنا الباسلة تتقدم&raquo;",
    "قصفت ميليشيات&nbsp;حفتر &nbsp; الأحياء&amp;المدارس، في غزو&#1577; جديدة لمرتزقت&#1607;م.",
    "&#1602;&#1589;&#1601;&#1578; &#1605;&#1604;&#1610;&#1588;&#1610;&#1575;&#1578; &#x62D;&#x641;&#x62A;&#x631; طرابلس",
]


@pytest.mark.parametrize("lexicon", [None, DATA / "mini", DATA / "three"])
def test_cli_output_is_the_same_byte_for_byte(tmp_path, lexicon):
    scorer = Scorer(lexicon)
    texts = _texts(scorer.lexicon, 150, seed=7)
    texts += [json.loads(line)["text"] for path in DEMO for line in path.open(encoding="utf-8")][:200]
    # paths random text seldom takes
    texts += [text for text, _surface, _speaker in SELF_NAMED_SPEAKERS + SOURCE_SPEAKERS + OBJECTS]
    texts += SOURCE_SUBJECTS + CRAWLED
    corpus = _corpus_lines(tmp_path, texts)
    argv = ["score", str(corpus), "--json", "--jobs", "1"] + ([] if lexicon is None else ["--lexicon", str(lexicon)])
    compiled = subprocess.run([sys.executable, "-m", "framing", *argv], capture_output=True, check=False)
    python = run_pure("import sys; from framing.cli import run; sys.argv[0] = 'framing'; run()", *argv)
    assert compiled.stdout == python.stdout
    assert (compiled.returncode, compiled.stderr) == (python.returncode, python.stderr)
    assert compiled.returncode == 0 and compiled.stdout.count(b"\n") == len(texts)


# A lexicon of three sides with a name every camp gives itself and two bare words: the camp a
# self-named statement's words say is the side they praise, or the one side their attacks count for.
SELF_NAMED_THREE = (
    "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\tbare\n"
    "حفتر\tactor\tlna\t\t\t\t\tHaftar\t\n"
    "الوفاق\tactor\tgna\t\t\t\t\tGNA\t\n"
    "قوات الجنوب\tactor\tsouth\t\t\t\t\tSouthern Forces\t\n"
    "الجيش الليبي\tevaluative\t\tfavorable\tadj\tlegitimacy\t0.5\tevery camp's name for its army\t\n"
    "ميليشيات\tevaluative\t\tunfavorable\tnoun\tcriminality\t1.5\tmilitias\tgna\n"
    "أبطال\tevaluative\t\tfavorable\tnoun\theroism\t1.5\theroes\tsouth\n"
)


@pytest.mark.parametrize("text, surface, speaker", [
    # praise of one side's forces says that side speaks
    ("أعلن الجيش الليبي أن الأبطال تقدموا نحو الحي.", "الأبطال", "south"),
    ("قال حفتر إن قواته تتقدم.\nالجيش الليبي: الأبطال تقدموا نحو الحي", "الأبطال", "south"),
    # with three sides an attack on the GNA counts for two of them: it says no camp
    ("أعلن الجيش الليبي أن الميليشيات قصفت الحي.", "الميليشيات", None),
])
def test_a_self_named_statement_is_read_alike_with_three_sides(tmp_path, text, surface, speaker):
    lexicon = tmp_path / "three-named"
    lexicon.mkdir()
    (lexicon / "parties.tsv").write_bytes((DATA / "three" / "parties.tsv").read_bytes())
    (lexicon / "terms.tsv").write_text(SELF_NAMED_THREE, encoding="utf-8")
    found = [m for m in Scorer(lexicon).matches(text) if m.text == surface]
    assert [(m.voice, m.speaker) for m in found] == [("quoted", speaker)]
    argv = ["score", "-", "--json", "--lexicon", str(lexicon)]
    compiled = subprocess.run([sys.executable, "-m", "framing", *argv], input=text.encode(), capture_output=True,
                              check=False)
    python = run_pure("from framing.cli import run; run()", *argv, input=text.encode())
    assert compiled.returncode == 0 and compiled.stdout == python.stdout


def compiled_and_python(lexicon):
    """Two matchers of ``lexicon``: the compiled scan's, and the Python twin's (as without a C compiler)."""
    compiled = matcher_module.Matcher(lexicon)
    saved, matcher_module._core = matcher_module._core, None
    try:
        python = matcher_module.Matcher(lexicon)
    finally:
        matcher_module._core = saved
    assert type(compiled._scanner).__name__ == "CompiledScan" and type(python._scanner).__name__ == "PythonScan"
    return compiled, python


def found(matcher, norm):
    """``matcher.find(norm)`` with its hits as a list (the compiled scan's are a ``Hits``, read
    as the same tuples)."""
    hits, markers = matcher.find(norm)
    return list(hits), markers


@pytest.fixture(scope="module")
def both_matchers():
    return compiled_and_python(Scorer().lexicon)


PIECES = ["ميليشيات", "الوفاق", "حفتر", "قوات", "المرتزقة", "قال", "ة", "ه", "ها", "ت", "و", "ال", "لل", " ", "\n",
          "«", "»", ":", "،", ".", "2", "٣", "_", "ـ", "²", "a", "\u00a0", "ﻻ", "😀"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_find_is_the_same_for_any_text(both_matchers, text):
    compiled, python = both_matchers
    norm = normalize(text) if text.strip() else None
    if norm is not None:
        assert found(compiled, norm) == found(python, norm)


@pytest.mark.parametrize("case", [
    "",                                   # nothing
    "ميليشيات",                            # one word, the whole text
    "والميليشيات الإرهابية التابعة لحفتر",  # proclitics, adjective, affiliation
    "مرتزقتها ومرتزقته",                    # teh marbuta before an enclitic
    "غزوة",                                # must NOT match: a teh marbuta is no enclitic
    "الميليشياتية",                        # must NOT match: a longer word
    "قال المسماري: «قواتنا الباسلة»",      # markers and quotation marks
    "نقلوا إرهابيي داعش وأبطالي",           # a plural in construct has no enclitic; «أبطالي» has «ي»
])
def test_find_is_the_same_on_hand_picked_cases(both_matchers, case):
    compiled, python = both_matchers
    if case:
        assert found(compiled, normalize(case)) == found(python, normalize(case))


# Spellings that compete for the same words: an entry's own form and another's cliticised one
# («الوفاق», «وفاق» + «ال»), a form and another plus an enclitic («الانقلابي», «انقلاب» + «ي»), a
# phrase and the words inside it, an ignore phrase, a teh marbuta, a form starting with «ل».
TIES = [
    "وفاق\tevaluative\t\tfavorable\tnoun\tlegitimacy\t1\tconsensus",
    "الوفاق\tactor\tgna\t\t\t\t\tGNA",
    "انقلاب\tevaluative\t\tunfavorable\tnoun\tviolence\t1\tcoup",
    "الانقلابي\tevaluative\t\tunfavorable\tadj\tviolence\t1\tputschist",
    "مرتزقة\tevaluative\t\tunfavorable\tnoun\tforeign_backing\t1\tmercenaries",
    "ليبي\tactor\tlna\t\t\t\t\tLibyan",
    "الليبي\tactor\tlna\t\t\t\t\tthe Libyan",
    "قوات\tevaluative\t\tunfavorable\tnoun\tviolence\t1\tforces",
    "قوات الوفاق\tactor\tgna\t\t\t\t\tGNA forces",
    "روح الوفاق\tignore\t\t\t\t\t\tspirit of consensus",
]


@pytest.fixture(scope="module", params=["in order", "reversed"])
def tie_matchers(request, tmp_path_factory):
    """The compiled and Python matchers of TIES, whose rows in either order (which spelling wins
    a word can depend on it)."""
    directory = tmp_path_factory.mktemp("ties")
    (directory / "parties.tsv").write_bytes((DATA / "mini" / "parties.tsv").read_bytes())
    rows = TIES if request.param == "in order" else TIES[::-1]
    header = "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
    (directory / "terms.tsv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    lexicon = Scorer(directory).lexicon
    return (*compiled_and_python(lexicon), lexicon, request.param)


def _terms(matcher, lexicon, text):
    """The matches of ``text`` as ``(term, matched text, enclitic, definite)``."""
    norm = normalize(text)
    return [(lexicon.entries[i].term, norm.text[a:b], suffix, definite) for a, b, i, suffix, definite
            in matcher.find(norm)[0]]


@pytest.mark.parametrize("text, expected", [
    # An entry's own form beats a cliticised spelling of another, whatever their order; between
    # two cliticised spellings, the first row wins.
    ("الوفاق", [("الوفاق", "الوفاق", "", True)]),
    ("الليبي", [("الليبي", "الليبي", "", True)]),
    ("والوفاق", {"in order": [("وفاق", "والوفاق", "", True)], "reversed": [("الوفاق", "والوفاق", "", True)]}),
    ("لليبي", {"in order": [("ليبي", "لليبي", "", False)], "reversed": [("الليبي", "لليبي", "", True)]}),
    ("وفاق ووفاق", [("وفاق", "وفاق", "", False), ("وفاق", "ووفاق", "", False)]),
    # Same span: the reading without an enclitic first.
    ("الانقلابي", [("الانقلابي", "الانقلابي", "", True)]),
    ("انقلابي وبانقلابهما", [("انقلاب", "انقلابي", "ي", False), ("انقلاب", "وبانقلابهما", "هما", False)]),
    ("مرتزقتها", [("مرتزقة", "مرتزقتها", "ها", False)]),
    # Longest first; an ignore phrase hides the words inside it and is not reported.
    ("قوات الوفاق", [("قوات الوفاق", "قوات الوفاق", "", False)]),
    ("روح الوفاق قوات", [("قوات", "قوات", "", False)]),
    # Must NOT match: a proclitic the spelling may not take, a key inside a word, a suffix that
    # is no enclitic, a teh marbuta read as «ه», the «ت» form alone, five letters of proclitics.
    ("لالوفاق الالوفاق ببوفاق", []),
    ("سالوفاق استانقلاب زقوات", []),
    ("انقلابكو انقلابات انقلابيون", []),
    ("انقلابة مرتزقت", []),
    ("وفكالانقلاب", []),
])
def test_tie_breaks_and_proclitics_are_the_same_in_c_and_python(tie_matchers, text, expected):
    compiled, python, lexicon, order = tie_matchers
    expected = expected[order] if isinstance(expected, dict) else expected
    assert _terms(compiled, lexicon, text) == _terms(python, lexicon, text) == expected
    assert found(compiled, normalize(text)) == found(python, normalize(text))


@pytest.mark.parametrize("text", [
    "a b",                                    # one byte a character: no key can be there
    "😀الوفاق 😀انقلابي😀 وفاق😀",             # four bytes a character; an emoji is no letter
    "انقلاب2 انقلاب٣ انقلاب_ها\tالوفاق\tانقلاب²",  # digits, an underscore, tabs, a superscript
    "انقلاب" + "ها" * 40 + " " + "ها" * 40 + "انقلاب",  # very long words
    "وبال" * 10 + "انقلاب " + "وبالانقلاب" * 5,        # clitics, over and over
    "قال الانقلابي: «انقلابهم» وأكد ان الوفاق قوات",     # voice markers among the hits
    "الانقلابيالانقلابي انقلابانقلاب وفاقالوفاق",
])
def test_odd_texts_are_scanned_the_same_in_c_and_python(tie_matchers, both_matchers, text):
    compiled, python, *_ = tie_matchers
    assert found(compiled, normalize(text)) == found(python, normalize(text))
    compiled, python = both_matchers
    assert found(compiled, normalize(text)) == found(python, normalize(text))


TIE_PIECES = ["وفاق", "الوفاق", "انقلاب", "الانقلابي", "مرتزقة", "مرتزقت", "ليبي", "قوات", "روح", "قال",
              "و", "ف", "ب", "ك", "ل", "ال", "لل", "ي", "ها", "هما", "كو", "ة", " ", "\n", "\t", "«", ":",
              "2", "_", "😀", "é", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TIE_PIECES), max_size=40).map("".join))
def test_competing_spellings_are_found_the_same_in_c_and_python(tie_matchers, text):
    compiled, python, *_ = tie_matchers
    if text.strip():
        assert found(compiled, normalize(text)) == found(python, normalize(text))


def test_slot_maker_builds_the_same_match_as_python():
    from framing._core import SlotMaker

    values = {"start": 3, "end": 9, "text": "حفتر", "term": "حفتر", "kind": "actor", "target": "lna",
              "polarity": None, "category": None, "weight": 1.0, "voice": "narrator", "rule": "named",
              "speaker": None, "source": "terms.tsv:4"}
    made = SlotMaker(Match, tuple(f.name for f in fields(Match)))(*values.values())
    assert made == Match(**values) and type(made) is Match and made.to_dict() == values
    with pytest.raises(AttributeError):
        made.start = 4  # still frozen
    with pytest.raises(TypeError):
        SlotMaker(Match, ("start", "end"))  # every slot must be named


@pytest.mark.parametrize("strings, expected", [
    ([], ""),
    (["", ""], ""),
    (["ba", "ab", "b"], "ab"),
    (["ميليشيات", "مليشيا"], "اتشلمي"),  # each letter once, in code point order
    (["x\U0001F600", "\u00e9"], "x\u00e9\U0001F600"),  # one, two and four bytes a character
])
def test_distinct_chars_are_sorted_and_each_once(strings, expected):
    from framing._core import distinct_chars

    assert distinct_chars(strings) == expected


@pytest.mark.parametrize("strings", [[None], ["a", 1], ["a", b"b"]])
def test_distinct_chars_takes_only_str(strings):
    from framing._core import distinct_chars

    with pytest.raises(TypeError):
        distinct_chars(strings)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20)))
def test_distinct_chars_is_the_sorted_set_of_the_characters(strings):
    from framing._core import distinct_chars

    assert distinct_chars(strings) == "".join(sorted(set("".join(strings))))


CLASHES = [  # (keys, longest, the keys that end another within longest letters and the keys they end)
    ([], 3, set()),
    (["الوفاق", "وفاق"], 2, {"الوفاق", "وفاق"}),  # «وفاق» after «ال»
    (["الوفاق", "وفاق"], 1, set()),  # two letters before it: past a one-letter proclitic
    (["الوفاق", "لوفاق", "وفاق"], 2, {"الوفاق", "لوفاق", "وفاق"}),  # each ending another
    (["وفاق", "الوفاق"], 2, {"الوفاق", "وفاق"}),  # in any order
    (["وفاق"], 3, set()),  # a key is not its own ending
    (["ق", "وفاق"], 3, {"ق", "وفاق"}),  # an ending of one letter
    (["ق", "وفاق"], 2, set()),  # ... three letters in
    (["وف", "وفاق"], 3, set()),  # a beginning is no ending
    (["ab", "xab", "yxab", "b"], 1, {"ab", "xab", "yxab", "b"}),
    (["ab", "yxab"], 1, set()),
    (["aé", "é", "x\U0001F600", "\U0001F600"], 1, {"aé", "é", "x\U0001F600", "\U0001F600"}),  # 1, 2 and 4 bytes
    (["a", "ba", "\u0661a"], 5, {"a", "ba", "\u0661a"}),  # an ASCII key ending wider ones
    (["", "a"], 3, set()),
]


@pytest.mark.parametrize("keys, longest, expected", CLASHES)
def test_clashing_keys_are_the_same_in_c_and_python(keys, longest, expected):
    from framing._core import clashing

    stems = dict.fromkeys(keys)
    assert matcher_module.python_clashing(stems, longest) == expected
    assert clashing(stems, longest) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="وفاقلا\u0661a😀", max_size=7)), st.integers(0, 6))
def test_clashing_gives_what_its_twin_gives(keys, longest):
    from framing._core import clashing

    stems = dict.fromkeys(keys)
    assert clashing(stems, longest) == matcher_module.python_clashing(stems, longest)


@pytest.mark.parametrize("cls, values", [
    ("PartyStance", (1.5, 0.25, 3, "favorable")),
    ("VoiceScores", ({"gna": 1.0}, {}, None)),
    ("Statement", (4, 9, "«نص»", "lna")),
])
def test_makers_build_what_the_classes_build(cls, values):
    from framing._core import SlotMaker

    from framing import results

    cls = getattr(results, cls)
    make = results.maker(cls)
    made = make(*values)
    assert isinstance(make, SlotMaker) and type(made) is cls and made == cls(*values)
    with pytest.raises(AttributeError):
        setattr(made, fields(cls)[0].name, values[0])  # still frozen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ميليشيات", "الوفاق", "ـ", "ُ", "ّ", "ﻻ", "ﷲ", "  ", " ", "\u200f", "\u202c", "\ufeff",
                                 "a", "\n"]),
                min_size=1, max_size=30).map("".join),
       st.lists(st.tuples(st.integers(-3, 80), st.integers(-3, 80)), max_size=12))
def test_anchored_spans_are_the_same_in_c_and_python(text, pairs):
    import sys

    from framing._core import anchored_spans

    module = sys.modules["framing.normalize"]
    norm = normalize(text)
    if norm.anchors is not None:
        args = (*norm.anchors, len(norm.text), norm.original)
        got = anchored_spans(*args, pairs, norm.orig_index)
        assert got == module.python_anchored_spans(*args, pairs, norm.orig_index)
        assert norm.spans(sorted(pairs)) == module.python_anchored_spans(*args, sorted(pairs), norm.orig_index)


def test_the_compiled_span_ends_before_the_invisible_characters_of_the_twin():
    """The C test of an invisible character is the Python set's, at every edge of its ranges."""
    import sys

    from framing._core import anchored_spans

    module = sys.modules["framing.normalize"]
    near = sorted({c + d for lo, hi in module.INVISIBLE_RANGES for c in (lo, hi) for d in (-1, 0, 1)})
    for c in near:
        text = f"ـم{chr(c)}"  # a tatweel first, so that the text has anchors
        norm = normalize(text)
        args = (*norm.anchors, len(norm.text), text, [(0, len(norm.text))], norm.orig_index)
        got = anchored_spans(*args)
        assert got == module.python_anchored_spans(*args), hex(c)
        assert (got[0][1] == 2) == (chr(c) in module._INVISIBLE_CHARS), hex(c)


def _both_sums(lexicon=None, weak_weight=0.5):
    from framing._core import EvidenceSums

    from framing.scorer import PythonEvidenceSums

    scorer = Scorer(lexicon)
    lex = scorer.lexicon
    counts = {(p, pol): lex.counts_for(p, pol) for p in lex.parties for pol in ("favorable", "unfavorable")}
    args = (tuple(lex.parties), lex.sides, counts, weak_weight)
    python = PythonEvidenceSums(*args)
    return EvidenceSums(*args, python, Match), python, scorer


@pytest.mark.parametrize("lexicon", [None, DATA / "mini", DATA / "three"])
def test_evidence_sums_add_the_same_floats_as_python(lexicon):
    compiled, python, scorer = _both_sums(lexicon)
    rng = random.Random(13)
    for text in _texts(scorer.lexicon, 60, seed=17):
        matches = scorer.matches(text)
        narrator = [m for m in matches if m.voice == "narrator"]
        for weighted in (((matches, 1.0),), ((narrator, 1.0), (list(matches[::2]), rng.choice([0.5, 0.1, 1 / 3]))), ()):
            got, want = compiled(weighted), python(weighted)
            assert got == want and repr(got) == repr(want)  # the same floats, bit for bit, in the same order


def test_evidence_sums_leave_what_they_cannot_read_to_python():
    from types import SimpleNamespace

    compiled, python, _ = _both_sums()
    calls = []
    compiled_sums = type(compiled)(python.parties, python.sides, python.counts, 0.5,
                                   lambda weighted: calls.append(weighted) or python(weighted), Match)
    odd = [SimpleNamespace(target="lna", polarity="unfavorable", weight=1),  # an int weight
           SimpleNamespace(target="lna", polarity="favorable", weight=True)]
    for weighted in (((odd[:1], 1.0),), ((odd[1:], 1.0),), (([], 1),), ((iter([]), 1.0),)):
        assert compiled_sums(weighted) == python(weighted) and calls[-1] is weighted
    for bad in ([SimpleNamespace(target="nobody", polarity=None, weight=1.0)],
                [SimpleNamespace(target="lna", polarity="sideways", weight=1.0)]):
        with pytest.raises(KeyError):
            compiled(((bad, 1.0),))
    fraction = type(compiled)(python.parties, python.sides, python.counts, __import__("fractions").Fraction(1, 3),
                              python, Match)
    plain = [SimpleNamespace(target="lna", polarity="unfavorable", weight=1 / 3)]
    assert fraction(((plain, 1.0),)) == type(python)(python.parties, python.sides, python.counts,
                                                     __import__("fractions").Fraction(1, 3))(((plain, 1.0),))


@pytest.mark.parametrize("text", [
    "", " ", "a", " a  b\t\nc ", "قال  المتحدث\u00a0إن", "\x1cA\x1db\x1e", "é\x85é\xa0é", "ب\u2028ب\u3000😀 ",
    "\u061cب\u200bب\u06ddب",  # Arabic-block marks and zero-width characters are no white space
])
def test_word_count_counts_what_split_separates(text):
    from framing._core import word_count

    assert word_count(text) == len(text.split())


def test_word_count_agrees_with_split_on_every_character():
    from framing._core import word_count

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for k in range(0, len(chars), 32):
        for around in ("a", "é", "ب", "😀"):  # text one, two and four bytes a character wide
            text = around + around.join(chars[k:k + 32]) + around
            assert word_count(text) == len(text.split()), hex(ord(chars[k]))


# Gaps between two mentions: (gap, limit, more than limit words?, punctuation or a digit?).
GAPS = [
    ("", 0, False, False),
    (" ", 0, False, False),
    (" في ", 0, True, False),
    (" في المدينة ", 2, False, False),
    (" في المدينة أمس ", 2, True, False),
    ("\u00a0في\u00a0المدينة\u00a0أمس\u00a0", 2, True, False),  # NBSP separates words
    (" في\u200cالمدينة\u200dأمس ", 1, False, True),             # ZWNJ, ZWJ: no space, not \w
    (" ـــ ", 0, True, False),                                  # tatweel is a letter (Lm)
    (" قواتـ ", 1, False, False),
    (" ٣ ", 1, False, True),                                    # Arabic-Indic digit
    (" ۳ ", 1, False, True),                                    # Extended Arabic-Indic digit
    (" 3 ", 1, False, True),
    (" ३ ", 1, False, True),                                    # Devanagari digit
    (" ² ", 1, False, False),                                   # a digit, not decimal: \w, not \d
    (" ½ ", 1, False, False),                                   # numeric, not a digit
    (" 𝟘 ", 1, False, True),                                    # mathematical digit, beyond the BMP
    (" _ ", 1, False, False),                                   # underscore is \w
    (" «فاغنر» ", 1, False, False),
    (" “فاغنر” „ ", 2, False, False),
    (' "فاغنر" ', 1, False, False),
    (" 'فاغنر' ", 1, False, True),
    (" ‹فاغنر› ", 1, False, True),
    (" ، ", 1, False, True),
    (" ؛ ", 1, False, True),
    (" . ", 1, False, True),
    (" - ", 1, False, True),
    (" \u064e ", 1, False, True),                               # a harakah (Mn) is not \w
    (" 😀 ", 1, False, True),
    (" \u2028 \u3000 \x1c ", 0, False, False),                  # separators str.split takes
    (" \u200b ", 0, True, True),                                # zero width space is no white space
    (" a  b\tc\nd ", 3, True, False),
]


@pytest.mark.parametrize("gap, limit, more, punct", GAPS)
def test_gap_tests_are_the_same_in_c_and_python(gap, limit, more, punct):
    from framing._core import more_words, punctuated

    from framing.attach import python_more_words, python_punctuated

    text = "قوات" + gap + "حفتر"  # the gap between two mentions
    end = len(text) - 4
    assert more_words(text, 4, end, limit) is python_more_words(text, 4, end, limit) is more
    assert punctuated(text, 4, end) is python_punctuated(text, 4, end) is punct
    assert (len(gap.split()) > limit) is more


def test_punctuated_agrees_with_the_regex_on_every_character():
    from framing._core import punctuated

    from framing.attach import python_punctuated

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for k in range(0, len(chars), 32):
        for around in ("a", "é", "ب", "😀"):  # text one, two and four bytes a character wide
            for c in chars[k:k + 32]:
                text = around + c + around
                assert punctuated(text, 1, 2) is python_punctuated(text, 1, 2), hex(ord(c))


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("قوات حفتر ، ٣3_«»\u00a0\u200c\u0640😀\t\n.") | st.characters(),
                    max_size=60),
       start=st.integers(0, 70), end=st.integers(0, 70), limit=st.integers(-1, 8))
def test_gap_tests_give_what_their_twins_give(text, start, end, limit):
    from framing._core import more_words, punctuated

    from framing.attach import python_more_words, python_punctuated

    assert more_words(text, start, end, limit) is python_more_words(text, start, end, limit)
    assert punctuated(text, start, end) is python_punctuated(text, start, end)


@pytest.mark.parametrize("text, start, end, stems, expected", [
    ("قوات نفذتها حفتر", 4, 12, ("رتكب", "نفذ"), True),
    ("قوات نفذتها حفتر", 7, 12, ("رتكب", "نفذ"), False),   # the stem begins before the window
    ("قوات نفذتها حفتر", 4, 6, ("رتكب", "نفذ"), False),    # and ends after it
    ("قوات نفذتها حفتر", 4, 12, (), False),
    ("قوات", 2, 2, ("",), True),                            # "" is in every string
    ("قوات", 3, 1, ("",), True),
    ("قوات", 3, 1, ("ا",), False),
    ("abc😀نفذ", 0, 10, ("نفذ",), True),                    # text four bytes a character wide
    ("abc نفذ", 0, 10, ("😀", "نفذ"), True),
    ("abcd", 0, 4, ("bcd",), True),
    ("abcd", 0, 3, ("bcd",), False),
    ("abcd", 9, 12, ("bcd",), False),
    ("قوات نفذتها حفتر", 0, 16, tuple(map(str, range(70))) + ("نفذ",), True),  # more stems than C keeps
    ("قوات نفذتها حفتر", 0, 16, tuple(map(str, range(70))), False),
])
def test_holds_any_is_the_same_in_c_and_python(text, start, end, stems, expected):
    from framing._core import holds_any

    from framing.attach import python_holds_any

    assert holds_any(text, start, end, stems) is python_holds_any(text, start, end, stems) is expected


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="نفذشنعليقبل é😀", max_size=40), start=st.integers(0, 45), end=st.integers(0, 45),
       stems=st.lists(st.text(alphabet="نفذشنعليقبل é😀", max_size=3), max_size=4).map(tuple))
def test_holds_any_gives_what_its_twin_gives(text, start, end, stems):
    from framing._core import holds_any

    from framing.attach import python_holds_any

    assert holds_any(text, start, end, stems) is python_holds_any(text, start, end, stems)


def test_compiled_scorer_still_travels_to_worker_processes():
    import pickle

    scorer = Scorer()
    again = pickle.loads(pickle.dumps(scorer))
    text = "قصفت ميليشيات حفتر الأحياء السكنية في طرابلس."
    assert again.score(text).to_dict() == scorer.score(text).to_dict()
    assert framing.score(text).parties["lna"].stance == "unfavorable"


def test_a_lexicon_too_large_for_the_compiled_table_is_scanned_in_python(monkeypatch):
    lexicon = Scorer(DATA / "mini").lexicon
    compiled = matcher_module.Matcher(lexicon)
    assert type(compiled._scanner).__name__ == "CompiledScan"
    # «زعم» is a reporting verb and a term of the bundled lexicon: the Python scan's with_spoken twin.
    article, bundled = "زعم المتحدث أن ميليشيات حفتر ومرتزقتها قصفت الأحياء", Scorer().lexicon
    expected = Scorer(bundled).matches(article)
    assert expected[0].term == "زعم"
    monkeypatch.setattr(matcher_module, "COMPILED_SCAN_BYTES", 1000)
    small_budget = matcher_module.Matcher(lexicon)
    assert type(small_budget._scanner).__name__ == "PythonScan"
    text = normalize("قصفت ميليشيات حفتر ومرتزقتها الأحياء")
    assert found(small_budget, text) == found(compiled, text) and found(small_budget, text)[0]
    # The Python scan's lists go through the compiled rules (made Hits where they read them).
    scorer = Scorer(bundled)
    assert type(scorer._matcher._scanner).__name__ == "PythonScan"
    assert scorer.matches(article) == expected and len(expected) >= 3


def test_an_automaton_of_more_than_65536_states_finds_what_python_finds(tmp_path):
    # Past 65,535 states the table takes four bytes a transition, not two: its own way of being built.
    rng = random.Random(7)
    names = sorted({"".join(rng.choice("بثجحخدذز") for _ in range(8)) for _ in range(20_000)})
    (tmp_path / "parties.tsv").write_bytes((DATA / "mini" / "parties.tsv").read_bytes())
    header = "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
    (tmp_path / "terms.tsv").write_text(header + "".join(f"{n}\tactor\tlna\t\t\t\t\tname {k}\n"
                                                         for k, n in enumerate(names)), encoding="utf-8")
    compiled, python = compiled_and_python(Scorer(tmp_path).lexicon)
    assert compiled._scanner.states > 0xFFFF
    # Names alone, with proclitics and enclitics, run together, cut short, and one letter changed.
    words = [rng.choice(["", "و", "ب", "وب"]) + n + rng.choice(["", "ها", "هم"]) for n in rng.sample(names, 300)]
    words += [n[:7] for n in names[:50]] + [n[1:] for n in names[50:100]] + [names[0] + names[1]]
    words += [n[:3] + "س" + n[4:] for n in names[100:150]]
    rng.shuffle(words)
    norm = normalize(" ".join(words))
    hits = found(compiled, norm)
    assert hits == found(python, norm) and len(hits[0]) >= 300


@pytest.mark.parametrize("letter, expected", [
    ("ي", [("إرهابي", ""), ("شريك", "ك")]),  # «إرهابيي»: a plural in construct; «شريكك»: 'your partner'
    ("ك", [("إرهابي", "ي"), ("شريك", "")]),  # the rule's letter as matcher.CONSTRUCT_YEH says, in both scans
])
def test_the_construct_letter_is_the_matchers_in_both_scans(tmp_path, monkeypatch, letter, expected):
    (tmp_path / "parties.tsv").write_bytes((DATA / "mini" / "parties.tsv").read_bytes())
    header = "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
    (tmp_path / "terms.tsv").write_text(header + "إرهابي\tevaluative\t\tunfavorable\tnoun\tterrorism\t1\tterrorist\n"
                                        "شريك\tevaluative\t\tfavorable\tnoun\tpartnership\t1\tpartner\n", encoding="utf-8")
    lexicon = Scorer(tmp_path).lexicon
    monkeypatch.setattr(matcher_module, "CONSTRUCT_YEH", letter)
    for matcher in compiled_and_python(lexicon):
        assert [(t, suffix) for t, _, suffix, _ in _terms(matcher, lexicon, "إرهابيي شريكك")] == expected


@pytest.mark.parametrize(("keys", "values"), [
    (["ab", "cd"], 1),  # a key without its value
    (["ab"], 2),  # a value without its key
])
def test_the_compiled_scan_refuses_keys_and_values_that_do_not_pair(keys, values):
    from framing._core import CompiledScan

    value = (2, False, 0, 0, False, False, ())  # length, clash, rank, index, needs_suffix, definite, records
    assert CompiledScan(["ab"], [value], 2, 1, [], frozenset(), frozenset(), "ي").states == 3  # paired: taken
    with pytest.raises(ValueError, match="one entry per key"):
        CompiledScan(keys, [value] * values, 2, 1, [], frozenset(), frozenset(), "ي")
    with pytest.raises(ValueError, match="construct_yeh must be one letter. Got 'يي' instead"):
        CompiledScan(["ab"], [value], 2, 1, [], frozenset(), frozenset(), "يي")


# Hits as the Python scan gives them: a compiled Hits of them reads as the same tuples.
HITS = [
    [],
    [(0, 4, 0, "", False)],
    [(0, 4, 3, "ها", True), (5, 9, 1, "", False), (10, 16, 2, "هم", False), (17, 20, 3, "ها", False)],
    [(300, 4000, 70000, "ي", True)],  # integers Python does not keep made
]


@pytest.mark.parametrize("hits", HITS)
def test_hits_read_as_the_tuples_they_hold(hits):
    import pickle

    from framing._core import Hits

    held = Hits.of(hits)
    assert list(held) == hits and len(held) == len(hits) and bool(held) is bool(hits)
    assert [held[k] for k in range(len(hits))] == hits == [held[k - len(hits)] for k in range(len(hits))]
    assert all(type(hit[4]) is bool for hit in held)
    for k in (len(hits), -len(hits) - 1):  # must NOT read past either end
        with pytest.raises(IndexError):
            held[k]
    assert list(pickle.loads(pickle.dumps(held))) == hits
    assert list(Hits.of(tuple(held))) == hits


@pytest.mark.parametrize(("hits", "error"), [
    ([(0, 4, 0, "")], ValueError),  # four fields
    ([(0, 4, 0, "", False, 1)], ValueError),  # six
    ([(0, 4, 0, None, False)], TypeError),  # an enclitic that is no str
    ([("0", 4, 0, "", False)], TypeError),  # an offset that is no integer
    ([(0, 4, 2 ** 70, "", False)], OverflowError),  # an index no C integer holds
    ([7], TypeError),  # no hit
])
def test_hits_refuse_what_is_no_hit(hits, error):
    from framing._core import Hits

    with pytest.raises(error):
        Hits.of(hits)


def test_the_compiled_scan_gives_hits_and_the_python_scan_a_list(both_matchers):
    compiled, python = both_matchers
    norm = normalize("قصفت ميليشيات حفتر ومرتزقتها الأحياء")
    hits = compiled.find(norm)[0]
    assert type(hits).__name__ == "Hits" and type(python.find(norm)[0]) is list
    assert list(hits) == python.find(norm)[0] and len(hits) >= 3


@settings(max_examples=300, deadline=None)
@given(chars=st.text(max_size=12), text=st.text(max_size=80))
def test_char_positions_are_the_same_in_c_and_python(chars, text):
    from framing._core import CharPositions

    from framing.normalize import PythonCharPositions

    assert CharPositions(chars).positions(text) == PythonCharPositions(chars).positions(text)


@pytest.mark.parametrize("chars, text, positions", [
    (".؟\n", "قال. ثم؟\nانتهى", [3, 7, 8]),
    ("«»", "لا علامات هنا", []),                 # must NOT find anything
    ("", "«نص»", []),                           # no characters: nothing found
    ("😀ب", "ا😀ب", [1, 2]),                     # beyond the Basic Multilingual Plane too
    ("-", "a-z", [1]),                          # a dash is a character, not a range
    # One, two and four bytes a character (each read its own way): Latin-1, Arabic, emoji.
    ("é\n", "café\nthé", [3, 4, 7]),
    ("é😀", "ب é", [2]),                         # a character of the table wider than the text's
    ("ب😀", "é b", []),
    ("ة\uffff", "ة\uffffa", [0, 1]),             # the last character of the two-byte table
    ("😀a", "😀aé😀", [0, 1, 3]),
])
def test_char_positions_find_exactly_the_characters(chars, text, positions):
    from framing._core import CharPositions

    from framing.normalize import PythonCharPositions

    assert CharPositions(chars).positions(text) == PythonCharPositions(chars).positions(text) == positions


def _reported_speech_twins():
    from framing._core import ReportedSpeech

    from framing import voice

    args = (voice._CONJUNCTIONS, voice.RELATIVE_PRONOUNS, voice._CORRESPONDENT, voice._CORRESPONDENT_STEMS)
    return ReportedSpeech(*args), voice.PythonReportedSpeech(*args)


@pytest.mark.parametrize("text, verbs, covered, reach, subject_before, spans", [
    ("قال المسماري ان الجيش تقدم.", [0], [], 160, False, [(13, 26, 0)]),
    ("قال بان الجيش تقدم", [0], [], 160, False, [(5, 18, 0)]),            # «بأن»: the match starts at «أن»
    ("قالت انها تقدمت", [0], [], 160, False, [(5, 15, 0)]),
    ("قال : الجيش تقدم", [0], [], 160, False, [(4, 16, 0)]),
    ("قال المسماري: الجيش تقدم", [0], [], 160, False, [(12, 24, 0)]),   # a colon right after the name
    ("قال فانهم تقدموا", [0], [], 160, False, [(4, 16, 0)]),
    ("قال ان الجيش تقدم، التي انسحبت", [0], [], 160, False, [(4, 17, 0)]),  # the relative clause is the narrator's
    ("قال ان الجيش تقدم ,  الذين انسحبوا", [0], [], 160, False, [(4, 18, 0)]),
    ("قال ان الجيش تقدم،\nالتي انسحبت", [0], [], 160, False, [(4, 18, 0)]),   # a relative after the line's end
    ("قال ان القوات، التي تقدمت. قال ان الجيش تقدم، الذي", [0, 27], [], 160, False,  # a clause per sentence
     [(4, 13, 0), (31, 44, 27)]),
    ("قال انهم", [0], [], 6, False, [(4, 8, 0)]),                          # «انهم» cut at the reach: «ان»
    ("الجيش تقدم. اكتفي بالقول ان القوات انسحبت", [18], [], 60, True, [(25, 41, 11)]),
    ("قال مراسل القناه بان الجيش تقدم", [0], [], 160, False, [(18, 31, 0)]),  # another outlet's correspondent
    ("x said : y.", [2], [], 160, False, [(7, 10, 2)]),                      # one byte a character
    ("😀 قال ان 😀", [2], [], 160, False, [(6, 10, 2)]),                      # four
    # Must NOT quote:
    ("اعلن الجيش القوه القاهره بعد ان اغلق مسلحون الموانئ.", [0], [], 160, False, []),  # a conjunction's «أن»
    ("قال بعد\nان الجيش", [0], [], 160, False, []),                        # the word before, stripped
    ("اعلن الجيش الهدنه، الا ان القوات تقدمت", [0], [], 160, False, []),   # the narrator's «however»
    ("قال انهار الجيش", [0], [], 160, False, []),                         # «ان» inside a word
    ("قال كان الجيش", [0], [], 160, False, []),
    ("قال الجيش. ان القوات", [0], [], 160, False, []),                    # past the sentence's end
    ("قال الجيش ان القوات", [0], [], 8, False, []),                       # past the reach
    ("قال ان الجيش", [0], [(0, 3)], 160, False, []),                       # the verb quoted already
    ("افاد مراسلنا بان الجيش تقدم", [0], [], 160, False, []),              # the outlet's own correspondent
    ("اعلن الجيش، فيما قالت الحكومه انها تقدمت", [0, 17], [], 160, False, [(30, 40, 17)]),  # the nearer verb
])
def test_reported_speech_is_the_same_in_c_and_python(text, verbs, covered, reach, subject_before, spans):
    from framing.voice import _covered, sentence_ends

    compiled, python = _reported_speech_twins()
    args = (text, verbs, sentence_ends(text), _covered([(a, b, -1) for a, b in covered]), reach, subject_before)
    assert compiled.spans(*args) == python.spans(*args) == spans


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="انهمبوفلتيذ:،, .\n\tx😀", max_size=60),
       verbs=st.lists(st.integers(0, 60), max_size=5, unique=True),
       covered=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=3),
       reach=st.integers(0, 70), subject_before=st.booleans(), correspondent=st.sampled_from(["", "مراسلنا ", "موفد "]))
def test_reported_speech_twins_agree_on_any_text(text, verbs, covered, reach, subject_before, correspondent):
    from framing.voice import _covered, sentence_ends

    compiled, python = _reported_speech_twins()
    text = correspondent + text
    args = (text, sorted(verbs), sentence_ends(text), _covered([(a, a + k, -1) for a, k in covered]), reach,
            subject_before)
    assert compiled.spans(*args) == python.spans(*args)


@pytest.mark.parametrize("text, ends", [
    ("قال. ثم؟ انتهى!\nو؛ x; y?", [3, 7, 14, 15, 17, 20, 23]),
    ("ارتفع 2.5 بالمئة.", [16]),                      # must NOT end at a full stop between digits
    ("2.5.3.", [5]),
    (".5 و5. و٢.٣ و2.a", [0, 5, 14]),                  # a digit on one side only; Arabic-Indic digits are digits
    ("².³", []),                                       # str.isdigit, not only decimals
    ("😀.1 😀؟", [1, 5]),                               # four bytes a character
    ("", []),
    ("لا نهاية هنا", []),
])
def test_sentence_ends_are_the_same_in_c_and_python(text, ends):
    from framing._core import SentenceEnds

    from framing.voice import SENTENCE_END, PythonSentenceEnds

    assert SentenceEnds(SENTENCE_END).positions(text) == PythonSentenceEnds(SENTENCE_END).positions(text) == ends


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=".!?؟؛;\n12٣²a ب😀", max_size=40), chars=st.sampled_from([".!?؟؛;\n", ".", "😀.", ""]))
def test_sentence_ends_twins_agree_on_any_text(text, chars):
    from framing._core import SentenceEnds

    from framing.voice import PythonSentenceEnds

    assert SentenceEnds(chars).positions(text) == PythonSentenceEnds(chars).positions(text)


@pytest.fixture(scope="module")
def wide_lexicon(tmp_path_factory):
    """A lexicon whose automaton has more than 65,535 states (the compiled table's wide form)."""
    directory = tmp_path_factory.mktemp("wide")
    (directory / "parties.tsv").write_bytes((DATA / "mini" / "parties.tsv").read_bytes())
    rng = random.Random(3)
    letters = "بتثجحخدذرزسشصضطظعغفقكمنهي"
    terms = set()
    while len(terms) < 12000:
        terms.add("".join(rng.choice(letters) for _ in range(rng.randint(7, 10))))
    rows = ["term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss"]
    rows += [f"{t}\tevaluative\t\tunfavorable\tnoun\tviolence\t1\tinvented" for t in sorted(terms)]
    rows += ["حفتر\tactor\tlna\t\t\t\t\tHaftar", "الوفاق\tactor\tgna\t\t\t\t\tGNA"]
    (directory / "terms.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Scorer(directory).lexicon, sorted(terms)


def test_a_lexicon_with_many_states_scans_the_same(wide_lexicon):
    lexicon, terms = wide_lexicon
    compiled, python = compiled_and_python(lexicon)
    assert compiled._scanner.states > 0xFFFF
    assert matcher_module.Matcher(Scorer().lexicon)._scanner.states <= 0xFFFF  # the bundled one: narrow
    rng = random.Random(4)
    for _ in range(40):
        words = [rng.choice(["و", "ال", "بال", ""]) + rng.choice(terms) + rng.choice(["", "ها", "ي"])
                 for _ in range(30)] + ["حفتر", "الوفاق"]
        rng.shuffle(words)
        norm = normalize(" ".join(words))
        assert found(compiled, norm) == found(python, norm) and found(compiled, norm)[0]


# The compiled scan reads a long text a block at a time, as _core.LANES stretches of _core.LANE
# characters read at once, each started early enough to be in the automaton's state where it
# begins: a key across the start of a stretch or of a block is found there too.


def _stretches_scanned_the_same(compiled, python, lexicon):
    """The longest key of ``lexicon`` across the start of every stretch of two blocks, at three
    shifts: found where it is, and the compiled scan gives what the Python one gives."""
    from framing._core import LANE, LANES

    forms = sorted({f for e in lexicon.entries if e.kind != "ignore" for f in e.forms})
    key = max(forms, key=len)
    words = [f for f in forms if len(f) < 12]
    rng = random.Random(len(key))
    for shift in (1, len(key) // 2, len(key) - 1):  # the key's characters before the boundary
        text = ""
        while len(text) < 2 * LANES * LANE + 100:
            text += rng.choice(words) + rng.choice([" ", " ", " ", "\n", "، ", ". "])
        starts = [k * LANE - shift for k in range(1, 2 * LANES)]  # every stretch's start but the text's
        for start in starts:
            text = text[:start - 1] + "." + key + "." + text[start + len(key) + 1:]  # kept as they are
        norm = normalize(text)
        assert norm.text == text  # the offsets above are the scan's
        hits = found(compiled, norm)
        assert hits == found(python, norm)
        assert {start for start, *_ in hits[0]} >= set(starts)


@pytest.mark.parametrize("which", ["bundled", "wide"])  # wide: over 65,535 states, four bytes a transition
def test_keys_across_the_stretches_of_a_long_text_are_found(which, wide_lexicon):
    lexicon = Scorer().lexicon if which == "bundled" else wide_lexicon[0]
    _stretches_scanned_the_same(*compiled_and_python(lexicon), lexicon)


def test_competing_keys_across_the_stretches_are_found(tie_matchers):
    compiled, python, lexicon, _ = tie_matchers
    _stretches_scanned_the_same(compiled, python, lexicon)


def test_the_renderer_writes_in_c_and_travels_to_workers():
    import pickle

    from framing._core import MatchJson, VoiceJson

    from framing.jsonl import JsonRenderer

    scorer = Scorer()
    renderer = JsonRenderer(scorer.lexicon)
    assert isinstance(renderer._compiled, MatchJson) and isinstance(renderer._voice, VoiceJson)
    copy = pickle.loads(pickle.dumps(renderer))  # made again from its lexicon
    score = scorer.score("قصفت ميليشيات حفتر الأحياء. وقال المسماري: «إن ميليشيات الوفاق فرت».", {"id": 1})
    assert isinstance(copy._voice, VoiceJson) and copy.render(score) == renderer.render(score)
    # Matches pickled apart from the lexicon hold equal copies of its fields, not the same objects.
    assert copy.matches(pickle.loads(pickle.dumps(score.matches))) == renderer.python_matches(score.matches)
    for compiled in (renderer._compiled, renderer._voice):
        with pytest.raises(TypeError):
            pickle.dumps(compiled)


def _one_entry_json(term="t", fallback=None):
    """A MatchJson of one entry, ``s:1``, whose term is ``term``; and a match of it."""
    from framing._core import MatchJson

    own = ("start", "end", "text", "target", "voice", "rule", "speaker")
    copied = tuple(f.name for f in fields(Match) if f.name not in own)
    m = Match(1, 2, "", term, "actor", None, None, None, 0.0, "narrator", None, None, "s:1")
    term = json.dumps(term, ensure_ascii=False)
    layout = {"s:1": (tuple(getattr(m, name) for name in copied),
                      ('{"start": ', ', "end": ', ', "text": ', f', "term": {term}, "kind": "actor", "target": ',
                       ', "polarity": null, "category": null, "weight": 0.0, "voice": ', ', "rule": ',
                       ', "speaker": ', ', "source": "s:1"}'))}
    return MatchJson(Match, own, copied, layout, fallback or (lambda m: json.dumps(m.to_dict()))), m


@pytest.mark.parametrize("text", ["a", "é", "ع", "😀", "\ud800", "a\n", ""])
def test_match_json_gives_the_narrowest_string(text):
    # A str one byte, two or four a character wide is made as wide as its widest character needs:
    # a wider one would differ from the equal text json.dumps gives (str compares widths first).
    import sys
    from dataclasses import replace

    fallbacks = []
    render, m = _one_entry_json(fallback=lambda m: fallbacks.append(m) or json.dumps(m.to_dict()))
    m = replace(m, text=text)
    got = render((m, m))
    want = json.dumps(m.to_dict(), ensure_ascii=False)
    assert got == f"{want}, {want}" and not fallbacks
    assert sys.getsizeof(got) == sys.getsizeof(f"{want}, {want}") and got.isascii() == want.isascii()


@pytest.mark.parametrize("term", ["t", "ع", "😀", "\ud800"])
def test_match_json_encodes_as_str_encode_does(term):
    render, m = _one_entry_json(term)
    try:
        want = render((m, m)).encode()
    except UnicodeEncodeError as exc:  # an entry whose own text UTF-8 cannot encode
        with pytest.raises(UnicodeEncodeError, match=str(exc.start)):
            render.encoded((m, m))
    else:
        assert render.encoded((m, m)) == want


def test_match_json_is_as_wide_as_what_it_writes():
    # A match left to the fallback half read: its characters count only as the fallback writes them.
    from dataclasses import replace

    from framing._core import MatchJson

    from framing.jsonl import JsonRenderer

    renderer = JsonRenderer(Scorer().lexicon)
    m = Scorer().score("قصفت ميليشيات حفتر الأحياء.").matches[0]
    own, copied = renderer._own, tuple(f.name for f in fields(Match) if f.name not in renderer._own)
    odd = replace(m, text="😀", target=1.5)
    render = MatchJson(Match, own, copied, renderer._layout, lambda m: "x")
    assert render((odd,)) == "x" and render((odd, m)) == "x, " + renderer.python_matches((m,))


@pytest.mark.parametrize("call", [
    lambda core: core.word_count(None),
    lambda core: core.more_words(None, 0, 1, 1),
    lambda core: core.punctuated(None, 0, 1),
    lambda core: core.holds_any(None, 0, 1, ("ا",)),
    lambda core: core.headlines(None, [], [], ([], [])),
    lambda core: core.CharPositions("«»").positions(None),
])
def test_the_compiled_text_functions_refuse_none_rather_than_read_it(call):
    import framing._core as core

    with pytest.raises(TypeError):  # read as a str's array, None would crash the process
        call(core)


# (hits, a flag per entry index, the starts of the hits whose entry names a party or camp)
NAMED_STARTS = [
    ([], b"\x01", []),
    ([(0, 4, 0, "", False), (5, 9, 1, "ها", True), (10, 14, 2, "", False)], b"\x01\x00\x01", [0, 10]),
    ([(0, 4, 1, "", False), (5, 9, 1, "", False)], b"\x01\x00", []),  # no hit's entry is named
    ([(3, 7, 2, "", False)], b"\x00\x00\x07", [3]),  # any non-zero byte flags it
    ([(3, 7, -1, "", False)], b"\x00\x01", [3]),  # a negative index counts from the end, as in Python
]


@pytest.mark.parametrize(("hits", "named", "expected"), NAMED_STARTS)
def test_named_starts_is_the_same_in_c_and_python(hits, named, expected):
    from framing._core import named_starts

    from framing.scorer import python_named_starts

    assert named_starts(hits, named) == python_named_starts(hits, named) == expected


@pytest.mark.parametrize("index", [2, -3])
def test_named_starts_refuses_an_index_of_no_entry_as_its_twin(index):
    from framing._core import named_starts

    from framing.scorer import python_named_starts

    for function in (named_starts, python_named_starts):
        with pytest.raises(IndexError):
            function([(0, 4, index, "", False)], b"\x01\x00")


def _cut_case(text, spans, expected):
    """A case of the statement cuts: ``spans`` and ``expected`` map a rule to ``(start, end, verb)``
    given as the pieces of ``text`` they start at, end at (None: the text's end) and the verb's
    (None: no verb, -1)."""
    def at(piece):
        return len(text) if piece is None else text.index(piece)

    def made(triples):
        return {name: [(at(a), at(b), -1 if v is None else at(v)) for a, b, v in items]
                for name, items in triples.items()}

    return pytest.param(text, made(spans), made(expected), id=text[:24])


# Each statement's span is cut where the next one's reporting verb is announced (a mark, perhaps a
# connective), and before a distancing tail that closes reported speech; the compiled
# StatementCuts and voice.python_cut_at_statements give the same spans.
STATEMENT_CUTS = [
    _cut_case("قال الأول إن الجيش تقدم، فيما قال الثاني إن القوات انسحبت",
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]},
              {"reported": [("الجيش", "، فيما", "قال الأول"), ("القوات", None, "قال الثاني")]}),
    _cut_case("قال الأول إن الجيش تقدم، في  حين قال الثاني إن القوات انسحبت",  # a run of spaces inside
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]},
              {"reported": [("الجيش", "، في", "قال الأول"), ("القوات", None, "قال الثاني")]}),
    # must NOT cut: no mark before the verb, or a word between the mark and the verb that is no connective
    _cut_case("قال الأول إن الجيش تقدم وقال الثاني إن القوات انسحبت",
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]},
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]}),
    _cut_case("قال الأول إن الجيش تقدم، وأمس قال الثاني إن القوات انسحبت",
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]},
              {"reported": [("الجيش", None, "قال الأول"), ("القوات", None, "قال الثاني")]}),
    # a distancing tail closing reported speech is the narrator's
    _cut_case("وقال المسماري إن الميليشيات فرت، علي حد زعمه.",
              {"reported": [("الميليشيات", None, "قال")]},
              {"reported": [("الميليشيات", "علي حد", "قال")]}),
    _cut_case("وقال المسماري إن الميليشيات فرت بزعمه",
              {"reported": [("الميليشيات", None, "قال")]},
              {"reported": [("الميليشيات", "بزعمه", "قال")]}),
    # must NOT: words after the tail, a letter before its head, or the tail inside quotation marks
    _cut_case("وقال المسماري إن الميليشيات فرت، علي حد زعمه، من المدينة",
              {"reported": [("الميليشيات", None, "قال")]},
              {"reported": [("الميليشيات", None, "قال")]}),
    _cut_case("وقال المسماري إن الميليشيات فرت وبزعمه",
              {"reported": [("الميليشيات", None, "قال")]},
              {"reported": [("الميليشيات", None, "قال")]}),
    _cut_case("وقال المسماري إن \"الميليشيات فرت، علي حد زعمه\"",
              {"marks": [("\"", None, None)], "reported": [("الميليشيات", None, "قال")]},
              {"marks": [("\"", None, None)], "reported": [("الميليشيات", None, "قال")]}),
]


@pytest.mark.parametrize(("text", "found", "expected"), STATEMENT_CUTS)
def test_statement_cuts_are_the_same_in_c_and_python(text, found, expected):
    from framing._core import StatementCuts

    from framing import voice

    compiled = {name: list(spans) for name, spans in found.items()}
    python = {name: list(spans) for name, spans in found.items()}
    assert type(voice._cut_at_statements) is StatementCuts
    assert voice._cut_at_statements(text, compiled) is compiled  # in place, as the twin
    assert compiled == voice.python_cut_at_statements(text, python) == expected


_CUT_PIECES = ("،", ",", "»", " ", "  ", "\n", "فيما", "في", "حين", "كما", "ولكن", "زعم", "ه", "ها", "هما", "علي", "حد",
               "بحسب", "وفقا", "ل", "ب", "قال", "x", "1", ".")


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from(_CUT_PIECES), min_size=1, max_size=16), data=st.data())
def test_statement_cuts_give_what_their_twin_gives(pieces, data):
    from framing import voice

    text = "".join(pieces)
    offset = st.integers(0, len(text))
    found = {name: [tuple(sorted(data.draw(st.tuples(offset, offset)))) + (data.draw(st.sampled_from([-1, 0]) | offset),)
                    for _ in range(data.draw(st.integers(0, 3)))]
             for name in ("marks", "reported", "described")}
    compiled = {name: list(spans) for name, spans in found.items()}
    python = {name: list(spans) for name, spans in found.items()}
    assert voice._cut_at_statements(text, compiled) == voice.python_cut_at_statements(text, python)


@pytest.mark.parametrize(("changed", "error"), [
    ({"connectives": ("فيما", "ثم،")}, ValueError),  # a mark inside a connective: the last mark would not be the one
    ({"connectives": ("في\tحين",)}, ValueError),  # whitespace but a space (which stands for a run of it)
    ({"marks": "، "}, ValueError),  # a mark that is whitespace
    ({"marks": ""}, ValueError),
    ({"stem": ""}, TypeError),
    ({"heads": ("ب", "")}, TypeError),
])
def test_statement_cuts_refuse_words_their_reading_cannot_take(changed, error):
    from framing._core import StatementCuts

    from framing import voice

    words = {"marks": voice.NEW_STATEMENT_MARKS, "connectives": voice.NEW_STATEMENT_CONNECTIVES,
             "reach": voice.NEW_STATEMENT_REACH, "stem": voice.DISTANCING_STEM,
             "pronouns": voice.DISTANCING_PRONOUNS, "heads": voice.DISTANCING_HEADS, "head_reach": voice._HEAD_REACH}
    StatementCuts(*words.values())  # the shipped words are taken
    with pytest.raises(error):
        StatementCuts(*{**words, **changed}.values())


_SPOKEN = {"زعم": 1, "وزعم": 1, "زعموا": 1, "ادعي": 2}
_SPOKEN_STARTS = tuple(_SPOKEN)

# (text, the hits the scan found, the reporting verbs' starts, the hits with the verbs that are terms)
WITH_SPOKEN = [
    ("وزعم حفتر أن القوات تقدمت", [(5, 9, 0, "", False)], [0], [(0, 4, 1, "", False), (5, 9, 0, "", False)]),
    ("قال حفتر ثم ادعي أنه انتصر", [(4, 8, 0, "", False)], [0, 12],
     [(4, 8, 0, "", False), (12, 16, 2, "", False)]),
    # must NOT: a verb that is no term, a longer word than the term, a term's match over the word
    ("قال حفتر إن القوات تقدمت", [(4, 8, 0, "", False)], [0], [(4, 8, 0, "", False)]),
    ("زعمهم باطل", [], [0], []),
    ("زعموا أن القوات تقدمت", [(0, 9, 3, "", False)], [0], [(0, 9, 3, "", False)]),
    # Verbs before, between and after the other hits, given in order, out of order, or twice: each
    # in its place among them, once.
    ("زعم حفتر ثم زعم السراج ثم زعم", [(4, 8, 0, "", False), (16, 22, 5, "", False)], [0, 12, 26],
     [(0, 3, 1, "", False), (4, 8, 0, "", False), (12, 15, 1, "", False), (16, 22, 5, "", False),
      (26, 29, 1, "", False)]),
    ("زعم حفتر ثم زعم السراج ثم زعم", [(4, 8, 0, "", False), (16, 22, 5, "", False)], [26, 0, 12],
     [(0, 3, 1, "", False), (4, 8, 0, "", False), (12, 15, 1, "", False), (16, 22, 5, "", False),
      (26, 29, 1, "", False)]),
    ("زعم حفتر ثم زعم السراج ثم زعم", [(4, 8, 0, "", False)], [12, 12],
     [(4, 8, 0, "", False), (12, 15, 1, "", False)]),
]


def test_with_spoken_among_many_hits_is_the_same_in_c_and_python():
    # Thousands of verbs among thousands of hits (a record of many megabytes): gathered and merged,
    # each verb in its place, every hit kept, as when they were put in one at a time.
    from framing._core import Hits, with_spoken

    from framing.matcher import python_with_spoken

    text = " ".join(["زعم", "حفتر", "ثم"] * 3000)
    starts = [k * 12 for k in range(3000)]  # «زعم حفتر ثم » is 12 characters
    hits = [(start + 4, start + 8, 0, "", False) for start in starts]
    expected = sorted(hits + [(start, start + 3, 1, "", False) for start in starts])
    compiled = Hits.of(hits)
    with_spoken(text, compiled, starts[::-1], _SPOKEN, _SPOKEN_STARTS)
    assert list(compiled) == python_with_spoken(text, list(hits), starts, _SPOKEN, _SPOKEN_STARTS) == expected


@pytest.mark.parametrize(("text", "hits", "verbs", "expected"), WITH_SPOKEN)
def test_with_spoken_is_the_same_in_c_and_python(text, hits, verbs, expected):
    from framing._core import Hits, with_spoken

    from framing.matcher import python_with_spoken

    compiled, python = Hits.of(hits), list(hits)  # the compiled scan's hits, the Python scan's
    assert with_spoken(text, compiled, verbs, _SPOKEN, _SPOKEN_STARTS) is compiled  # in place, as the twin
    assert list(compiled) == python_with_spoken(text, python, verbs, _SPOKEN, _SPOKEN_STARTS) == expected


@pytest.mark.parametrize("verb", [-1, 10, 11])
def test_with_spoken_refuses_a_verb_outside_the_text_as_its_twin(verb):
    from framing._core import Hits, with_spoken

    from framing.matcher import python_with_spoken

    for function, hits in ((with_spoken, Hits.of([])), (python_with_spoken, [])):
        with pytest.raises(ValueError):
            function("زعم الجيش", hits, [verb], _SPOKEN, _SPOKEN_STARTS)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["زعم", "وزعم", "زعموا", "زعمهم", "ادعي", "قال", "حفتر", "1", "،"]), min_size=1,
                      max_size=10), data=st.data())
def test_with_spoken_gives_what_its_twin_gives(words, data):
    from framing._core import Hits, with_spoken

    from framing.matcher import python_with_spoken

    text = " ".join(words)
    starts = [i for i in range(len(text)) if i == 0 or text[i - 1] == " "]
    verbs = sorted(data.draw(st.sets(st.sampled_from(starts))))
    hits, at = [], 0
    for start in data.draw(st.lists(st.sampled_from(starts), max_size=4, unique=True).map(sorted)):
        if start >= at:  # the scan's hits do not overlap
            at = start + data.draw(st.integers(1, 6))
            hits.append((start, at, data.draw(st.integers(0, 5)), "", False))
    assert list(with_spoken(text, Hits.of(hits), verbs, _SPOKEN, _SPOKEN_STARTS)) == \
        python_with_spoken(text, list(hits), verbs, _SPOKEN, _SPOKEN_STARTS)


def test_with_spoken_refuses_a_term_that_is_no_string_as_its_twin():
    from framing._core import Hits, with_spoken

    from framing.matcher import python_with_spoken

    for function in (with_spoken, python_with_spoken):
        with pytest.raises(TypeError):
            function("زعم الجيش", Hits.of([]) if function is with_spoken else [], [0], _SPOKEN, (1, "زعم"))


# (a float, the text of round(x, 3) written in C, or None: left to Python's round)
ROUNDED_TEXT = [
    (28.75, "28.75"), (-25.25, "-25.25"), (83.759, "83.759"), (3.0, "3.0"), (100.1, "100.1"),
    (1 / 3, "0.333"), (-2 / 3, "-0.667"), (0.1 + 0.2, "0.3"), (999999999.9994, "999999999.999"),
    (0.0, "0.0"), (-0.0, "-0.0"), (-0.0001, "-0.0"), (5e-324, "0.0"), (0.001, "0.001"), (-0.0004999, "-0.0"),
    # must NOT be written in C: a tie (1/16 is 62.5 thousandths: round gives 0.062, to even), a
    # value whose binary form is just past halfway (0.0005 rounds up), 1e9 and beyond, no number
    (0.0625, None), (0.0005, None), (-2.0005, None), (1e9, None), (-3e15, None),
    (float("nan"), None), (float("inf"), None), (float("-inf"), None),
]


@pytest.mark.parametrize(("x", "expected"), ROUNDED_TEXT)
def test_rounded_text_is_what_json_dumps_writes_of_round(x, expected):
    from framing._core import rounded_text

    from framing.jsonl import _rounded

    assert rounded_text(x) == expected
    assert expected is None or expected == _rounded(x) == json.dumps(round(x, 3))


@settings(max_examples=2000, deadline=None)
@given(st.floats() | st.integers(-10**12, 10**12).map(lambda k: k / 1000) | st.integers(-400, 400).map(lambda k: k / 4))
def test_rounded_text_gives_what_its_twin_gives_or_leaves_it(x):
    from framing._core import rounded_text

    from framing.jsonl import _rounded

    text = rounded_text(x)
    assert text is None or text == _rounded(x)
    if abs(x) < 1e6 and (x * 4).is_integer():  # evidence (sums of quarters) is always written in C
        assert text == _rounded(x)
