"""Text-router candidates for Chinese citizen messages: cross-validated quality, training time, speed and size.

python bench/bench_routing_cv.py                     # ../shared/data/teddy2020c/messages_labeled.csv, seed 0
python bench/bench_routing_cv.py --seeds 0,1         # also another shuffle, so the winner is not tuned to one split
python bench/bench_routing_cv.py --input other.csv --text-column text --label-column label_l1

Each candidate is a scikit-learn estimator built by a named function below; it takes raw message strings and
predicts the first-level class with calibrated probabilities (CPU only, offline: scikit-learn + jieba).
For every seed it runs StratifiedKFold(n_splits=5, shuffle=True, random_state=seed) and prints macro-F1
(mean ± std over folds), accuracy, and "acc@90": the accuracy on the 90% of each test fold with the highest
confidence (max calibrated class probability). It then trains each candidate once on all rows (single core)
and prints that training time, the batch prediction rate (messages/s of predict_proba, best of the three
interleaved thirds of the rows) and the size of the pickled model. Only aggregate figures are printed, never
message text.

Tried and dropped (no gain in CV): char 2-4 grams, jieba word bigrams, binary TF, ComplementNB, NB-SVM,
logistic regression, SGD (modified_huber), soft votes of calibrated LinearSVC + LR + ComplementNB, class_weight
"balanced", extra weight on the title / first sentence, dropping likely mislabelled rows, LSA features, kNN;
and later (all within the fold std of 0.006 of the winner, or worse): per-class counts of the taxonomy's level-2/3
words (../shared/data/teddy2020c/taxonomy.csv) as extra features or as a vocabulary, self-training on 6,800
confidently pseudo-labelled messages of hot_messages.csv and replies.csv, averaging three separately trained views,
averaging several calibrated models, logistic-regression stacking on out-of-fold probabilities, isotonic
calibration, C = 0.5 or 2. The weakest classes are 交通运输 and 商贸旅游 (F1 0.85–0.87).

During cross-validation jieba's output is memoised (the same texts are cut in every fold); the memo is cleared
before the training and prediction timings, which therefore include segmentation.
Targets: macro-F1 >= 0.93, acc@90 >= 0.975, training < 120 s, prediction >= 500 messages/s, pickle < 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import logging
import pickle
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "shared" / "data" / "teddy2020c" / "messages_labeled.csv"
CONFIDENT_SHARE = 0.9
JIEBA_HEAD_CHARS = 600

_URL = re.compile(r"(?:https?://|www\.)\S+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_NOT_A_WORD = re.compile(r"[\W_]+")  # tokens made only of punctuation or spaces

# text -> tokens memo, used only while cross-validating (None = off); never part of a pickled model.
_TOKEN_MEMO: dict[tuple[str, str], list[str]] | None = None


# ---------------------------------------------------------------- text processing (module level, so picklable)


def normalise(text: str) -> str:
    """NFKC, lower case, URLs dropped, every run of digits collapsed to one "0", spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", _URL.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def normalise_all(texts: Iterable[str]) -> list[str]:
    return [normalise(text) for text in texts]


def _cut(text: str, mode: str) -> list[str]:
    if _TOKEN_MEMO is not None and (mode, text) in _TOKEN_MEMO:
        return _TOKEN_MEMO[(mode, text)]
    pieces = jieba.lcut_for_search(text) if mode == "search" else jieba.lcut(text)
    tokens = [piece for piece in pieces if not _NOT_A_WORD.fullmatch(piece)]
    if _TOKEN_MEMO is not None:
        _TOKEN_MEMO[(mode, text)] = tokens
    return tokens


def jieba_words(text: str) -> list[str]:
    """jieba precise mode (jieba.lcut, HMM on), punctuation dropped."""
    return _cut(text, "words")


def jieba_search_words(text: str) -> list[str]:
    """jieba search mode (jieba.lcut_for_search, HMM on): words plus their shorter dictionary sub-words."""
    return _cut(text, "search")


def jieba_search_words_head(text: str) -> list[str]:
    """jieba_search_words of the first JIEBA_HEAD_CHARS characters only (segmentation cost grows with length)."""
    return _cut(text[:JIEBA_HEAD_CHARS], "search")


def _search_words_vectorizer(head: bool = False) -> TfidfVectorizer:
    return TfidfVectorizer(
        tokenizer=jieba_search_words_head if head else jieba_search_words,
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _char_vectorizer(ngram_range: tuple[int, int]) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char", ngram_range=ngram_range, min_df=2, lowercase=False, sublinear_tf=True, dtype=np.float32
    )


def _calibrated_svc(c: float) -> CalibratedClassifierCV:
    return CalibratedClassifierCV(LinearSVC(C=c), method="sigmoid", cv=3)


# ---------------------------------------------------------------- candidates


def baseline_char13_word12_svc() -> Pipeline:
    """Reference: char 1-3 + jieba word 1-2 grams TF-IDF on the raw text, LinearSVC(C=0.5), sigmoid-calibrated."""
    features = FeatureUnion(
        [
            (
                "char",
                TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, dtype=np.float32),
            ),
            (
                "words",
                TfidfVectorizer(
                    tokenizer=jieba_words,
                    token_pattern=None,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    return Pipeline([("features", features), ("clf", _calibrated_svc(0.5))])


def search_words_svc() -> Pipeline:
    """jieba search-mode unigrams of the normalised text, LinearSVC(C=1), sigmoid-calibrated."""
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_all)),
            ("features", _search_words_vectorizer()),
            ("clf", _calibrated_svc(1.0)),
        ]
    )


