"""StanceModel (one classifier per party) and model files: round trips, recorded provenance, and
refusal of files that are not framing models, were tampered with or are incompatible."""

import json
import pickle
import shutil
import zipfile

import pandas as pd
import pytest

from framing import load_lexicon
from framing.corpus import read_records
from framing.errors import LexiconError, ModelError
from framing.labels import LABELS, read_labelled
from framing.model import INFO_MEMBER, MODEL_FORMAT, StanceModel, load_model, read_info, save_model

from .adapters import MINI
from .conftest import DATA

CORPUS = read_labelled(read_records(str(DATA / "stance.jsonl")))
SAMPLE = ["قصفت ميليشيات حفتر الأحياء السكنية.", "تقدمت قوات الوفاق الباسلة.", "افتتحت البلدية سوقا جديدا."]


@pytest.fixture(scope="module")
def model():
    return StanceModel(MINI).fit(CORPUS.texts, CORPUS.labels)


@pytest.fixture(scope="module")
def saved(model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "stance.skops"
    save_model(model, path)
    return path


def test_one_classifier_per_labelled_party(model):
    assert model.parties == ("lna", "gna")
    assert model.info_.counts == {"lna": {"favorable": 7, "neutral": 20, "unfavorable": 9},
                                  "gna": {"favorable": 5, "neutral": 18, "unfavorable": 9}}  # 4 unlabelled


def test_predict_contract(model):
    batch = model.predict(SAMPLE)
    assert batch == [model.predict_one(t) for t in SAMPLE]
    for stance in batch:
        assert set(stance) == {"lna", "gna"}
        for s in stance.values():
            assert list(s["proba"]) == list(LABELS) and s["label"] in LABELS
            assert sum(s["proba"].values()) == pytest.approx(1, abs=1e-3)
            assert s["proba"][s["label"]] == max(s["proba"].values())
    assert batch[0]["lna"]["label"] == "unfavorable" and batch[1]["gna"]["label"] == "favorable"


def test_party_without_a_class_gets_zero_probability_for_it():
    labels = {"lna": [lab if lab != "favorable" else None for lab in CORPUS.labels["lna"]], "turkey": [None] * len(CORPUS)}
    model = StanceModel(MINI).fit(CORPUS.texts, labels)
    assert model.parties == ("lna",)  # nobody labelled turkey
    assert all(s["lna"]["proba"]["favorable"] == 0.0 for s in model.predict(SAMPLE))


def _with_gaps(gap):
    return [gap if i % 3 == 0 else label for i, label in enumerate(CORPUS.labels["lna"][:12])]


# A labels column read with pandas holds its gaps as NaN or NA: they were refused as labels.
@pytest.mark.parametrize("labels", [
    _with_gaps(None),
    _with_gaps(float("nan")),
    pd.Series(_with_gaps(None), dtype=object),
    pd.Series(_with_gaps(None), dtype="string"),
    pd.Series(_with_gaps(None)),
], ids=["None", "nan", "object", "string", "inferred"])
def test_missing_labels_of_any_kind_are_unlabelled(labels):
    model = StanceModel(MINI).fit(CORPUS.texts[:12], {"lna": labels})
    same = StanceModel(MINI).fit(CORPUS.texts[:12], {"lna": _with_gaps(None)})
    assert sum(model.info_.counts["lna"].values()) == 8
    assert (model.info_.counts, model.info_.corpus_sha256) == (same.info_.counts, same.info_.corpus_sha256)


@pytest.mark.parametrize("gap", ["", "n/a", 0])
def test_a_label_that_is_not_missing_is_still_refused(gap):
    with pytest.raises(ValueError, match="must be favorable, neutral, unfavorable or None"):
        StanceModel(MINI).fit(CORPUS.texts[:12], {"lna": _with_gaps(gap)})


def test_fit_rejects_misaligned_labels():
    with pytest.raises(ValueError, match="one entry per text"):
        StanceModel(MINI).fit(CORPUS.texts, {"lna": ["neutral"]})


def test_round_trip(model, saved):
    loaded = load_model(saved)
    assert loaded.predict(SAMPLE + list(CORPUS.texts)) == model.predict(SAMPLE + list(CORPUS.texts))
    assert loaded.top_features(3) == model.top_features(3)
    assert loaded.explain(SAMPLE[0], 4)["lna"] == model.explain(SAMPLE[0], 4)["lna"]


def test_file_records_provenance(saved):
    info = read_info(saved)
    mini = load_lexicon(MINI)
    assert (info.format, info.lexicon, info.lexicon_sha256) == (MODEL_FORMAT, "mini", mini.sha256)
    assert info.parties == ("lna", "gna") and info.labels == LABELS
    assert (info.corpus_size, info.corpus_sha256) == (36, CORPUS.sha256())
    assert set(info.versions) == {"framing", "scikit-learn", "skops", "numpy"}


def test_corpus_hash_depends_on_texts_and_labels():
    relabelled = dict(CORPUS.labels, lna=("neutral",) + CORPUS.labels["lna"][1:])
    changed = type(CORPUS)(CORPUS.texts, relabelled, CORPUS.meta)
    assert changed.sha256() != CORPUS.sha256() == type(CORPUS)(CORPUS.texts, CORPUS.labels, ()).sha256()


def test_save_unfitted_model():
    with pytest.raises(ModelError, match="not fitted"):
        save_model(StanceModel(MINI), "never.skops")


def _rewrite(src, dst, member, change):
    """Copy the zip ``src`` to ``dst`` with ``member`` replaced by ``change(its bytes)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == member else data)
    return dst


def _inject(schema_bytes):
    """Replace the model's lexicon string by a reference to ``builtins.eval``."""
    schema = json.loads(schema_bytes)
    schema["content"]["content"]["lexicon"] = {"__class__": "eval", "__module__": "builtins",
                                               "__loader__": "FunctionNode",
                                               "content": {"module_path": "builtins", "function": "eval"}}
    return json.dumps(schema).encode()


def _info(change):
    return lambda data: json.dumps(change(json.loads(data))).encode()


class Boom:
    """Unpickling this would create a file: loading must never unpickle."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


BAD_FILES = [
    ("not a zip", lambda p, t: (t / "m.skops").write_text("hello") and t / "m.skops", "not a skops archive"),
    ("a pickle", lambda p, t: (t / "m.skops").write_bytes(pickle.dumps(Boom(t / "boom"))) and t / "m.skops",
     "not a skops archive"),
    ("a zip without info", lambda p, t: _zip_without_info(p, t / "m.skops"), f"without {INFO_MEMBER}"),
    ("foreign type injected", lambda p, t: _rewrite(p, t / "m.skops", "schema.json", _inject),
     r"refusing to load: .*builtins\.eval"),
    ("damaged schema", lambda p, t: _rewrite(p, t / "m.skops", "schema.json", lambda d: d[:100]),
     "unreadable skops content"),
    ("skops protocol from the future", lambda p, t: _rewrite(
        p, t / "m.skops", "schema.json", lambda d: json.dumps({**json.loads(d), "protocol": 999}).encode()),
     "unreadable skops content"),
    ("other model format", lambda p, t: _rewrite(p, t / "m.skops", INFO_MEMBER, _info(lambda i: {**i, "format": 99})),
     "model format 99 .* retrain it"),
    ("damaged info", lambda p, t: _rewrite(p, t / "m.skops", INFO_MEMBER, lambda d: b"{"), "damaged model file"),
    ("missing", lambda p, t: t / "absent.skops", "no such model file"),
]


def _zip_without_info(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            if item.filename != INFO_MEMBER:
                zout.writestr(item, zin.read(item.filename))
    return dst


@pytest.mark.parametrize("case,make,message", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_refuses_bad_files(saved, tmp_path, case, make, message):
    path = make(saved, tmp_path)
    with pytest.raises(ModelError, match=message) as info:
        load_model(path)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "boom").exists()  # nothing in the file was executed


def test_refuses_a_model_carrying_a_foreign_object(model, tmp_path):
    """A file skops wrote faithfully, but holding an object no framing model has."""
    import os

    path = tmp_path / "m.skops"
    save_model(model, path)
    evil = StanceModel(MINI)
    evil.__dict__.update(model.__dict__)
    evil.hook = os.system
    save_model(evil, path)
    with pytest.raises(ModelError, match=r"refusing to load: .*system"):
        load_model(path)


def test_scikit_learn_version_mismatch_warns(saved, tmp_path):
    path = _rewrite(saved, tmp_path / "m.skops", INFO_MEMBER,
                    _info(lambda i: {**i, "versions": {**i["versions"], "scikit-learn": "0.1.0"}}))
    warnings = []
    load_model(path, warn=warnings.append)
    assert len(warnings) == 1 and "made with scikit-learn 0.1.0" in warnings[0]


def test_lexicon_in_use_differs(saved):
    warnings = []
    model = load_model(saved, lexicon=load_lexicon(DATA / "forms"), warn=warnings.append)
    assert len(warnings) == 1 and "trained with lexicon mini" in warnings[0] and "using lexicon forms" in warnings[0]
    assert set(model.predict_one(SAMPLE[0])) == {"lna", "gna"}


def test_same_lexicon_no_warning(saved):
    warnings = []
    load_model(saved, lexicon=load_lexicon(MINI), warn=warnings.append)
    load_model(saved, lexicon=MINI, warn=warnings.append)
    assert warnings == []


def test_training_lexicon_edited_or_gone(tmp_path):
    lexicon = tmp_path / "mini"
    shutil.copytree(MINI, lexicon)
    path = tmp_path / "m.skops"
    save_model(StanceModel(str(lexicon)).fit(CORPUS.texts, CORPUS.labels), path)
    with (lexicon / "terms.tsv").open("a", encoding="utf-8") as f:
        f.write("الغزاة\tevaluative\t\tunfavorable\tnoun\tviolence\t1\tinvaders\n")
    warnings = []
    load_model(path, warn=warnings.append)
    assert len(warnings) == 1 and "trained with lexicon mini" in warnings[0]
    shutil.rmtree(lexicon)
    with pytest.raises(LexiconError, match="trained with lexicon 'mini'.*name the lexicon to use") as info:
        load_model(path)
    assert info.value.option == "lexicon"
