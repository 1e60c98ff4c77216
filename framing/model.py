"""Stance models for several parties, and their files.

A :class:`StanceModel` holds one fitted :class:`~framing.classifier.StanceClassifier` per labelled
party. :func:`save_model` writes it with skops (``.skops``), a zip of JSON and NumPy arrays that
is loaded by rebuilding objects of allowed types, never by unpickling. :func:`load_model` reads
the types a file declares with :func:`skops.io.get_untrusted_types` and refuses any type outside
:data:`TRUSTED_TYPES` (the types a model made by ``framing train`` contains), so a file edited to
smuggle in a function or class is rejected before anything in it is built.

Beside the skops content the file holds ``framing-model.json`` (:class:`ModelInfo`): format
number, parties and labels, lexicon name and hash, training corpus hash and size, library
versions. It is read first, so a file from an incompatible framing is refused with a clear message.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import LexiconError, ModelError, a_or_an, escape
from .labels import LABELS, LabelledCorpus
from .lexicon import lexicon_ref

#: Version of the layout of model files; a file with another number is refused.
MODEL_FORMAT = 1
INFO_MEMBER = "framing-model.json"
CHUNK = 1024  # articles predicted together, sharing their lexicon scores between parties

#: The types a framing model file may contain beyond those skops trusts by default (builtins,
#: NumPy, SciPy sparse matrices and public scikit-learn estimators such as Pipeline or
#: LogisticRegression): framing's own classes and three private scikit-learn helpers of the
#: calibration. Any other type in a file means it was not made by `framing train`.
TRUSTED_TYPES = frozenset({
    "framing.classifier.StanceClassifier",
    "framing.features.LexiconFeatures",
    "framing.features.TextNgrams",
    "framing.features.ToCSR",
    "framing.model.StanceModel",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
})


@dataclass(frozen=True)
class ModelInfo:
    """What a model file records about how the model was made."""

    format: int
    parties: tuple[str, ...]
    labels: tuple[str, ...]
    counts: dict[str, dict[str, int]]
    lexicon: str
    lexicon_sha256: str
    corpus_sha256: str
    corpus_size: int
    params: dict
    versions: dict[str, str]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["parties"], out["labels"] = list(self.parties), list(self.labels)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> ModelInfo:
        """Rebuild the info of a model file, checking every field's type.

        Raises
        ------
        ValueError
            Naming the first field that is missing, unknown or of the wrong type (TypeError: not a dict).
        """
        if not isinstance(data, dict):
            raise TypeError(f"must be a JSON object. Got {type(data).__name__} instead")
        fields = {f.name for f in dataclasses.fields(cls)}
        if set(data) != fields:
            odd = sorted(set(data) ^ fields)
            raise ValueError(f"fields missing or unknown: {', '.join(map(str, odd))}")
        checks = {
            "format": lambda v: _is_int(v),
            "parties": lambda v: isinstance(v, list) and v and all(isinstance(p, str) and _PARTY.match(p) for p in v),
            "labels": lambda v: isinstance(v, list) and all(x in LABELS for x in v),
            "counts": lambda v: isinstance(v, dict) and all(
                isinstance(c, dict) and all(k in LABELS and _is_int(n) and n >= 0 for k, n in c.items())
                for c in v.values()),
            "lexicon": lambda v: isinstance(v, str),
            "lexicon_sha256": lambda v: isinstance(v, str) and _SHA256.match(v),
            "corpus_sha256": lambda v: isinstance(v, str) and _SHA256.match(v),
            "corpus_size": lambda v: _is_int(v) and v >= 0,
            "params": lambda v: isinstance(v, dict),
            "versions": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
        }
        for name, ok in checks.items():
            if not ok(data[name]):
                raise ValueError(f"field {name!r} has the wrong type or value")
        check_params(data["params"])
        data = dict(data)
        data["parties"], data["labels"] = tuple(data["parties"]), tuple(data["labels"])
        return cls(**data)


_PARTY = re.compile(r"[a-z][a-z0-9_]*\Z")  # a party id, as lexicons define them
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


#: The StanceClassifier parameters a model file may set, each with the values it may take. The
#: n-gram range is bounded: n-grams of any length would make every prediction slow.
PARAMS = {
    "ngram": lambda v: v in ("char", "word", None),
    "ngram_range": lambda v: v is None or (isinstance(v, (list, tuple)) and len(v) == 2
                                           and all(_is_int(n) for n in v) and 1 <= v[0] <= v[1] <= 10),
    "min_df": lambda v: _is_int(v) and v >= 1,
    "C": lambda v: _is_number(v) and v > 0,
    "lexicon_weight": lambda v: _is_number(v) and v >= 0,
    "class_weight": lambda v: v in ("balanced", None) or (
        isinstance(v, dict) and all(k in LABELS and _is_number(w) and w > 0 for k, w in v.items())),
    "calibration_cv": lambda v: _is_int(v) and 1 <= v <= 20,
}


def check_params(params) -> None:
    """Raise ValueError unless ``params`` are StanceClassifier parameters with sane values."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict. Got {type(params).__name__} instead")
    for name, value in params.items():
        if name not in PARAMS:
            raise ValueError(f"unknown classifier parameter {name!r}")
        if not PARAMS[name](value):
            raise ValueError(f"classifier parameter {name!r} has an unusable value")


