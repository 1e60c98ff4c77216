"""Turn articles into numbers for a classifier: lexicon evidence and character n-grams.

Two scikit-learn transformers, both taking a sequence of texts (list, tuple, 1-D array or pandas
Series of ``str``):

* :class:`LexiconFeatures` -- what the lexicon scorer found in each article (per-party evidence by
  voice, naming choices versus evaluative words, categories, untargeted words, side scores and the
  scorer's own stance), normalised per 1,000 words;
* :class:`TextNgrams` -- counts of character n-grams inside words (or of word n-grams) of the
  normalised text; follow it with :class:`~sklearn.feature_extraction.text.TfidfTransformer`.

:func:`make_features` joins them in one :class:`~sklearn.pipeline.FeatureUnion`; it is what
:class:`framing.classifier.StanceClassifier` uses, and it composes with any scikit-learn estimator::

    from sklearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    pipe = make_pipeline(make_features(), LogisticRegression())
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .labels import LABELS as STANCES
from .lexicon import POLARITIES
from .normalize import normalize

# Cross-validation and the one-model-per-party design score the same article many times, and
# scoring is the slow part. The work done per article is kept only inside a `shared_work()` block,
# owned by the caller that repeats it (a model's fit or predict, cross-validation); outside one,
# nothing is kept, and no state outlives the call or crosses to another thread or process.
_MEMO: ContextVar[dict | None] = ContextVar("framing_features_memo", default=None)
_MEMO_SIZE = 200_000
_WORD = re.compile(r"\w+")


@contextmanager
def shared_work():
    """Within this block, each article's lexicon features and words are computed once.

    Keys hold everything a result depends on: the lexicon's content hash and the scoring rules
    for lexicon features, the text for its words. Nested blocks share the outermost one.

    Examples
    --------
    >>> with shared_work():                       # doctest: +SKIP
    ...     model.fit(texts, labels); model.predict(texts)
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _memo(key, compute):
    memo = _MEMO.get()
    if memo is None:
        return compute()
    value = memo.get(key)
    if value is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        value = memo[key] = compute()
    return value


def as_texts(X, what: str = "X") -> list[str]:
    """Validate a sequence of articles and return it as a list of ``str``.

    Raises
    ------
    TypeError
        If ``X`` is a single string or contains something else than strings.
    ValueError
        If ``X`` is not one-dimensional.
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of texts, not a single {type(X).__name__}; wrap it in a list")
    if hasattr(X, "ndim") and X.ndim != 1:
        raise ValueError(f"{what} must be a 1-D sequence of texts (str). Got an array of shape {X.shape} instead")
    if not isinstance(X, (Sequence, np.ndarray)) and not hasattr(X, "__array__"):
        raise TypeError(f"{what} must be a sequence of texts (str). Got {type(X).__name__} instead")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{what}[{i}] must be a str. Got {type(t).__name__} instead")
    return texts


def lexicon_feature_names(lexicon) -> list[str]:
    """Names of the columns :class:`LexiconFeatures` produces for a loaded lexicon."""
    names = []
    for p in lexicon.parties:
        names += [f"{p}_{pol}_{voice}" for voice in ("narrator", "quoted") for pol in POLARITIES]
        names += [f"{p}_{kind}_{pol}" for kind in ("naming", "evaluative") for pol in POLARITIES]
        names += [f"{p}_mentions"] + [f"{p}_lexicon_says_{s}" for s in STANCES]
    names += [f"category_{c}" for c in sorted({e.category for e in lexicon.entries if e.category})]
    names += ["untargeted"] + [f"side_{s}_{v}" for s in lexicon.sides for v in ("narrator", "all_voices")]
    return names


class TextTransformerMixin(TransformerMixin):
    """Declares to scikit-learn that the input is a 1-D sequence of texts and the output numeric."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


