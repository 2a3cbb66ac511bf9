"""The tension model: a scikit-learn pipeline (TF-IDF word n-grams + TF-IDF character n-grams +
scaled dense features → logistic regression), exported to plain JSON so scoring needs neither
pickle nor scikit-learn.

`fit` trains the real pipeline; `to_dict`/`from_dict` keep only vocabularies, idf weights, scaler
statistics and coefficients; `decision` recomputes the pipeline's output with dot products.
"""
import json
import math
from collections import Counter

import numpy as np

from .features import DENSE_NAMES, char_terms, text_terms

FORMAT = "tandem-tension-model/2"
#: formats this code can score: version 1 had no character block
READABLE_FORMATS = frozenset({"tandem-tension-model/1", FORMAT})
#: digits kept when writing floats: enough for the scores, small and byte-stable files
DIGITS = 6
_DENSE_INDEX = {name: i for i, name in enumerate(DENSE_NAMES)}


def build_pipeline(C, min_df, max_features, class_weight, dense_weight, char_min_df=5,
                   char_max_features=0):
    """Return the unfitted scikit-learn pipeline: text column 0, dense columns 1…

    With `char_max_features` > 0 a second TF-IDF block of character n-grams (own l2 norm) joins
    the word block; both feed the same logistic regression.
    """
    from sklearn.compose import ColumnTransformer  # training only: scoring never imports sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    blocks = [("text", TfidfVectorizer(analyzer=text_terms, min_df=min_df,
                                       max_features=max_features, sublinear_tf=True), 0)]
    if char_max_features:
        blocks.append(("chars", TfidfVectorizer(analyzer=char_terms, min_df=char_min_df,
                                                max_features=char_max_features,
                                                sublinear_tf=True), 0))
    columns = ColumnTransformer(
        blocks + [("dense", StandardScaler(), list(range(1, 1 + len(DENSE_NAMES))))],
        transformer_weights={"text": 1.0, "chars": 1.0, "dense": dense_weight})
    classifier = LogisticRegression(C=C, max_iter=2000, class_weight=class_weight)
    return Pipeline([("features", columns), ("classifier", classifier)])


def design_matrix(texts, dense_rows):
    """Return the object array the pipeline reads: the text, then the dense features."""
    matrix = np.empty((len(texts), 1 + len(DENSE_NAMES)), dtype=object)
    matrix[:, 0] = list(texts)
    matrix[:, 1:] = np.asarray(dense_rows, dtype=float)
    return matrix


def _export_block(vectorizer, coef, start):
    """Return ({term: (idf, coef)}, next column) for one fitted TF-IDF block."""
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    block = {term: (float(vectorizer.idf_[i]), float(coef[start + i]))
             for i, term in enumerate(terms)}
    return block, start + len(terms)


def _tfidf_dot(table, terms):
    """Dot product of the l2-normalised sublinear TF-IDF vector of `terms` with the coefficients.

    `table` maps a term to (idf, coefficient); terms outside it are ignored, as TfidfVectorizer
    ignores words outside its vocabulary.
    """
    get, squares, dot = table.get, 0.0, 0.0
    for term, n in Counter(terms).items():
        entry = get(term)
        if entry:
            weight = entry[0] if n == 1 else (1.0 + math.log(n)) * entry[0]
            squares += weight * weight
            dot += weight * entry[1]
    return dot / math.sqrt(squares) if squares else 0.0


def _sigmoid(z):
    """Logistic function, safe for large |z|."""
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


