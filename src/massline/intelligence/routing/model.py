"""The text router: message text → label (a topic), with a calibrated confidence and the three likeliest labels.

A model is a scikit-learn pipeline over normalised text (``intelligence.text``): TF-IDF of character n-grams and
of jieba words, a linear SVM, and sigmoid calibration so that the confidence means what it says. It is saved as
a directory: ``model.joblib`` (the pipeline) and ``meta.json`` (labels, metrics, when and on what it was trained).
Only load model directories this deployment wrote: joblib files are pickles."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from ..text import has_signal, normalise

FORMAT = 1
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
MIN_PER_CLASS = 5  # five-fold cross-validation needs five examples of every label


class RouterError(ValueError):
    """Training data or a model directory that cannot be used; the message says why."""


HEAD_CHARS = 600  # jieba cuts the first 600 characters: as good as the whole text, and 30% faster
_DIGITS = re.compile(r"\d+")
_NOT_A_WORD = re.compile(r"[\W_]+")


def digits_collapsed(texts: Any) -> list[str]:
    """Every run of digits as one "0": house numbers and dates say nothing about the topic."""
    return [_DIGITS.sub("0", text) for text in texts]


def search_words(text: str) -> list[str]:
    """jieba's search mode (words and their shorter dictionary words) of the text's head, punctuation dropped."""
    import jieba

    return [word for word in jieba.lcut_for_search(text[:HEAD_CHARS]) if not _NOT_A_WORD.fullmatch(word)]


def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)


def build_pipeline(seed: int = 0) -> Any:
    """The estimator every router is trained as: TF-IDF of jieba search-mode words and of character 1–2 grams,
    a linear SVM, sigmoid calibration. Chosen by five-fold cross-validation on two shuffles of the shared
    messages among a dozen candidates (bench/bench_routing_cv.py, docs/intelligence.md)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    _quiet_jieba()
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=search_words, token_pattern=None, lowercase=False, sublinear_tf=True, dtype=np.float32
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", ngram_range=(1, 2), min_df=2, lowercase=False, sublinear_tf=True, dtype=np.float32
                ),
            ),
        ]
    )
    return Pipeline(
        [
            ("digits", FunctionTransformer(digits_collapsed)),
            ("features", features),
            ("classifier", CalibratedClassifierCV(LinearSVC(C=1.0, random_state=seed), method="sigmoid", cv=3)),
        ]
    )


@dataclass(frozen=True)
class Prediction:
    label: str  # "" when the text has nothing to read
    confidence: float  # 0–1, calibrated
    top3: list[tuple[str, float]]


def check_training_data(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) != len(labels):
        raise RouterError("texts and labels differ in number")
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if len(counts) < 2:
        raise RouterError("at least two different labels are needed to train a router")
    few = sorted(label for label, n in counts.items() if n < MIN_PER_CLASS)
    if few:
        raise RouterError(f"every label needs at least {MIN_PER_CLASS} examples; too few for: {', '.join(few[:10])}")


class Router:
    def __init__(self, estimator: Any, meta: dict[str, Any]) -> None:
        self.estimator = estimator
        self.meta = meta

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.estimator.classes_]

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> Router:
        check_training_data(texts, labels)
        started = time.perf_counter()
        estimator = build_pipeline(seed)
        estimator.fit([normalise(text) for text in texts], list(labels))
        meta = {
            "format": FORMAT,
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "examples": len(texts),
            "labels": sorted(set(labels)),
            "train_seconds": round(time.perf_counter() - started, 1),
        }
        return cls(estimator, meta)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order. A text with nothing to read (empty, emoji, digits) gets no label
        and confidence 0: it goes to a person."""
        cleaned = [normalise(text) for text in texts]
        readable = [i for i, text in enumerate(cleaned) if has_signal(text)]
        results = [Prediction("", 0.0, []) for _ in cleaned]
        if not readable:
            return results
        probabilities = self.estimator.predict_proba([cleaned[i] for i in readable])
        labels = self.labels
        for row, i in zip(probabilities, readable, strict=True):
            order = np.argsort(row)[::-1][:3]
            top3 = [(labels[k], round(float(row[k]), 4)) for k in order]
            results[i] = Prediction(top3[0][0], top3[0][1], top3)
        return results

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.estimator, directory / MODEL_FILE, compress=3)
        (directory / META_FILE).write_text(json.dumps(self.meta, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Router:
        model, meta = directory / MODEL_FILE, directory / META_FILE
        if not model.is_file() or not meta.is_file():
            raise RouterError(f"{directory} holds no router (expected {MODEL_FILE} and {META_FILE})")
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise RouterError(f"{directory} holds a router of another format ({data.get('format')!r})")
        _quiet_jieba()
        import jieba

        jieba.initialize()  # the dictionary now, not during the first appeal routed
        return cls(joblib.load(model), data)


def cross_validate(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """Stratified k-fold cross-validation: macro-F1 per fold (mean and spread), accuracy, and accuracy on the
    90% most confident messages, with the confidence at which that 90% begins (a sound routing threshold)."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    check_training_data(texts, labels)
    cleaned = np.array([normalise(text) for text in texts], dtype=object)
    y = np.array(labels, dtype=object)
    predicted = np.empty(len(y), dtype=object)
    confidence = np.zeros(len(y))
    fold_f1: list[float] = []
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(cleaned, y):
        estimator = build_pipeline(seed).fit(list(cleaned[train]), list(y[train]))
        probabilities = estimator.predict_proba(list(cleaned[test]))
        predicted[test] = estimator.classes_[probabilities.argmax(axis=1)]
        confidence[test] = probabilities.max(axis=1)
        fold_f1.append(float(f1_score(y[test], predicted[test], average="macro")))
    return {
        "folds": folds,
        "seed": seed,
        "macro_f1": round(float(np.mean(fold_f1)), 4),
        "macro_f1_std": round(float(np.std(fold_f1)), 4),
        **_confidence_figures(y, predicted, confidence),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
    }


TARGET_ACCURACY = 0.975  # of the appeals the router dispatches by itself


def _confidence_figures(y: Any, predicted: Any, confidence: Any) -> dict[str, float]:
    """Accuracy on the 90% most confident and the confidence where they begin; and the lowest confidence above
    which accuracy stays at ``TARGET_ACCURACY``, with the share of messages above it (the router's threshold)."""
    order = np.argsort(-confidence, kind="stable")
    keep = order[: max(1, int(round(len(order) * 0.9)))]
    correct = (y[order] == predicted[order]).astype(float)
    running = np.cumsum(correct) / np.arange(1, len(order) + 1)
    good = np.nonzero(running >= TARGET_ACCURACY)[0]
    last = int(good.max()) if len(good) else 0
    return {
        "accuracy_most_confident_90": round(float(np.mean(y[keep] == predicted[keep])), 4),
        "threshold_90": round(float(confidence[keep].min()), 4),
        "threshold_975": round(float(confidence[order[last]]), 4),
        "coverage_975": round((last + 1) / len(order), 4) if len(good) else 0.0,
    }


def evaluate(router: Router, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """The router's figures on labelled messages it was not trained on, with a per-label report."""
    from sklearn.metrics import accuracy_score, classification_report, f1_score

    predictions = router.predict(texts)
    y = np.array(labels, dtype=object)
    predicted = np.array([p.label for p in predictions], dtype=object)
    confidence = np.array([p.confidence for p in predictions])
    return {
        "messages": len(y),
        "macro_f1": round(float(f1_score(y, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        **_confidence_figures(y, predicted, confidence),
        "report": classification_report(y, predicted, digits=4, zero_division=0),
    }
