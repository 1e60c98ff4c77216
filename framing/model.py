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

import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import LexiconError, ModelError
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
        data = dict(data)
        data["parties"], data["labels"] = tuple(data["parties"]), tuple(data["labels"])
        return cls(**data)


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

        ``labels[party][i]`` is the label of ``texts[i]`` for that party, or None.
        """
        from .classifier import StanceClassifier
        from .features import shared_work
        from .lexicon import load_lexicon

        corpus = LabelledCorpus(tuple(texts), {p: tuple(v) for p, v in labels.items()}, ())
        for party, values in corpus.labels.items():
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
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".framing-", suffix=".skops", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        skops.io.dump(model, tmp, compression=zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(tmp, "a") as z:
            z.writestr(INFO_MEMBER, json.dumps(model.info_.to_dict(), ensure_ascii=False, indent=1))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; a model file is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_info(path) -> ModelInfo:
    """The :class:`ModelInfo` of a model file, without loading the model.

    Raises
    ------
    ModelError
        If the file is not a framing model or has another format number.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a framing model file (not a skops archive); make one with `framing train`")
    try:
        with zipfile.ZipFile(path) as z:
            data = json.loads(z.read(INFO_MEMBER))
    except KeyError:
        raise ModelError(f"{path}: not a framing model file (a zip archive without {INFO_MEMBER})") from None
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ModelError(f"{path}: damaged model file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        made = data.get("versions", {}).get("framing", "?") if isinstance(data, dict) else "?"
        raise ModelError(f"{path}: model format {found!r} (made by framing {made}) is not the format {MODEL_FORMAT} "
                         "this version reads; retrain it with `framing train`")
    try:
        return ModelInfo.from_dict(data)
    except (TypeError, KeyError) as exc:
        raise ModelError(f"{path}: damaged {INFO_MEMBER} ({exc})") from None


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
        raise ModelError(f"{path}: unreadable skops content ({type(exc).__name__}: {exc})") from None
    refused = sorted(set(untrusted) - TRUSTED_TYPES)
    if refused:
        raise ModelError(f"{path}: refusing to load: it contains types a framing model never has "
                         f"({', '.join(refused)}); the file was tampered with or is not from `framing train`")
    import sklearn

    made_with = info.versions.get("scikit-learn", "?")
    if made_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        warn(f"{path}: made with scikit-learn {made_with}, running {sklearn.__version__}; "
             "if predictions look wrong, retrain the model")
    try:
        model = skops.io.load(path, trusted=untrusted)
    except Exception as exc:  # noqa: BLE001 (state from another scikit-learn fails in many ways)
        raise ModelError(f"{path}: cannot rebuild the model ({type(exc).__name__}: {exc}); it was made with "
                         f"scikit-learn {made_with}, this is {sklearn.__version__}: retrain it") from None
    if not isinstance(model, StanceModel) or not getattr(model, "classifiers_", None):
        raise ModelError(f"{path}: not a framing stance model")
    model.info_ = info
    if lexicon is None:
        try:
            current = load_lexicon(model.lexicon)
        except LexiconError as exc:
            raise LexiconError(f"{path}: the model was trained with lexicon {info.lexicon!r}, which cannot be "
                               f"loaded here ({exc}); pass --lexicon") from None
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
                         f"{exc}); it was made with scikit-learn {made_with}: retrain it") from None
    return model