def library_versions() -> dict[str, str]:
    import numpy
    import sklearn
    import skops

    from . import __version__

    return {"framing": __version__, "scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "numpy": numpy.__version__}


class StanceModel:
    """One :class:`~framing.classifier.StanceClassifier` per labelled party.

    Parameters
    ----------
    lexicon : str or path, default=None
        Lexicon of the lexicon features (None: the default lexicon).
    **params
        Further :class:`~framing.classifier.StanceClassifier` parameters, the same for every party.

    Attributes
    ----------
    classifiers_ : dict of str to StanceClassifier
        The fitted classifier of each party, in lexicon order.
    info_ : ModelInfo
        How the model was made (also written to the model file).
    """

    def __init__(self, lexicon=None, **params):
        self.lexicon = lexicon_ref(lexicon)  # a str persists; a Path or Lexicon is no trusted type
        self.params = params

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("info_", None)  # stored as JSON beside the skops content
        return state

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.classifiers_)

    def fit(self, texts: Sequence[str], labels: Mapping[str, Sequence[str | None]]) -> StanceModel:
        """Fit a classifier for each party of ``labels`` on the articles labelled for it.

        ``labels[party][i]`` is the label of ``texts[i]`` for that party, or None (or any value
        pandas takes as missing: NaN, ``pd.NA``).
        """
        import pandas as pd

        from .classifier import StanceClassifier
        from .features import shared_work
        from .lexicon import load_lexicon

        def label(v):  # a column of labels with gaps, as pandas holds it, has NaN or NA for None
            return None if not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v) else v

        corpus = LabelledCorpus(tuple(texts), {p: tuple(map(label, v)) for p, v in labels.items()}, ())
        for party, values in corpus.labels.items():
            odd = sorted({str(v) for v in values if v is not None and v not in LABELS})
            if odd:
                raise ValueError(f"labels[{party!r}] must be {', '.join(LABELS)} or None. Got {', '.join(odd)} instead")
            if len(values) != len(corpus.texts):
                raise ValueError(f"labels[{party!r}] must have one entry per text ({len(corpus.texts)}). "
                                 f"Got {len(values)} instead")
        lexicon = load_lexicon(self.lexicon)
        order = list(lexicon.parties)
        self.classifiers_ = {}
        counts = {}
        with shared_work():  # the parties share each article's lexicon scores and words
            for party in sorted(corpus.labels, key=lambda p: (order.index(p) if p in order else len(order), p)):
                x, y, _ = corpus.party(party)
                if not x:
                    continue
                self.classifiers_[party] = StanceClassifier(self.lexicon, **self.params).fit(x, y)
                counts[party] = {c: y.count(c) for c in LABELS if c in y}
        if not self.classifiers_:
            raise ValueError("no labelled articles: every label is None")
        self.info_ = ModelInfo(MODEL_FORMAT, self.parties, LABELS, counts, lexicon.name, lexicon.sha256,
                               corpus.sha256(), len(corpus), dict(self.params), library_versions())
        return self

    def predict(self, texts: Sequence[str]) -> list[dict[str, dict]]:
        """For each text, ``{party: {"label": str, "proba": {class: float}}}``.

        ``proba`` always lists the three classes; a class a party never had in training gets 0.
        """
        from .features import shared_work

        texts = list(texts)
        out: list[dict[str, dict]] = [{} for _ in texts]
        # In chunks, so that the parties share each article's lexicon scores and words, and memory
        # stays flat on any corpus size.
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start:start + CHUNK]
            with shared_work():
                probas = {party: clf.predict_proba(chunk) for party, clf in self.classifiers_.items()}
            for party, clf in self.classifiers_.items():
                proba = probas[party]
                classes = [str(c) for c in clf.classes_]
                for row, p in zip(out[start:start + CHUNK], proba):
                    full = dict.fromkeys(LABELS, 0.0)
                    full.update({c: round(float(v), 4) for c, v in zip(classes, p)})
                    row[party] = {"label": classes[int(p.argmax())], "proba": full}
        return out

    def predict_one(self, text: str) -> dict[str, dict]:
        """``{party: {"label": str, "proba": {class: float}}}`` for one article."""
        return self.predict([text])[0]

    def explain(self, text: str, n: int = 10) -> dict:
        """Per party, the features that pushed ``text`` toward and away from its label."""
        return {party: clf.explain(text, n) for party, clf in self.classifiers_.items()}

    def top_features(self, n: int = 10, block: str | None = None) -> dict[str, dict[str, list[tuple[str, float]]]]:
        """Per party and class, the features with the largest weights (see
        :meth:`~framing.classifier.StanceClassifier.top_features`)."""
        return {party: clf.top_features(n, block) for party, clf in self.classifiers_.items()}

    def use_lexicon(self, lexicon) -> StanceModel:
        """Compute lexicon features with ``lexicon`` (name, path or Lexicon) from now on."""
        self.lexicon = lexicon = lexicon_ref(lexicon)
        for clf in self.classifiers_.values():
            clf.use_lexicon(lexicon)
        return self


