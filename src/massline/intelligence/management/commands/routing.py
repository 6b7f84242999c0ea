"""``massline routing train|predict|evaluate``: the router's command-line contract (docs/intelligence.md).

The figures are printed as ``name: value`` lines with fixed English names (``macro_f1``, ``accuracy``,
``accuracy_most_confident_90``…), so that other tools can read them whatever the language; the rest of the output
is in the deployment's language. Exit status 2 with a message naming the file and row on bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from massline.intelligence.routing.csvdata import labelled, read_table, write_table
from massline.intelligence.routing.model import Router, RouterError, cross_validate, evaluate

FIGURES = (
    "macro_f1",
    "macro_f1_std",
    "accuracy",
    "accuracy_most_confident_90",
    "threshold_90",
    "threshold_975",
    "coverage_975",
)


class Command(BaseCommand):
    help = "Train, apply and evaluate the text router."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        train = commands.add_parser("train", help="Train on a labelled CSV; print 5-fold cross-validated figures.")
        train.add_argument("--input", required=True, type=Path)
        train.add_argument("--text-column", required=True)
        train.add_argument("--label-column", required=True)
        train.add_argument("--model-dir", required=True, type=Path)
        train.add_argument("--folds", type=int, default=5)
        train.add_argument("--seed", type=int, default=0)
        predict = commands.add_parser("predict", help="Add predicted, confidence and top3 to every row of a CSV.")
        predict.add_argument("--model-dir", required=True, type=Path)
        predict.add_argument("--input", required=True, type=Path)
        predict.add_argument("--text-column", required=True)
        predict.add_argument("--output", required=True, type=Path)
        check = commands.add_parser("evaluate", help="Figures of a trained router on a labelled CSV.")
        check.add_argument("--model-dir", required=True, type=Path)
        check.add_argument("--input", required=True, type=Path)
        check.add_argument("--text-column", required=True)
        check.add_argument("--label-column", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(**options)
        except RouterError as error:
            raise CommandError(str(error), returncode=2) from None

    def _figures(self, figures: dict[str, Any]) -> None:
        for name in FIGURES:
            if name in figures:
                self.stdout.write(f"{name}: {figures[name]:.4f}")

    def _train(self, *, input: Path, text_column: str, label_column: str, model_dir: Path, **options: Any) -> None:
        table = read_table(input, required=[text_column, label_column])
        texts, labels = labelled(table, input, text_column=text_column, label_column=label_column)
        self.stdout.write(
            _("%(rows)d messages, %(labels)d labels; %(folds)d-fold cross-validation…")
            % {"rows": len(texts), "labels": len(set(labels)), "folds": options["folds"]}
        )
        started = time.perf_counter()
        figures = cross_validate(texts, labels, folds=options["folds"], seed=options["seed"])
        self._figures(figures)
        router = Router.train(texts, labels, seed=options["seed"])
        router.meta["cross_validation"] = figures
        router.meta["source"] = {"file": input.name, "text_column": text_column, "label_column": label_column}
        router.save(model_dir)
        self.stdout.write(f"train_seconds: {router.meta['train_seconds']:.1f}")
        self.stdout.write(f"total_seconds: {time.perf_counter() - started:.1f}")
        self.stdout.write(_("Model saved in %(dir)s.") % {"dir": model_dir})

    def _predict(self, *, model_dir: Path, input: Path, text_column: str, output: Path, **options: Any) -> None:
        router = Router.load(model_dir)
        table = read_table(input, required=[text_column])
        for name in ("predicted", "confidence", "top3"):
            if name in table.header:
                raise RouterError(f"{input}: already has a column {name!r}")
        started = time.perf_counter()
        predictions = router.predict(table.column(text_column))
        seconds = time.perf_counter() - started
        rows = [
            [*row, p.label, f"{p.confidence:.4f}", json.dumps([label for label, _p in p.top3], ensure_ascii=False)]
            for row, p in zip(table.rows, predictions, strict=True)
        ]
        write_table(output, [*table.header, "predicted", "confidence", "top3"], rows)
        self.stdout.write(f"messages: {len(rows)}")
        self.stdout.write(f"messages_per_second: {len(rows) / max(seconds, 1e-9):.0f}")
        self.stdout.write(_("Predictions written to %(file)s.") % {"file": output})

    def _evaluate(self, *, model_dir: Path, input: Path, text_column: str, label_column: str, **options: Any) -> None:
        router = Router.load(model_dir)
        table = read_table(input, required=[text_column, label_column])
        texts, labels = labelled(table, input, text_column=text_column, label_column=label_column)
        figures = evaluate(router, texts, labels)
        unknown = sorted(set(labels) - set(router.labels))
        if unknown:
            self.stdout.write(_("Labels the model was not trained on: %(labels)s") % {"labels": ", ".join(unknown)})
        self.stdout.write(f"messages: {figures['messages']}")
        self._figures(figures)
        self.stdout.write(figures["report"])