class LexiconFeatures(TextTransformerMixin, BaseEstimator):
    """Lexicon evidence of each article as a dense feature matrix.

    Columns (see :meth:`get_feature_names_out`), all per 1,000 words unless said otherwise:

    * ``<party>_<polarity>_narrator`` / ``_quoted`` -- weighted favorable / unfavorable evidence
      about the party in the outlet's own voice and inside quotations;
    * ``<party>_naming_<polarity>`` / ``<party>_evaluative_<polarity>`` -- the narrator evidence
      split into naming choices and targeted evaluative words;
    * ``<party>_mentions`` -- matches about the party, any voice;
    * ``<party>_lexicon_says_<stance>`` -- 1 if the scorer's reading of the party is that class (0
      when it abstains; not length-normalised), so a model can learn the lexicon rule itself;
    * ``category_<category>`` -- weight of narrator matches of each lexicon category;
    * ``untargeted`` -- evaluative words the scorer could attach to no actor;
    * ``side_<side>_narrator`` / ``_all_voices`` -- the scorer's side scores.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default=None
        Lexicon name or directory (None: the default lexicon), or a loaded Lexicon. Stored
        unchanged and loaded in :meth:`fit` and :meth:`transform`, so given as a name or path the
        transformer clones and persists without the lexicon inside it.

    Attributes
    ----------
    feature_names_ : list of str
        Column names fixed at fit. A lexicon edited after fitting keeps these columns (new
        parties or categories are ignored, removed ones are zero).
    lexicon_name_, lexicon_sha256_ : str
        Name and content hash of the lexicon used in fit.
    """

    def __init__(self, lexicon=None):
        self.lexicon = lexicon

    def _texts(self, X) -> list[str]:
        return as_texts(X)

    def _get_scorer(self):
        from .scorer import scorer_for

        return scorer_for(self.lexicon)

    def fit(self, X, y=None):
        """Load the lexicon and fix the feature names (the texts are only validated)."""
        self._texts(X)
        lexicon = self._get_scorer().lexicon
        self.feature_names_ = lexicon_feature_names(lexicon)
        self.lexicon_name_ = lexicon.name
        self.lexicon_sha256_ = lexicon.sha256
        return self

    def transform(self, X):
        """Feature matrix of shape ``(len(X), len(feature_names_))``."""
        check_is_fitted(self, "feature_names_")
        texts = self._texts(X)
        scorer = self._get_scorer()
        index = {name: j for j, name in enumerate(self.feature_names_)}
        out = np.zeros((len(texts), len(index)))
        for i, text in enumerate(texts):
            for name, value in self._row(scorer, text).items():
                j = index.get(name)
                if j is not None:
                    out[i, j] = value
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def evidence(self, text: str) -> dict[str, list[str]]:
        """The lexicon terms behind each non-zero count feature of one article (for explanations)."""
        check_is_fitted(self, "feature_names_")
        terms: dict[str, list[str]] = {}
        if text.strip():
            for m in self._get_scorer().matches(text):
                for name in _match_features(m):
                    terms.setdefault(name, []).append(m.text)
        return terms

    @staticmethod
    def _row(scorer, text: str) -> dict[str, float]:
        return _memo(("row", scorer.lexicon.sha256, scorer.rules, text), lambda: _score_row(scorer, text))


def _match_features(m) -> list[str]:
    """The count features a single match adds to (untargeted words and categories included)."""
    names = []
    if m.kind == "evaluative" and m.target is None:
        names.append("untargeted")
    if m.voice == "narrator" and m.category and m.polarity:
        names.append(f"category_{m.category}")
    if m.target is not None and m.polarity:
        names.append(f"{m.target}_{m.polarity}_{m.voice}")
        if m.voice == "narrator":
            names.append(f"{m.target}_{m.kind}_{m.polarity}")
    return names


