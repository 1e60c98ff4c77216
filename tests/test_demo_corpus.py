"""The bundled demo corpus meets its specification."""

from collections import Counter

from framing.corpus import read_records

LABELS = {"favorable", "neutral", "unfavorable"}


def test_demo_corpus_shape():
    records = list(read_records("demo"))
    assert len(records) >= 240
    assert len({r.meta["id"] for r in records}) == len(records)
    outlets = Counter(r.meta["outlet"] for r in records)
    lines = {r.meta["outlet_alignment"] for r in records}
    assert len(outlets) >= 6 and lines == {"pro-lna", "pro-gna", "neutral"}
    for r in records:
        assert r.meta["illustrative"] is True
        assert "2019-04-01" <= r.meta["date"] <= "2020-10-31"
        assert 60 <= len(r.text.split()) <= 400, r.meta["id"]
        assert r.meta["stance_lna"] in LABELS and r.meta["stance_gna"] in LABELS
    for party in ("lna", "gna"):
        assert set(Counter(r.meta[f"stance_{party}"] for r in records)) == LABELS
