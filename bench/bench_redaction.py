"""Redaction measured: precision and recall of ``massline.intelligence.redaction`` on a labelled set built with
real-shaped personal data (``intelligence/redaction_eval.py``), planted into real citizen messages from
../shared/data/teddy2020c/hot_messages.csv when present (else plain sentences), plus what the redactor finds in
those messages themselves (counted apart: their truth is unknown; read the sample it prints).

python bench/bench_redaction.py            # BENCH_REDACTION_SAMPLES=3000 BENCH_SEED=0
"""

from __future__ import annotations

import csv
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from massline.intelligence.redaction import find_personal_data  # noqa: E402
from massline.intelligence.redaction_eval import HOSTS, build_samples, score  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_REDACTION_SAMPLES", "3000"))
SEED = int(os.environ.get("BENCH_SEED", "0"))
SHARED = ROOT.parent / "shared" / "data" / "teddy2020c" / "hot_messages.csv"


def real_messages() -> list[str]:
    if not SHARED.is_file():
        return []
    with SHARED.open(encoding="utf-8") as handle:
        return [row["留言详情"].strip() for row in csv.DictReader(handle) if row.get("留言详情", "").strip()]


def main() -> None:
    messages = real_messages()
    hosts = messages[:SAMPLES] or list(HOSTS)
    samples = build_samples(SAMPLES, hosts=hosts, seed=SEED)
    started = time.perf_counter()
    result = score(samples)
    seconds = time.perf_counter() - started
    characters = sum(len(sample.text) for sample in samples)
    print(f"hosts: {'real messages (' + str(len(hosts)) + ')' if messages else 'plain sentences'}; seed {SEED}")
    print(f"samples {len(samples)}, planted items {sum(result.planted.values())}, {characters / seconds:,.0f} chars/s")
    print(f"precision {result.precision:.4f}   recall {result.recall:.4f}")
    for kind in sorted(result.planted):
        print(f"  {kind:<10} planted {result.planted[kind]:5d}   recall {result.recall_of(kind):.4f}")
    print(f"found in the host messages themselves: {result.in_hosts} (a sample to read follows)")
    found = [
        (span.kind, text[max(0, span.start - 6) : span.start] + "【" + text[span.start : span.end] + "】")
        for text in hosts[:SAMPLES]
        for span in find_personal_data(text)
    ]
    for kind, context in random.Random(SEED).sample(found, min(20, len(found))):  # noqa: S311
        print(f"  {kind:<10} {context.replace(chr(10), ' ')}")


if __name__ == "__main__":
    main()