def _score_row(scorer, text: str) -> dict[str, float]:
    if not text.strip():
        return {}
    result = scorer.score(text)
    per_k = 1000 / max(result.words, 1)
    row: dict[str, float] = {}
    for m in result.matches:
        if m.target is not None:
            row[f"{m.target}_mentions"] = row.get(f"{m.target}_mentions", 0.0) + per_k
        for name in _match_features(m):
            row[name] = row.get(name, 0.0) + (per_k if name == "untargeted" else m.weight * per_k)
    for pid, stance in result.parties.items():
        if stance.stance is not None:
            row[f"{pid}_lexicon_says_{stance.stance}"] = 1.0
    for voice, scores in (("narrator", result.narrator), ("all_voices", result.all_voices)):
        for side, value in scores.sides.items():
            if value:
                row[f"side_{side}_{voice}"] = value
    return row


def normalized_words(text: str) -> tuple[str, ...]:
    """The words of the normalised text (letters and digits; punctuation dropped).

    Computed once per article inside :func:`shared_work` (a multi-party model reads each article
    once per party). Not ``normalize.tokens``: that splits letters from digits («2019م» is two
    tokens there, one here), and the n-grams of saved models were learnt on these words.
    """
    return _memo(("words", text), lambda: tuple(_WORD.findall(normalize(text).text)))


class TextNgrams(TextTransformerMixin, BaseEstimator):
    """Counts of n-grams of the normalised text, as a sparse matrix.

    ``kind="char"`` counts character n-grams inside words padded with a space, like
    ``CountVectorizer(analyzer="char_wb")`` over normalised words, but computes each distinct word's
    n-grams once and sums them with a sparse product, which is several times faster on news text
    (few distinct words, many repetitions). ``kind="word"`` counts word n-grams.

    Parameters
    ----------
    kind : {"char", "word"}, default="char"
    ngram_range : tuple of int, default=None
        Smallest and largest n; None means (2, 5) for characters and (1, 2) for words.
    min_df : int, default=2
        Keep n-grams found in at least this many training articles (at most all of them).

    Attributes
    ----------
    ngrams_ : ndarray of str
        The kept n-grams, in column order (alphabetical). Stored as an array, not a dict, so that a
        saved model stays small.
    vocabulary_ : dict of str to int
        Column of each n-gram (built from ``ngrams_`` when first needed).
    """

    def __init__(self, kind="char", ngram_range=None, min_df=2):
        self.kind = kind
        self.ngram_range = ngram_range
        self.min_df = min_df

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_vocabulary", None)
        return state

    def _texts(self, X) -> list[str]:
        return as_texts(X)

    @property
    def vocabulary_(self) -> dict[str, int]:
        check_is_fitted(self, "ngrams_")
        if getattr(self, "_vocabulary", None) is None:
            self._vocabulary = {str(g): j for j, g in enumerate(self.ngrams_)}
        return self._vocabulary

    def _range(self) -> tuple[int, int]:
        if self.kind not in ("char", "word"):
            raise ValueError(f"kind must be 'char' or 'word'. Got {self.kind!r} instead")
        low, high = self.ngram_range or ((2, 5) if self.kind == "char" else (1, 2))
        if not 1 <= low <= high:
            raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high. Got {self.ngram_range!r} instead")
        return low, high

    def _grams(self, unit, low: int, high: int) -> list[str]:
        if self.kind == "char":
            w = f" {unit} "
            return [w[i:i + n] for n in range(low, high + 1) for i in range(len(w) - n + 1)]
        return [" ".join(unit[i:i + n]) for n in range(low, high + 1) for i in range(len(unit) - n + 1)]

    def _units(self, texts: list[str]) -> tuple[list[str], sp.csr_matrix]:
        """Distinct units (words for char n-grams, whole texts for word n-grams) and the
        text-by-unit count matrix."""
        if self.kind == "word":
            docs = [normalized_words(t) for t in texts]
            return docs, sp.identity(len(docs), format="csr")
        ids: dict[str, int] = {}
        cols: list[int] = []
        indptr = [0]
        for t in texts:
            cols += [ids.setdefault(w, len(ids)) for w in normalized_words(t)]
            indptr.append(len(cols))
        data = np.ones(len(cols))
        matrix = sp.csr_matrix((data, np.asarray(cols, dtype=np.int64), np.asarray(indptr)), shape=(len(texts), len(ids)))
        matrix.sum_duplicates()
        return list(ids), matrix

    def _unit_matrix(self, units, vocabulary: dict[str, int], low: int, high: int, cache: dict | None):
        """Unit-by-n-gram count matrix over ``vocabulary`` (n-grams outside it are dropped)."""
        rows, cols = [], []
        for r, unit in enumerate(units):
            found = cache.get(unit) if cache is not None else None
            if found is None:
                found = [vocabulary[g] for g in self._grams(unit, low, high) if g in vocabulary]
                if cache is not None:
                    cache[unit] = found
            rows += [r] * len(found)
            cols += found
        matrix = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(units), len(vocabulary)))
        matrix.sum_duplicates()
        return matrix

    def fit(self, X, y=None):
        texts = self._texts(X)
        low, high = self._range()
        units, docs = self._units(texts)
        every: dict[str, int] = {}
        for unit in units:
            for g in self._grams(unit, low, high):
                every.setdefault(g, len(every))
        counts = docs @ self._unit_matrix(units, every, low, high, None)
        df = np.diff(counts.tocsc().indptr)
        min_df = min(self.min_df, len(texts))  # a single training article keeps its own n-grams
        kept = sorted(g for g, j in every.items() if df[j] >= min_df)
        self.ngrams_ = np.array(kept, dtype=str if kept else "<U1")
        self._vocabulary = {g: j for j, g in enumerate(kept)}
        return self

    def transform(self, X):
        check_is_fitted(self, "ngrams_")
        texts = self._texts(X)
        low, high = self._range()
        units, docs = self._units(texts)
        cache = None
        if self.kind == "char":
            # Each word's n-gram columns, kept across the chunks of a shared_work() block. The entry
            # holds this transformer, so its id cannot be reused by another one during the block.
            cache = _memo(("grams", id(self)), lambda: (self, {}))[1]
        return (docs @ self._unit_matrix(units, self.vocabulary_, low, high, cache)).tocsr()

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "ngrams_")
        return self.ngrams_.astype(object)