def save_model(model: StanceModel, path) -> None:
    """Write a fitted :class:`StanceModel` to ``path`` (a skops file; ``.skops`` by convention).

    The file is written to a temporary name and renamed, so an interrupted save leaves no
    half-written model.
    """
    import skops.io

    if not hasattr(model, "info_"):
        raise ModelError("cannot save a StanceModel that is not fitted")
    from .output import atomic_output

    with atomic_output(path, what="the model") as tmp:
        skops.io.dump(model, tmp, compression=zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(tmp, "a") as z:
            z.writestr(INFO_MEMBER, json.dumps(model.info_.to_dict(), ensure_ascii=False, indent=1))


def read_info(path) -> ModelInfo:
    """The :class:`ModelInfo` of a model file, without loading the model.

    Raises
    ------
    ModelError
        If the file is not a framing model or has another format number.
    """
    path = Path(path)
    try:
        if not path.is_file():
            raise ModelError(f"{path}: no such model file")
        path.open("rb").close()  # an unreadable file is said so (is_zipfile would call it "not a zip")
        if not zipfile.is_zipfile(path):
            raise ModelError(f"{path}: not a framing model file (not a skops archive); make one with `framing train`")
        with zipfile.ZipFile(path) as z:
            check_archive(path, z.infolist())
            data = json.loads(z.read(INFO_MEMBER))
    except KeyError:
        raise ModelError(f"{path}: not a framing model file (a zip archive without {INFO_MEMBER})") from None
    except (zipfile.BadZipFile, ValueError, RecursionError, EOFError, zlib.error) as exc:
        raise ModelError(f"{path}: damaged model file ({type(exc).__name__}: {exc})") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file: {(exc.strerror or str(exc)).lower()}") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        versions = data.get("versions") if isinstance(data, dict) else None
        made = versions.get("framing", "?") if isinstance(versions, dict) else "?"
        raise ModelError(f"{path}: model format {found!r} (made by framing {made}) is not the format {MODEL_FORMAT} "
                         "this version reads; retrain it with `framing train`")
    try:
        return ModelInfo.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{path}: damaged {INFO_MEMBER} ({exc})") from None


#: Limits on a model file's zip archive, checked before anything is inflated (the model of the
#: 260-article demo corpus holds 34 members, 3.5 MB inflated, the largest 0.7 MB). A member's
#: declared size is what zipfile inflates at most (more fails its check), so these bound memory.
MAX_MEMBERS = 10_000
MAX_MEMBER_SIZE = 256 * 2**20
MAX_TOTAL_SIZE = 512 * 2**20
MAX_INFO_SIZE = 2**20
MAX_RATIO = 200  # inflated / compressed size, for members over 1 MiB (the demo model's largest: 31)


def check_archive(path, members: Sequence[zipfile.ZipInfo]) -> None:
    """Refuse a model archive whose members would inflate beyond the limits above (a zip bomb)."""
    if len(members) > MAX_MEMBERS:
        raise ModelError(f"{path}: refusing to load: {len(members):,} archive members (at most {MAX_MEMBERS:,})")
    total = 0
    for info in members:
        limit = MAX_INFO_SIZE if info.filename == INFO_MEMBER else MAX_MEMBER_SIZE
        if info.file_size > limit or (info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise ModelError(f"{path}: refusing to load: member {escape(info.filename)} inflates to "
                             f"{info.file_size:,} bytes from {info.compress_size:,} (at most {limit:,} bytes, "
                             f"{MAX_RATIO} times its compressed size)")
        total += info.file_size
    if total > MAX_TOTAL_SIZE:
        raise ModelError(f"{path}: refusing to load: the archive inflates to {total:,} bytes (at most {MAX_TOTAL_SIZE:,})")


def load_model(path, lexicon=None, warn: Callable[[str], None] | None = None) -> StanceModel:
    """Load a model file safely.

    Parameters
    ----------
    path : str or path
        A file written by :func:`save_model` / ``framing train -o``.
    lexicon : Lexicon, str or path, optional
        The lexicon in use (e.g. the scorer's). The model computes its lexicon features with it;
        if it is not the training lexicon (name or content hash differ) ``warn`` is called. None:
        the training lexicon, found by the name or path recorded at training.
    warn : callable, optional
        Receives one-line warnings (lexicon or scikit-learn version mismatch).

    Raises
    ------
    ModelError
        Not a framing model, a type outside :data:`TRUSTED_TYPES` (a tampered or foreign file),
        an incompatible format or a model that cannot be rebuilt with the installed libraries.
    LexiconError
        ``lexicon`` is None and the training lexicon cannot be found here.
    """
    import skops.io

    from .lexicon import load_lexicon

    path = Path(path)
    info = read_info(path)
    warn = warn or (lambda message: None)
    try:
        untrusted = skops.io.get_untrusted_types(file=path)
    # A hostile or damaged file can make skops fail in any way; each is one ModelError line.
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"{path}: unreadable skops content ({type(exc).__name__}: {escape(exc)})") from None
    refused = sorted(set(untrusted) - TRUSTED_TYPES)
    if refused:
        raise ModelError(f"{path}: refusing to load: it contains types a framing model never has "
                         f"({escape(', '.join(refused))}); the file was tampered with or is not from `framing train`")
    import sklearn

    made_with = info.versions.get("scikit-learn", "?")
    if made_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        warn(f"{path}: made with scikit-learn {made_with}, running {sklearn.__version__}; "
             "if predictions look wrong, retrain the model")
    try:
        model = skops.io.load(path, trusted=untrusted)
    except Exception as exc:  # noqa: BLE001 (state from another scikit-learn fails in many ways)
        raise ModelError(f"{path}: cannot rebuild the model ({type(exc).__name__}: {escape(exc)}); it was made with "
                         f"scikit-learn {made_with}, this is {sklearn.__version__}: retrain it") from None
    try:
        check_structure(model)
        if model.parties != info.parties:
            raise ValueError(f"its parties {', '.join(model.parties)} are not those of {INFO_MEMBER}")
    except (TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"{path}: refusing to load: {exc}; the file was changed after `framing train` "
                         "wrote it") from None
    model.info_ = info
    if lexicon is None:
        try:
            current = load_lexicon(model.lexicon)
        except LexiconError as exc:
            raise LexiconError(f"{path}: the model was trained with lexicon {info.lexicon!r}, which cannot be "
                               f"loaded here ({exc}); name the lexicon to use", option="lexicon") from None
    else:
        current = load_lexicon(lexicon)
        model.use_lexicon(str(current.path))
    if (current.name, current.sha256) != (info.lexicon, info.lexicon_sha256):
        warn(f"{path}: trained with lexicon {info.lexicon} ({info.lexicon_sha256[:12]}), using lexicon "
             f"{current.name} ({current.sha256[:12]}); lexicon features may not mean what they meant in training")
    try:
        model.predict(["نص قصير للتحقق من النموذج"])
    except Exception as exc:  # noqa: BLE001 (as above: a model rebuilt from foreign state)
        raise ModelError(f"{path}: the model does not run with the installed libraries ({type(exc).__name__}: "
                         f"{escape(exc)}); it was made with scikit-learn {made_with}: retrain it") from None
    return model


def check_structure(model) -> None:
    """Raise ValueError unless ``model`` has exactly the shape ``framing train`` writes.

    A file made only of trusted types can still hold other estimators or parameters than framing's
    (a text vectoriser with a catastrophic regular expression hangs every prediction; ``n_jobs``
    starts processes), so each classifier's fitted pipeline is compared, estimator by estimator and
    parameter by parameter, with the one :meth:`StanceClassifier.fit` builds from the model's
    parameters (checked by :func:`check_params`).
    """
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV, _CalibratedClassifier, _SigmoidCalibration
    from sklearn.model_selection import StratifiedKFold

    from .classifier import StanceClassifier

    if type(model) is not StanceModel:
        raise ValueError(f"it holds {a_or_an(type(model).__name__)}, not a StanceModel")
    if set(vars(model)) != {"lexicon", "params", "classifiers_"}:
        raise ValueError("the stance model has other attributes than framing's")
    if not (model.lexicon is None or isinstance(model.lexicon, str)):
        raise ValueError("the lexicon must be a name or path")
    check_params(model.params)
    if type(model.classifiers_) is not dict or not model.classifiers_:
        raise ValueError("the stance model has no classifiers")
    for party, clf in model.classifiers_.items():
        if not isinstance(party, str) or not _PARTY.match(party):
            raise ValueError("a party name is not a lowercase identifier")
        where = f"the classifier of {party}"
        if type(clf) is not StanceClassifier:
            raise ValueError(f"{where} is {a_or_an(type(clf).__name__)}")
        expected = StanceClassifier(model.lexicon, **model.params)
        if clf.get_params(deep=False) != expected.get_params(deep=False):
            raise ValueError(f"{where} has other parameters than the model's")
        classes = getattr(clf, "classes_", None)
        if (not isinstance(classes, np.ndarray) or classes.ndim != 1 or not 1 <= len(classes) <= len(LABELS)
                or not all(isinstance(c, str) and c in LABELS for c in classes.tolist())
                or sorted(set(classes.tolist())) != classes.tolist()):
            raise ValueError(f"the classes of {where} are not stance labels")
        pipeline = getattr(clf, "pipeline_", None)
        steps = getattr(pipeline, "steps", None)
        final = steps[-1][1] if isinstance(steps, list) and steps and isinstance(steps[-1], tuple) else None
        folds = 0
        if type(final) is CalibratedClassifierCV:
            cv = final.cv
            if type(cv) is not StratifiedKFold or not _is_int(cv.n_splits) or not 2 <= cv.n_splits <= clf.calibration_cv:
                raise ValueError(f"the calibration of {where} is not framing's")
            folds = cv.n_splits
        reference = expected._pipeline(len(classes), folds)
        _same_shape(pipeline, reference, where)
        _check_feature_names(pipeline, where)
        if folds:
            fitted = getattr(final, "calibrated_classifiers_", None)
            if type(fitted) is not list or len(fitted) != 1 or type(fitted[0]) is not _CalibratedClassifier:
                raise ValueError(f"the calibration of {where} is not framing's")
            one = fitted[0]
            _same_shape(one.estimator, reference.steps[-1][1].estimator, f"{where} (calibrated)")
            if (one.method != "sigmoid" or type(one.calibrators) is not list
                    or not all(type(c) is _SigmoidCalibration for c in one.calibrators)):
                raise ValueError(f"the calibration of {where} is not framing's")


def _check_feature_names(pipeline, where: str) -> None:
    """Lexicon feature names must be identifiers, as ``framing train`` makes them (n-grams are
    article text: they are printed escaped, see :func:`framing.errors.escape`)."""
    union = dict(pipeline.steps).get("features")
    parts = dict(union.transformer_list) if union is not None else {}
    if "lexicon" in parts:
        names = getattr(parts["lexicon"].named_steps["evidence"], "feature_names_", None)
        if not isinstance(names, list) or not all(isinstance(n, str) and _PARTY.match(n) for n in names):
            raise ValueError(f"the lexicon feature names of {where} are not identifiers")


def _same_shape(actual, reference, where: str) -> None:
    """Raise ValueError unless ``actual`` is an estimator of ``reference``'s type with its parameters."""
    if type(actual) is not type(reference):
        raise ValueError(f"{where} holds {a_or_an(type(actual).__name__)} "
                         f"where framing writes {a_or_an(type(reference).__name__)}")
    if not hasattr(reference, "get_params"):  # a cross-validation splitter: plain attributes
        if vars(actual) != vars(reference):
            raise ValueError(f"{where} has other settings than framing's")
        return
    got, want = actual.get_params(deep=False), reference.get_params(deep=False)
    if got.keys() != want.keys():
        raise ValueError(f"{where} has other parameters than framing's")
    for key, value in want.items():
        _same_value(got[key], value, f"{where}, {type(reference).__name__}.{key}")


def _same_value(got, want, where: str) -> None:
    if hasattr(want, "get_params") or hasattr(want, "get_n_splits"):
        _same_shape(got, want, where)
    elif isinstance(want, list) and want and all(isinstance(x, tuple) and len(x) == 2 for x in want):  # named steps
        if type(got) is not list or len(got) != len(want):
            raise ValueError(f"{where} has other steps than framing's")
        for item, (name, step) in zip(got, want):
            if type(item) is not tuple or len(item) != 2 or item[0] != name:
                raise ValueError(f"{where} has other steps than framing's")
            _same_shape(item[1], step, f"{where}[{name}]")
    elif type(got) is not type(want) or got != want:
        raise ValueError(f"{where} is {escape(repr(got))[:60]}, not {want!r}")