class TensionModel:
    """Binary friction model; `predict_proba`-like scores in 0..1 via `probability`."""

    def __init__(self, C=1.0, min_df=3, max_features=40000, class_weight=None, dense_weight=1.0,
                 prior=None, char_min_df=5, char_max_features=0):
        self.C = C
        # character n-grams: 0 features = no character block (the version-1 model)
        self.char_min_df = char_min_df
        self.char_max_features = char_max_features
        # fixed log-odds per tone/friction count, added after fitting (see training.TONE_PRIOR)
        self.prior = dict(prior or {})
        # >1 lets the few tone/friction/VADER features outweigh thousands of n-grams
        self.dense_weight = dense_weight
        self.min_df = min_df
        self.max_features = max_features
        self.class_weight = class_weight

    def fit(self, texts, dense_rows, y, sample_weight=None):
        """Train the scikit-learn pipeline and keep its learned numbers; returns self."""
        self.pipeline_ = build_pipeline(self.C, self.min_df, self.max_features, self.class_weight,
                                        self.dense_weight, self.char_min_df,
                                        self.char_max_features)
        self.pipeline_.fit(design_matrix(texts, dense_rows), y,
                           classifier__sample_weight=sample_weight)
        self._export(self.pipeline_)
        return self

    def _export(self, pipeline):
        """Copy vocabularies, idf, scaler and coefficients out of a fitted pipeline."""
        fitted = pipeline.named_steps["features"].named_transformers_
        coef = pipeline.named_steps["classifier"].coef_[0]
        self.terms_, start = _export_block(fitted["text"], coef, 0)
        self.chars_ = {}
        if self.char_max_features:
            self.chars_, start = _export_block(fitted["chars"], coef, start)
        scaler = fitted["dense"]
        self.dense_mean_ = [float(v) for v in scaler.mean_]
        self.dense_scale_ = [float(v) for v in scaler.scale_]
        # fold the transformer weight into the coefficients so scoring needs no extra step
        self.dense_coef_ = [float(v) * self.dense_weight for v in coef[start:]]
        self.intercept_ = float(pipeline.named_steps["classifier"].intercept_[0])
        self._compile()

    def decision(self, text, dense):
        """Return the log-odds of friction for one text and its dense feature vector."""
        dense_part = sum(w * x for w, x in zip(self.dense_raw_, dense))
        text_part = _tfidf_dot(self.terms_, text_terms(text))
        if self.chars_:
            text_part += _tfidf_dot(self.chars_, char_terms(text))
        return text_part + dense_part + self.offset_

    def _compile(self):
        """Fold scaler, coefficients and prior into one weight per raw dense feature."""
        raw = [c / s for c, s in zip(self.dense_coef_, self.dense_scale_)]
        for name, weight in self.prior.items():
            raw[_DENSE_INDEX[name]] += weight
        self.dense_raw_ = raw
        self.offset_ = self.intercept_ - sum(
            m * c / s for m, s, c in zip(self.dense_mean_, self.dense_scale_, self.dense_coef_))

    def probability(self, text, dense):
        """Return the friction probability (0..1) for one text."""
        return _sigmoid(self.decision(text, dense))

    def to_dict(self, extra=None):
        """Return the JSON-ready model: learned numbers rounded, keys in a fixed order."""
        r = lambda v: round(v, DIGITS)  # noqa: E731 — a local shorthand keeps the dict readable
        return {"format": FORMAT, "params": self.get_params(), "dense_names": list(DENSE_NAMES),
                "intercept": r(self.intercept_),
                "dense": [[r(m), r(s), r(c)] for m, s, c in
                          zip(self.dense_mean_, self.dense_scale_, self.dense_coef_)],
                "terms": {t: [r(i), r(c)] for t, (i, c) in sorted(self.terms_.items())},
                "chars": {t: [r(i), r(c)] for t, (i, c) in sorted(self.chars_.items())},
                **(extra or {})}

    def get_params(self):
        """Return the constructor parameters (scikit-learn convention)."""
        return {"C": self.C, "min_df": self.min_df, "max_features": self.max_features,
                "class_weight": self.class_weight, "dense_weight": self.dense_weight,
                "prior": dict(sorted(self.prior.items())), "char_min_df": self.char_min_df,
                "char_max_features": self.char_max_features}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a scoring-ready model from `to_dict` output."""
        if data.get("format") not in READABLE_FORMATS or data.get("dense_names") != list(DENSE_NAMES):
            raise ValueError("model file does not match this version of the scorer")
        model = cls(**data["params"])
        model.terms_ = _load_block(data["terms"])
        model.chars_ = _load_block(data.get("chars", {}))
        model.dense_mean_, model.dense_scale_, model.dense_coef_ = (
            [row[k] for row in data["dense"]] for k in range(3))
        model.intercept_ = data["intercept"]
        model._compile()
        return model


def _load_block(raw):
    """Return {term: (idf, coef)} from its JSON form.

    Equal idf floats are shared (they repeat a lot: idf depends only on a term's document
    count), which keeps the loaded model small.
    """
    shared = {}
    return {t: (shared.setdefault(i, i), c) for t, (i, c) in raw.items()}


def dump_model(data, path):
    """Write model JSON deterministically (sorted keys, compact separators, trailing newline)."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        handle.write("\n")
