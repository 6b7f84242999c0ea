"""Reply quality measured on the shared set's real official replies (../shared/data/teddy2020c/replies.csv):
the score distribution, how often each check fails, the speed, and the weakest and strongest replies to read.
A mismatched pair (each reply scored against another citizen's message) shows that relevance and the requests
check react to what was asked, not only to how a reply is written.

python bench/bench_reply_quality.py
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "teddy2020c" / "replies.csv"


def main() -> None:
    if not SHARED.is_file():
        print(f"skipped: {SHARED} is not there")
        return
    from django.conf import settings

    settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
    django.setup()
    from massline.intelligence.reply_quality import reply_quality

    with SHARED.open(encoding="utf-8") as handle:
        rows = [(f"{r['留言主题']}。{r['留言详情'].strip()}", r["答复意见"].strip()) for r in csv.DictReader(handle)]
    started = time.perf_counter()
    results = [reply_quality(appeal_text=appeal, reply=reply) for appeal, reply in rows]
    seconds = time.perf_counter() - started
    scores = [result.score for result in results]
    shuffled = [reply for _appeal, reply in rows]
    random.Random(0).shuffle(shuffled)  # noqa: S311
    mismatched = [
        reply_quality(appeal_text=appeal, reply=reply).score for (appeal, _r), reply in zip(rows, shuffled, strict=True)
    ]
    print(f"replies {len(rows)}, {len(rows) / seconds:,.0f} replies/s")
    quartiles = statistics.quantiles(scores, n=4)
    print(f"score mean {statistics.mean(scores):.1f}, median {statistics.median(scores):.0f}, quartiles {quartiles}")
    print(f"with the wrong citizen's message: mean {statistics.mean(mismatched):.1f} (the right one: "
          f"{statistics.mean(scores):.1f}); right one higher for {sum(a > b for a, b in zip(scores, mismatched, strict=True)) / len(rows):.0%}")  # fmt: skip
    print(f"below 60: {sum(score < 60 for score in scores) / len(scores):.1%}")
    names = [check.name for check in results[0].checks]
    for index, name in enumerate(names):
        failing = sum(result.checks[index].passed < 1 for result in results) / len(results)
        print(f"  {name:<12} not fully passed by {failing:.1%}")
    order = sorted(range(len(rows)), key=lambda i: scores[i])
    for label, picks in (("weakest", order[:3]), ("strongest", order[-2:])):
        for i in picks:
            failed = ", ".join(check.name for check in results[i].problems) or "none"
            print(f"{label} ({scores[i]}; failed: {failed}): {rows[i][1][:120]}")


if __name__ == "__main__":
    main()