class ToCSR(TransformerMixin, BaseEstimator):
    """Turn a dense block into a CSR matrix (no parameters, nothing learnt).

    A FeatureUnion of CSR blocks is stacked directly; with one dense block scipy goes through a
    COO copy of everything, which took a fifth of prediction time.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return sp.csr_matrix(X)

    def get_feature_names_out(self, input_features=None):
        return np.asarray(input_features, dtype=object)


def make_features(lexicon=None, ngram="char", ngram_range=None, min_df=2, lexicon_weight=1.0):
    """The feature union of :class:`~framing.classifier.StanceClassifier`.

    Lexicon features divided by their largest training value (``MaxAbsScaler``: zeros stay zero
    and the columns land in [0, 1] like TF-IDF values; standardising them instead gave outliers
    of 10-20 standard deviations, slower training and worse outlet-held-out figures) next to
    TF-IDF weighted n-grams (sublinear term frequency, rows of unit length). ``lexicon_weight``
    multiplies the lexicon block; ``ngram=None`` keeps the lexicon features only and
    ``lexicon=False`` the n-grams only.
    """
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import MaxAbsScaler

    parts, weights = [], {}
    if lexicon is not False:
        parts.append(("lexicon", Pipeline([("evidence", LexiconFeatures(lexicon)), ("scale", MaxAbsScaler()),
                                           ("sparse", ToCSR())])))
        weights["lexicon"] = lexicon_weight
    if ngram is not None:
        parts.append(("ngrams", Pipeline([("counts", TextNgrams(ngram, ngram_range, min_df)),
                                          ("tfidf", TfidfTransformer(sublinear_tf=True))])))
    if not parts:
        raise ValueError("make_features needs the lexicon features, the n-grams or both")
    return FeatureUnion(parts, transformer_weights=weights or None)