def search_words_char12_svc() -> Pipeline:
    """jieba search-mode unigrams + char 1-2 grams of the normalised text, LinearSVC(C=1), sigmoid-calibrated."""
    features = FeatureUnion([("words", _search_words_vectorizer()), ("char", _char_vectorizer((1, 2)))])
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_all)),
            ("features", features),
            ("clf", _calibrated_svc(1.0)),
        ]
    )


def search600_words_char12_svc() -> Pipeline:
    """As search_words_char12_svc, but jieba only cuts the first JIEBA_HEAD_CHARS characters (faster prediction)."""
    features = FeatureUnion([("words", _search_words_vectorizer(head=True)), ("char", _char_vectorizer((1, 2)))])
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_all)),
            ("features", features),
            ("clf", _calibrated_svc(1.0)),
        ]
    )


CANDIDATES: list[Callable[[], BaseEstimator]] = [
    baseline_char13_word12_svc,
    search_words_svc,
    search_words_char12_svc,
    search600_words_char12_svc,
]


# ---------------------------------------------------------------- measurement


def load(path: Path, text_column: str, label_column: str) -> tuple[list[str], np.ndarray]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise SystemExit(f"{path}: missing column(s) {sorted(missing)}")
        pairs = [(row[text_column] or "", row[label_column]) for row in reader if row[label_column]]
    return [text for text, _ in pairs], np.array([label for _, label in pairs])


def accuracy_of_confident(labels: np.ndarray, classes: np.ndarray, proba: np.ndarray) -> float:
    """Accuracy on the CONFIDENT_SHARE of rows with the highest max class probability."""
    keep = int(np.ceil(CONFIDENT_SHARE * len(labels)))
    order = np.argsort(-proba.max(axis=1), kind="stable")[:keep]
    return float(accuracy_score(labels[order], classes[proba[order].argmax(axis=1)]))


def cross_validate(
    make: Callable[[], BaseEstimator], texts: np.ndarray, labels: np.ndarray, seed: int
) -> dict[str, Any]:
    f1s: list[float] = []
    accuracies: list[float] = []
    confident: list[float] = []
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for train, test in folds.split(texts, labels):
        model = clone(make()).fit(list(texts[train]), labels[train])
        proba = model.predict_proba(list(texts[test]))
        predicted = model.classes_[proba.argmax(axis=1)]
        f1s.append(float(f1_score(labels[test], predicted, average="macro")))
        accuracies.append(float(accuracy_score(labels[test], predicted)))
        confident.append(accuracy_of_confident(labels[test], model.classes_, proba))
    return {
        "f1": statistics.mean(f1s),
        "f1_std": statistics.pstdev(f1s),
        "acc": statistics.mean(accuracies),
        "acc90": statistics.mean(confident),
    }


def cost(make: Callable[[], BaseEstimator], texts: list[str], labels: np.ndarray) -> dict[str, float]:
    """Training time on all rows, batch prediction rate and pickle size, with jieba's memo off."""
    started = time.perf_counter()
    model = make().fit(texts, labels)
    train_s = time.perf_counter() - started
    rate = 0.0
    for part in range(3):  # three interleaved thirds, fastest kept: the machine may be shared
        batch = texts[part::3]
        started = time.perf_counter()
        model.predict_proba(batch)
        rate = max(rate, len(batch) / (time.perf_counter() - started))
    size_mb = len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)) / 1e6
    return {"train_s": train_s, "rate": rate, "size_mb": size_mb}


def main() -> int:
    global _TOKEN_MEMO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label_l1")
    parser.add_argument("--seeds", default="0", help="comma-separated StratifiedKFold random_state values")
    args = parser.parse_args()
    if not args.input.exists():
        print(f"skipped: {args.input} does not exist")
        return 0
    seeds = [int(seed) for seed in args.seeds.split(",") if seed.strip()]
    texts, labels = load(args.input, args.text_column, args.label_column)
    counts = dict(zip(*np.unique(labels, return_counts=True), strict=True))
    print(f"{len(texts)} messages, {len(counts)} classes (smallest {min(counts.values())}), seeds {seeds}")

    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.initialize()
    print(f"jieba dictionary load: {time.perf_counter() - started:.2f} s (once per process, not in the timings below)")

    header = f"{'candidate':28} {'seed':>4} {'macro-F1':>15} {'acc':>6} {'acc@90':>7} {'cv s':>5}"
    print(header)
    print("-" * len(header))
    text_array = np.array(texts, dtype=object)
    _TOKEN_MEMO = {}
    for make in CANDIDATES:
        for seed in seeds:
            started = time.perf_counter()
            scores = cross_validate(make, text_array, labels, seed)
            print(
                f"{make.__name__:28} {seed:>4} {scores['f1']:.4f} ± {scores['f1_std']:.4f} "
                f"{scores['acc']:.4f} {scores['acc90']:.4f} {time.perf_counter() - started:5.0f}",
                flush=True,
            )
    _TOKEN_MEMO = None

    header = f"{'candidate':28} {'train s (all rows)':>18} {'predict msg/s':>13} {'pickle MB':>9}"
    print()
    print(header)
    print("-" * len(header))
    for make in CANDIDATES:
        figures = cost(make, texts, labels)
        print(
            f"{make.__name__:28} {figures['train_s']:18.1f} {figures['rate']:13.0f} {figures['size_mb']:9.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
