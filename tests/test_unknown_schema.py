"""A table that lost its DataFrame.attrs is never read with a guessed voice or text field: what is not
given nor recorded is refused in one line (Schema.of), or not assumed (compare and term_chart list every
column that is not a score as a field)."""

import pandas as pd
import pytest

from framing import InputError
from framing.charts import term_chart
from framing.groups import compare
from framing.schema import Schema
from framing.table import score_corpus

from .conftest import DATA

MINI = DATA / "mini"
BODY = ["قصفت ميليشيات حفتر الأحياء السكنية.", "تواصل ميليشيات الوفاق خرق الهدنة.", "التقى المبعوث ممثلي الأطراف."]


@pytest.fixture(scope="module")
def scored():
    # the article is in "body"; "text" is a corpus field of its own (a one-word summary)
    frame = pd.DataFrame({"id": [f"a{i}" for i in range(6)], "outlet": ["A", "B"] * 3,
                          "date": ["2020-01-05"] * 6, "body": BODY * 2, "text": ["x", "y", "z"] * 2})
    return score_corpus(frame, lexicon=MINI, text_field="body", progress=False)


def _lost(df):
    lost = df.copy()
    lost.attrs = {}
    return lost


# (attrs kept, Schema.of keywords, (text_field, voice) or the message)
SCHEMA_OF = [
    (True, {}, ("body", "narrator")),
    (True, {"voice": "all"}, ("body", "all")),
    (False, {"lexicon": MINI, "text_field": "body", "voice": "reading"}, ("body", "reading")),
    # must NOT guess: the narrator voice, the "text" field, the default lexicon
    (False, {"lexicon": MINI}, ("this table's text_field and voice are not known (pandas drops DataFrame.attrs in "
                                "merges and most operations): pass text_field=, voice= or schema=")),
    (False, {"lexicon": MINI, "text_field": "body"}, "this table's voice is not known"),
    (False, {"lexicon": MINI, "voice": "narrator"}, "this table's text_field is not known"),
    (False, {}, "this table's lexicon, text_field and voice are not known"),
]


@pytest.mark.parametrize("kept, kwargs, expected", SCHEMA_OF)
def test_schema_of_never_guesses(scored, kept, kwargs, expected):
    df = scored if kept else _lost(scored)
    if isinstance(expected, str):
        with pytest.raises(InputError) as info:
            Schema.of(df, **kwargs)
        assert str(info.value).startswith(expected) and "\n" not in str(info.value)
    else:
        schema = Schema.of(df, **kwargs)
        assert (schema.text_field, schema.voice) == expected and schema.lexicon.name == "mini"


FIELDS_KNOWN = "id, outlet, date, text"
FIELDS_ALL = "id, outlet, date, text, body"  # the text column unknown: none is taken for it
# (attrs kept, schema, by, over/date_field, None when it compares, else the fields the message lists)
COMPARE = [
    (True, None, "text", {}, None),
    (True, None, "body", {}, FIELDS_KNOWN),
    (False, None, "text", {}, None),  # not assumed to be the article
    (False, None, "nope", {}, FIELDS_ALL),
    (False, None, "outlet", {"over": "month", "date_field": "when"}, FIELDS_ALL),
    (False, Schema(MINI, "body"), "body", {}, FIELDS_KNOWN),
    (False, Schema(MINI, "body"), "text", {}, None),
    (False, Schema(MINI, "body"), "outlet", {"over": "month", "date_field": "when"}, FIELDS_KNOWN),
]


@pytest.mark.parametrize("kept, schema, by, extra, fields", COMPARE)
def test_compare_takes_the_text_field_from_the_schema_or_assumes_none(scored, kept, schema, by, extra, fields):
    df = scored if kept else _lost(scored)
    if fields is None:
        table = compare(df, by, n_boot=20, schema=schema, **extra)
        assert sorted(table[by]) == ["x", "y", "z"] and table["n"].sum() == 6
    else:
        with pytest.raises(InputError, match=f"fields are: {fields}$"):
            compare(df, by, n_boot=20, schema=schema, **extra)


# (lexicon given to term_chart, by, None when it draws, else the fields the message lists)
TERM_CHART = [
    (MINI, "text", None),  # a frame without attrs: "text" is a field like any other
    (MINI, "nope", FIELDS_ALL),
    (Schema(MINI, "body"), "body", FIELDS_KNOWN),
]


@pytest.mark.parametrize("lexicon, by, fields", TERM_CHART)
def test_term_chart_does_not_assume_the_text_field(scored, lexicon, by, fields):
    df = _lost(scored)
    if fields is None:
        assert term_chart(df, by=by, lexicon=lexicon, top=3) is not None
    else:
        with pytest.raises(InputError, match=f"fields are: {fields}$"):
            term_chart(df, by=by, lexicon=lexicon, top=3)
