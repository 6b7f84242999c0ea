"""The ``massline routing`` command-line contract: train prints cross-validated figures and saves a model;
predict adds predicted, confidence and top3 to every row; evaluate prints the figures and a per-label report.
Bad files are refused with the row named; odd texts never crash the router."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from massline.intelligence.routing.model import Router

FIGURE_NAMES = ("macro_f1", "accuracy", "accuracy_most_confident_90")


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("routing", *args, stdout=out)
    return out.getvalue()


def figures(output: str) -> dict[str, float]:
    return {
        name.strip(): float(value)
        for name, _sep, value in (line.partition(":") for line in output.splitlines())
        if name.strip() in FIGURE_NAMES
    }


@pytest.fixture
def model_dir(tmp_path: Path, training_csv: Path) -> Path:
    directory = tmp_path / "model"
    output = run(
        "train", "--input", str(training_csv), "--text-column", "message", "--label-column", "topic",
        "--model-dir", str(directory),
    )  # fmt: skip
    trained = figures(output)
    assert set(trained) == set(FIGURE_NAMES)
    assert trained["macro_f1"] >= 0.9  # three topics with distinct words are learnt
    return directory


def test_train_saves_a_model_that_predict_applies_to_every_row(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_text(
        "id,text\n1,中山路上有个深坑，电动车差点翻了\n2,隔壁装修噪音从早到晚，吵得人头疼\n3,请问养老金怎么查询\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    run("predict", "--model-dir", str(model_dir), "--input", str(source), "--text-column", "text",
        "--output", str(output))  # fmt: skip
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["1", "2", "3"]
    assert [row["predicted"] for row in rows] == ["C0101", "C0102", "C0201"]
    for row in rows:
        assert 0.0 <= float(row["confidence"]) <= 1.0
        top3 = json.loads(row["top3"])
        assert top3[0] == row["predicted"] and len(top3) == 3 and len(set(top3)) == 3


def test_evaluate_prints_the_figures_and_a_report_per_label(model_dir: Path, training_csv: Path) -> None:
    output = run("evaluate", "--model-dir", str(model_dir), "--input", str(training_csv),
                 "--text-column", "message", "--label-column", "topic")  # fmt: skip
    assert set(figures(output)) == set(FIGURE_NAMES)
    for label in ("C0101", "C0102", "C0201"):
        assert label in output
    assert "precision" in output and "recall" in output


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("id,message,topic\n1,路面有坑,C0101\n2,噪音,C0102,extra\n", "row 2 (line 3)"),
        ("id,message\n1,路面有坑\n", "no column topic"),
        ("id,message,topic\n1,路面有坑,C0101\n2,噪音,\n", "row 2 (line 3): empty 'topic'"),
        ('id,message,topic\n1,"路面有坑,C0101\n', "row 1 (line 2)"),
    ],
)
def test_a_malformed_file_is_refused_with_the_row_named(tmp_path: Path, content: str, named: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("train", "--input", str(path), "--text-column", "message", "--label-column", "topic",
            "--model-dir", str(tmp_path / "m"))  # fmt: skip
    assert named in str(refused.value) and str(path) in str(refused.value)
    assert not (tmp_path / "m").exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(b"id,message,topic\n1,ok,C0101\n" + "2,路面有坑,C0101\n".encode("gbk"))
    with pytest.raises(CommandError, match="line 3: not UTF-8"):
        run("train", "--input", str(path), "--text-column", "message", "--label-column", "topic",
            "--model-dir", str(tmp_path / "m"))  # fmt: skip


def test_too_few_examples_of_a_label_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("message,topic\n" + "路面有坑,C0101\n" * 6 + "噪音扰民,C0102\n", encoding="utf-8")
    with pytest.raises(CommandError, match="at least 5 examples; too few for: C0102"):
        run("train", "--input", str(path), "--text-column", "message", "--label-column", "topic",
            "--model-dir", str(tmp_path / "m"))  # fmt: skip


def test_odd_texts_get_an_answer_and_unreadable_ones_go_to_a_person(model_dir: Path) -> None:
    router = Router.load(model_dir)
    texts = ["", "🙂🙂🙂👍", "12345 !!!", "路" * 120_000, "The road outside has a huge pothole", "路面有坑 pothole 🚗"]
    predictions = router.predict(texts)
    assert len(predictions) == len(texts)
    assert [p.label for p in predictions[:3]] == ["", "", ""]
    assert all(p.confidence == 0.0 for p in predictions[:3])
    assert all(0.0 <= p.confidence <= 1.0 and p.label in router.labels for p in predictions[3:])
