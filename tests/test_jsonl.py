"""The JSON Lines renderer writes exactly what json.dumps(score.to_dict()) writes."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import Scorer
from framing.corpus import read_records
from framing.jsonl import JsonRenderer
from framing.lexicon import load_lexicon

from .conftest import DATA, EXAMPLES


@pytest.fixture(scope="module")
def default():
    return Scorer()


def _dumps(score, extra=None):
    out = score.to_dict()
    out.update(extra or {})
    return json.dumps(out, ensure_ascii=False)


def test_demo_corpus_and_examples_render_byte_for_byte(default):
    render = JsonRenderer(default.lexicon).render
    texts = [(r.text, r.meta) for r in read_records("demo")]
    texts += [(p.read_text(encoding="utf-8"), {"id": p.stem}) for p in sorted(EXAMPLES.glob("*.txt"))]
    assert sum(len(default.score(t).matches) for t, _ in texts) > 1000
    for text, meta in texts:
        score = default.score(text, meta)
        assert render(score) == _dumps(score)
        assert render(score, {"model": {"lna": 0.25}}) == _dumps(score, {"model": {"lna": 0.25}})
        _encoded_as_str_encode(JsonRenderer(default.lexicon), score, {"model": {"lna": 0.25}})


CASES = [
    # meta fields that collide with the output's own keys keep the position to_dict gives them
    ({"id": 1, "matches": "x"}, None),
    ({"lean": "mine", "words": 3, "title": "«عنوان» \"مقتبس\"\n\\"}, None),
    ({"id": 2}, {"lean": "model's"}),
    ({"id": 3}, {"matches": []}),
    ({}, {"model": None, "extra": [1, 2.5, "ع"]}),
    # keys json.dumps converts, and values of every JSON kind, written as json.dumps writes them
    ({1: "x", None: 2, 2.5: True, "id": 4}, None),
    ({"id": "٥", "tags": {"a": [1, None, True, -0.0]}, "n": float("nan"), "big": 10 ** 30, "ok": False}, None),
]


@pytest.mark.parametrize("meta,extra", CASES)
def test_colliding_and_odd_fields(default, meta, extra):
    score = default.score("وقال المسماري: «إن قواتنا الباسلة تطرد ميليشيات الوفاق ومرتزقتها».", meta)
    assert JsonRenderer(default.lexicon).render(score, extra) == _dumps(score, extra)


@pytest.mark.parametrize("text", ["no Arabic at all", "123 \"quoted\" \\ text"])
def test_warnings_are_written_as_json_dumps_writes_them(default, text):
    score = default.score(text, {"id": 1})
    assert score.warnings  # the case this test is for
    assert JsonRenderer(default.lexicon).render(score) == _dumps(score)


def test_a_match_of_another_lexicon_with_the_same_source(default, mini):
    # Sources are relative (terms.tsv:N): two lexicons share them, their entries do not.
    score = mini.score("قصفت ميليشيات حفتر ومرتزقته الأحياء. تقدمت قوات الوفاق الباسلة.")
    sources = {e.source for e in default.lexicon.entries}
    assert any(m.source in sources for m in score.matches)
    assert JsonRenderer(default.lexicon).render(score) == _dumps(score)


WORDS = ["ميليشيات", "حفتر", "الوفاق", "مرتزقة", "ومرتزقتها", "الباسلة", "قال", "إن", "«", "»", "\"", "،", ".",
         "\n", "قواتنا", "نفذتها", "من قبل", "الإرهابية", "١٢", "\u00a0", "َ", "ـ", "ﻻ", "العدوان", "في", "المدينة"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_any_text_renders_byte_for_byte(mini, words):
    text = " ".join(words)
    if text.strip():
        score = mini.score(text, {"id": text[:5]})
        assert JsonRenderer(mini.lexicon).render(score) == _dumps(score)


def test_layout_follows_match_to_dict(mini):
    # The fixed fields come from Match.to_dict itself: every piece holds the entry's term and source.
    renderer = JsonRenderer(mini.lexicon)
    for entry in mini.lexicon.entries:
        _, pieces = renderer._layout[entry.source]
        joined = "".join(pieces)
        assert json.dumps(entry.term, ensure_ascii=False) in joined and f'"{entry.source}"' in joined


def test_matches_differing_in_one_field_render_apart(default):
    # The entry's fields are rendered once per entry: a match of that entry with another target,
    # voice, rule or speaker, or fields that are not the entry's (another weight, even 1 for 1.0),
    # must still render as json.dumps does.
    from dataclasses import replace

    score = default.score("قصفت ميليشيات حفتر الأحياء. وقال المسماري: «إن ميليشيات الوفاق فرت».")
    m = score.matches[0]
    variants = [m, replace(m, target=None), replace(m, target="gna"), replace(m, voice="quoted", speaker="lna"),
                replace(m, rule="nearest"), replace(m, weight=int(m.weight)), replace(m, weight=True),
                replace(m, term="آخر"), replace(m, source="other.tsv:1"), replace(m, text="«ن»\n")]
    renderer = JsonRenderer(default.lexicon)
    for _ in range(2):  # the second round reads what the first kept
        for v in variants:
            assert renderer.match(v) == json.dumps(v.to_dict(), ensure_ascii=False)


def test_an_article_with_more_matches_than_a_piece(default):
    # The line of a long article comes in pieces of a few thousand matches: joined, they are
    # still exactly json.dumps's line, with one ", " between the matches either side of a cut.
    from framing.jsonl import _BATCH

    score = default.score("قصفت ميليشيات حفتر الأحياء. " * (_BATCH + _BATCH // 4), {"id": "long"})
    assert len(score.matches) > _BATCH
    pieces = JsonRenderer(default.lexicon).pieces(score, {"model": None})
    assert len(pieces) > 3 and max(map(len, pieces)) < len("".join(pieces)) / 2
    assert "".join(pieces) == _dumps(score, {"model": None})
    _encoded_as_str_encode(JsonRenderer(default.lexicon), score, {"model": None})


def test_cli_json_is_the_renderer_output(tmp_path, capsys, mini):
    from framing.cli import main

    corpus = tmp_path / "c.jsonl"
    texts = ["قصفت ميليشيات حفتر الأحياء.", "وقال قنونو: «إن قواتنا الباسلة صدت الهجوم»"]
    corpus.write_text("".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) + "\n"
                              for k, t in enumerate(texts)), encoding="utf-8")
    assert main(["score", str(corpus), "--json", "--lexicon", str(DATA / "mini")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [_dumps(mini.score(t, {"id": k})) for k, t in enumerate(texts)]


def test_the_renderers_own_keys_are_a_scores_keys(default):
    # JsonRenderer renders these keys itself unless a corpus field has one of their names.
    from framing.jsonl import _OWN_KEYS

    assert set(default.score("قصفت ميليشيات حفتر الأحياء.").to_dict()) == _OWN_KEYS


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.sampled_from([0.0, -0.0]))


@settings(max_examples=300, deadline=None)
@given(NUMBERS, NUMBERS, st.integers(0, 10**6), st.sampled_from([None, "favorable", "neutral", "«غير» \"x\""]))
def test_party_stances_render_as_json_dumps(favorable, unfavorable, mentions, stance):
    from framing.jsonl import _party
    from framing.results import PartyStance

    p = PartyStance(favorable, unfavorable, mentions, stance)
    assert _party(p) == json.dumps(p.to_dict(), ensure_ascii=False)
    # The renderer keeps texts by value: values equal but written apart (-0.0 and 0.0, 1 and 1.0)
    # must never share one, in either order.
    renderer = JsonRenderer(load_lexicon(None))
    twins = [p, PartyStance(-favorable, unfavorable, mentions, stance), PartyStance(favorable, -unfavorable, mentions,
             stance), PartyStance(float(favorable), unfavorable, mentions, stance),
             PartyStance(favorable, unfavorable, bool(mentions), stance)]
    if isinstance(favorable, float) and favorable.is_integer() and abs(favorable) < 1e15:
        twins.append(PartyStance(int(favorable), unfavorable, mentions, stance))
    for q in twins + twins[::-1]:
        assert renderer._party(q) == json.dumps(q.to_dict(), ensure_ascii=False)
    for x in (favorable, unfavorable, -favorable):
        assert renderer._number(x) == json.dumps(round(x, 3))


@pytest.mark.parametrize("value", [
    0.0, -0.0, 1.5, 1e-7, 1e22, 0.1 + 0.2, float("nan"), float("inf"), -float("inf"),  # floats as repr / json
    0, -3, 10**20, True, False, None, "", "«مقتبس» \"x\"\n\\", "\u2028",                  # the other scalars
])
def test_flat_dicts_render_as_json_dumps(value):
    from framing.jsonl import _flat

    d = {"a": value, "ع": value}
    assert _flat(d) == json.dumps(d, ensure_ascii=False)


def _real_matches(scorer):
    """Matches of every voice, with and without a target, rule and speaker."""
    score = scorer.score("قصفت ميليشيات حفتر الأحياء. وقال المسماري: «إن ميليشيات الوفاق فرت». "
                         "وأدانت حكومة الوفاق العدوان على طرابلس.")
    assert {m.speaker is None for m in score.matches} == {True, False}
    return score.matches


ODD_TEXTS = ["", "\"«اقتباس»\"", "\\", "\\\"", "\n\r\t\b\f", "".join(map(chr, range(0x20))), "\x7f\x80\xa0",
             "é", "😀 حفتر", "\ud800", "\udfff\ud800", "\u2028\u2029", "\x00ع\x00", "ـ" * 300]


def _variants(m):
    """``m`` changed in each way the compiled renderer writes itself or leaves to json.dumps."""
    from dataclasses import replace

    class Text(str):
        pass

    own = [replace(m, **{name: text}) for name in ("text", "target", "voice", "rule", "speaker") for text in ODD_TEXTS]
    own += [replace(m, target=None, voice=None, rule=None, speaker=None), replace(m, text=None),
            replace(m, target=5), replace(m, speaker=Text("lna")), replace(m, rule=["named"])]
    offsets = [0, -1, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 10**40, True, False, 1.0, float("nan"), None, "3"]
    # Each number of digits, odd and even (written two digits at a time), at its ends.
    offsets += [int(sign + digits) for sign in ("", "-") for n in range(1, 20) for digits in ("9" * n, "1" + "0" * (n - 1))
                if int(digits) < 2**63]
    own += [replace(m, start=x) for x in offsets] + [replace(m, end=x) for x in offsets]
    copied = [replace(m, weight=x) for x in (int(m.weight), float(m.weight), -m.weight, True, False, None, "1")]
    copied += [replace(m, term=Text(m.term)), replace(m, term=m.term + "ـ"), replace(m, kind=None),
               replace(m, polarity="favorable" if m.polarity != "favorable" else None), replace(m, category="x"),
               replace(m, source="other.tsv:1"), replace(m, source=7), replace(m, source=Text(m.source))]
    return own + copied


def test_every_odd_value_renders_as_json_dumps(default):
    from dataclasses import replace

    renderer = JsonRenderer(default.lexicon)
    for m in _real_matches(default):
        variants = _variants(m)
        want = [json.dumps(v.to_dict(), ensure_ascii=False) for v in variants]
        for v, text in zip(variants, want):
            assert renderer.match(v) == text and renderer.python_matches((v,)) == text
        # All at once: the fast ones and the ones left to json.dumps, of every width, side by side.
        assert renderer.matches(variants) == renderer.python_matches(variants) == ", ".join(want)
        assert renderer.matches(list(reversed(variants))) == ", ".join(reversed(want))
        score = replace(default.score("قصفت ميليشيات حفتر."), matches=tuple(variants))
        _encoded_as_str_encode(renderer, score)
        for v in variants:  # a lone surrogate alone among others
            _encoded_as_str_encode(renderer, replace(score, matches=(v, m, v)))


def test_a_match_with_an_empty_slot_fails_as_to_dict_does(default):
    empty = object.__new__(default.score("قصفت ميليشيات حفتر.").matches[0].__class__)
    renderer = JsonRenderer(default.lexicon)
    for render in (renderer.matches, renderer.python_matches):
        with pytest.raises(AttributeError):
            render((empty,))


def test_no_matches_and_matches_of_any_iterable(default):
    renderer = JsonRenderer(default.lexicon)
    matches = _real_matches(default)
    assert renderer.matches(()) == renderer.python_matches(()) == ""
    assert renderer.matches(iter(matches)) == renderer.matches(list(matches)) == renderer.python_matches(matches)


CHARACTERS = st.one_of(st.characters(), st.sampled_from(["\"", "\\", "\ud800", "\udfff", "😀", "\x00", "\x1f", "\x7f",
                                                         "é", "ع", "\n"]))
TEXTS = st.text(CHARACTERS, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_values_render_as_json_dumps(default, data):
    from dataclasses import replace

    renderer = JsonRenderer(default.lexicon)
    matches = _real_matches(default)
    optional = st.none() | TEXTS
    changed = data.draw(st.lists(st.builds(
        replace, st.sampled_from(matches), start=st.integers() | st.sampled_from([True, 2.0]),
        end=st.integers(-1, 10**6), text=TEXTS, target=optional, voice=optional, rule=optional, speaker=optional),
        max_size=5))
    mixed = data.draw(st.permutations(changed + list(matches[:3])))
    want = ", ".join(json.dumps(m.to_dict(), ensure_ascii=False) for m in mixed)
    assert renderer.matches(mixed) == want and renderer.python_matches(mixed) == want
    _encoded_as_str_encode(renderer, replace(default.score("قصفت ميليشيات حفتر."), matches=tuple(mixed)))


def _encoded_as_str_encode(renderer, score, extra=None):
    """``renderer.encoded`` gives what encoding ``renderer.pieces`` gives, or the same error."""
    try:
        want = [piece.encode() for piece in renderer.pieces(score, extra)]
    except UnicodeEncodeError as exc:  # a lone surrogate: UTF-8 has no bytes for it
        with pytest.raises(UnicodeEncodeError) as raised:
            renderer.encoded(score, extra)
        assert str(raised.value) == str(exc)
    else:
        assert renderer.encoded(score, extra) == want


NAMES = st.text(CHARACTERS, max_size=6)
SCORES = st.one_of(NUMBERS, st.sampled_from([True, 1, 10**20]))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(NAMES, SCORES, max_size=4),
       st.dictionaries(NAMES, st.tuples(SCORES, SCORES, st.integers(0, 10**6) | st.sampled_from([True, 2.0]),
                                        st.none() | NAMES), max_size=4),
       st.none() | NAMES | st.sampled_from([1, 2.5]))
def test_voices_render_as_json_dumps(sides, parties, lean):
    from framing.results import PartyStance, VoiceScores

    v = VoiceScores(sides, {k: PartyStance(*p) for k, p in parties.items()}, lean)
    renderer = JsonRenderer(load_lexicon(None))
    want = json.dumps(v.to_dict(), ensure_ascii=False)
    for _ in range(2):  # the second time from the texts the renderer kept
        assert renderer._voice(v) == renderer.python_voice(v) == want


def test_voices_of_another_class_or_with_odd_names():
    from types import SimpleNamespace

    from framing.results import PartyStance, VoiceScores

    renderer = JsonRenderer(load_lexicon(None))
    p = PartyStance(1.5, 0.0, 2, "favorable")
    plain = SimpleNamespace(sides={"lna": 1.0}, parties={"lna": p}, lean="lna")
    assert renderer._voice(plain) == renderer.python_voice(plain) == json.dumps(
        VoiceScores(plain.sides, plain.parties, plain.lean).to_dict(), ensure_ascii=False)
    for odd in (VoiceScores({1: 1.0}, {}, None), VoiceScores({}, {"lna": p, 2: p}, None)):
        for render in (renderer._voice, renderer.python_voice):
            with pytest.raises(TypeError):  # json.dumps writes 1 as "1"; no score has such a key
                render(odd)


def test_a_renderer_keeps_numbers_apart_and_within_bounds():
    # Texts are kept by value, a bounded number of them: many values, and values equal but
    # written apart (0.0 and -0.0), each still as json.dumps writes it.
    from framing.results import PartyStance, VoiceScores

    renderer = JsonRenderer(load_lexicon(None))
    for k in range(3):
        values = [x / 7 + k for x in range(5000)] + [0.0, -0.0, 1e-4, -1e-4, float("nan"), 0.0]
        sides = {f"s{i}": x for i, x in enumerate(values)}
        v = VoiceScores(sides, {"p": PartyStance(-0.0, 0.0, 1, None), "q": PartyStance(0.0, -0.0, 0, "x")}, None)
        assert renderer._voice(v) == renderer.python_voice(v) == json.dumps(v.to_dict(), ensure_ascii=False)


# Parties alike but for one thing each, which their text shows: the renderer keeps each party's
# text by its numbers' bits, its mentions and its stance, and must never give one for another.
ALIKE_PARTIES = [
    (1.5, 0.0, 2, "favorable"),
    (1.5, 0.0, 3, "favorable"),  # mentions
    (1.5, 0.0, 2, "neutral"),  # stance
    (1.5, 0.0, 2, None),
    (1.5, -0.0, 2, "favorable"),  # a zero written apart
    (0.0, 1.5, 2, "favorable"),  # the numbers swapped
    (1.5004, 0.0, 2, "favorable"),  # rounds as 1.5 does: its own text, equal to 1.5's
    (1.5, 0.0, 10**20, "favorable"),  # beyond 64 bits: written, not kept
    (1.5, 0.0, 2, b"favorable".decode()),  # an equal stance, another object
]


def test_a_renderer_keeps_parties_apart_and_within_bounds():
    from framing.results import PartyStance, VoiceScores

    renderer = JsonRenderer(load_lexicon(None))
    # Sides beside them: their numbers are kept in the same table as the parties' texts.
    sides = {"a": 1.5, "b": -0.0, "c": 0.0, "d": 2.0}
    alike = VoiceScores(sides, {f"p{k}": PartyStance(*p) for k, p in enumerate(ALIKE_PARTIES)}, None)
    # Thousands of parties alike but for two things: kept side by side, near one another in the
    # renderer's table, where one given for another would show.
    numbers = [PartyStance(f / 4, u / 4, 1, None) for f in range(60) for u in range(60)]
    names = [f"s{k}" for k in range(360)]  # each stance one object, as the scorer's are
    mentions = [PartyStance(1.0, 0.0, m, name) for m in range(360) for name in names[:10]]
    stances = [PartyStance(1.0, 0.0, m, name) for m in range(10) for name in names]
    mixed = [VoiceScores({}, {f"q{k}": p for k, p in enumerate(ps)}, None) for ps in (numbers, mentions, stances)]
    for _ in range(3):  # then from the texts kept, as many as the renderer keeps (it forgets them when full)
        for v in (alike, *mixed, *mixed, alike):
            assert renderer._voice(v) == renderer.python_voice(v) == json.dumps(v.to_dict(), ensure_ascii=False)


ROW_HEADS = [
    # the article's fields before each row of the long table of matches (export.match_row_head)
    {"where": "c.jsonl:1", "id": "a1"},
    {"where": "c.jsonl:2"},
    {"where": "ملف «س» \"x\".jsonl:3", "id": [1, {"ب": None}, -0.0]},
    {"where": "c.jsonl:4", "id": float("nan")},
    # must not take the shortcut: a key a match also has, a key json.dumps converts, no key at all
    {"where": "c.jsonl:5", "start": "the head's"},
    {"where": "c.jsonl:6", 1: "x"},
    {},
]


@pytest.mark.parametrize("head", ROW_HEADS)
@pytest.mark.parametrize("compiled", [True, False])
def test_match_rows_render_as_json_dumps_of_the_row(default, head, compiled):
    from dataclasses import replace

    score = default.score("قصفت ميليشيات حفتر الأحياء. وقال المسماري: «إن ميليشيات الوفاق فرت».")
    m = score.matches[0]
    matches = [*score.matches, replace(m, weight=True), replace(m, source="other.tsv:1"), replace(m, text="«ن»\n")]
    renderer = JsonRenderer(default.lexicon)
    if not compiled:
        renderer._compiled = None  # the Python twin
    want = [f"{json.dumps({**head, **x.to_dict()}, ensure_ascii=False)}\n".encode() for x in matches]
    assert renderer.row_lines(head, matches) == want and renderer.row_lines(head, ()) == []
