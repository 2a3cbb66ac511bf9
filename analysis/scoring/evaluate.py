"""`python -m analysis evaluate DIR`: metrics on labelled CSVs, Tandem beside plain VADER.

Files are recognised by their columns (the formats of the shared dev folder), not their names.
Plain VADER is scored as the data README does: `compound < -0.05` = negative / friction.
"""
import csv
import os

import numpy as np

from .batch import score_texts
from .scorer import get_scorer

VADER_CUT = -0.05


def read_csv(path):
    """Return the rows of a CSV file as dicts."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def recognise(columns, name):
    """Return the evaluation kind for a CSV header, or None when it is not one we know."""
    if {"emotions", "friction"} <= columns:
        return "goemotions_train" if "train" in name else "goemotions"
    if "uncivil" in columns:
        return "incivility"
    if "impolite" in columns:
        return "politeness"
    if "gold_mean" in columns:
        return "vader_gold_tweets" if "tweets" in name else "vader_gold"
    if "gold3" in columns:
        return "sentiment3"
    return None


def roc_auc(y, scores):
    """Area under the ROC curve (rank formulation, ties averaged)."""
    from scipy.stats import rankdata
    y, ranks = np.asarray(y), rankdata(scores)
    positives, negatives = y.sum(), len(y) - y.sum()
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def macro_f1(y, pred):
    """Macro-averaged F1 over the labels in y."""
    from sklearn.metrics import f1_score
    return float(f1_score(y, pred, average="macro"))


def vader_class(compound):
    """Plain VADER 3-class decision with the usual ±0.05 bands."""
    return np.where(compound > -VADER_CUT, 1, np.where(compound < VADER_CUT, -1, 0))


def score_rows(texts, scorer):
    """Return (compound, tension, tandem sentiment class, tense?) arrays for the texts."""
    results = list(score_texts(texts, scorer=scorer))
    compound = np.array([r["sentiment"]["compound"] for r in results])
    tension = np.array([r["tension"] for r in results])
    classes = np.array([scorer.sentiment_class(r) for r in results])
    tense = np.array([r["label"] != "calm" for r in results], dtype=int)
    return compound, tension, classes, tense


def binary_rows(y, compound, tension, tense, targets):
    """AUC and macro-F1 rows for a binary friction-like label."""
    vader_pred = (compound < VADER_CUT).astype(int)
    return [("ROC-AUC", roc_auc(y, -compound), roc_auc(y, tension), targets.get("auc")),
            ("macro-F1", macro_f1(y, vader_pred), macro_f1(y, tense), targets.get("f1"))]


def evaluate_goemotions(rows, scorer):
    """GoEmotions: friction (anger/annoyance/disapproval) vs not."""
    y = np.array([int(r["friction"]) for r in rows])
    compound, tension, _classes, tense = score_rows([r["text"] for r in rows], scorer)
    return binary_rows(y, compound, tension, tense, {"auc": 0.85, "f1": 0.70})


def evaluate_incivility(rows, scorer):
    """OSS incivility: uncivil vs civil sentences (never trained on: GPL-3.0)."""
    y = np.array([int(r["uncivil"]) for r in rows])
    compound, tension, _classes, tense = score_rows([r["text"] for r in rows], scorer)
    return binary_rows(y, compound, tension, tense, {"auc": 0.70})


def evaluate_politeness(rows, scorer):
    """Politeness: impolite (bottom quartile) vs polite (top quartile) requests."""
    rows = [r for r in rows if r["impolite"].strip()]
    y = np.array([int(float(r["impolite"])) for r in rows])
    compound, tension, _classes, tense = score_rows([r["text"] for r in rows], scorer)
    accuracy = lambda pred: float(np.mean(pred == y))  # noqa: E731
    return [("ROC-AUC", roc_auc(y, -compound), roc_auc(y, tension), 0.80),
            ("accuracy", accuracy((compound < VADER_CUT).astype(int)), accuracy(tense), None)]


def evaluate_sentiment3(rows, scorer):
    """Three-class sentiment (e.g. Stack Overflow): macro-F1."""
    y = np.array([int(float(r["gold3"])) for r in rows])
    compound, _tension, classes, _tense = score_rows([r["text"] for r in rows], scorer)
    return [("3-class macro-F1", macro_f1(y, vader_class(compound)), macro_f1(y, classes), 0.72)]


def evaluate_vader_gold(rows, scorer, target=None):
    """VADER gold sets: Pearson r of compound against the raters' mean (regression check)."""
    gold = np.array([float(r["gold_mean"]) for r in rows])
    compound, _tension, _classes, _tense = score_rows([r["text"] for r in rows], scorer)
    r_value = float(np.corrcoef(gold, compound)[0, 1])
    return [("Pearson r (sentiment)", r_value, r_value, target)]


EVALUATORS = {"goemotions": evaluate_goemotions, "incivility": evaluate_incivility,
              "politeness": evaluate_politeness, "sentiment3": evaluate_sentiment3,
              "vader_gold": evaluate_vader_gold,
              # the tweets set is the one with a stated target (README: regression check)
              "vader_gold_tweets": lambda rows, scorer: evaluate_vader_gold(rows, scorer, 0.87)}


def _fmt(value):
    """Three decimals, or a dash."""
    return "  -  " if value is None else f"{value:.3f}"


def format_rows(name, n_rows, rows):
    """Return the printed block for one file."""
    lines = [f"{name} ({n_rows} rows)"]
    for metric, vader, tandem, target in rows:
        met = "" if target is None else ("  ok" if tandem >= target else "  MISSED")
        lines.append(f"  {metric:<22} VADER {_fmt(vader)}   Tandem {_fmt(tandem)}"
                     f"   target {_fmt(target)}{met}")
    return "\n".join(lines)


def evaluate_dir(directory, scorer=None, out=print):
    """Evaluate every recognised CSV in `directory`; return the number evaluated."""
    scorer = scorer or get_scorer()
    trained_on = ", ".join(scorer.trained_on)
    out(f"model trained on: {trained_on}; thresholds {scorer.thresholds_}")
    done = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".csv"):
            continue
        rows = read_csv(os.path.join(directory, name))
        kind = recognise(set(rows[0]) if rows else set(), name)
        if kind == "goemotions_train":
            out(f"{name}: skipped (the model is trained on it)")
        elif kind:
            out(format_rows(name, len(rows), EVALUATORS[kind](rows, scorer)))
            done += 1
    return done
