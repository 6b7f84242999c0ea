"""Hot issues (未诉先办) on real messages: the five hottest issues of ../shared/data/teddy2020c/hot_messages.csv
with their messages and a cluster-quality figure, then the time to cluster ``BENCH_HOT_N`` (100,000) appeals
made from the shared messages.

    .venv/bin/python bench/bench_hot_issues.py
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from massline.intelligence.hot import Message, find_hot_issues, quality, vectors  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "teddy2020c"


def _time(text: str) -> dt.datetime:
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise ValueError(text)


def load() -> list[Message]:
    with (DATA / "hot_messages.csv").open(encoding="utf-8") as handle:
        return [
            Message(
                key=row["留言编号"],
                title=row["留言主题"],
                text=row["留言详情"],
                at=_time(row["留言时间"]),
                citizen=row["留言用户"],
                support=int(row["点赞数"] or 0),
            )
            for row in csv.DictReader(handle)
        ]


def top_five(messages: list[Message]) -> None:
    now = max(m.at for m in messages)
    started = time.perf_counter()
    clusters = find_hot_issues(messages, now=now)
    elapsed = time.perf_counter() - started
    print(f"messages: {len(messages)}")
    print(f"hot issues (3+ messages, 2+ citizens): {len(clusters)}")
    print(f"clustering seconds: {elapsed:.2f}")
    for figure, value in quality(messages, clusters).items():
        print(f"{figure}: {value}")
    for rank, cluster in enumerate(clusters[:5], start=1):
        print(
            f"\n#{rank} score {cluster.score}  {cluster.label}\n"
            f"   messages {cluster.volume}, citizens {cluster.citizens}, support {cluster.support}, "
            f"places {', '.join(cluster.places) or '-'}, {cluster.first_at:%Y-%m-%d} … {cluster.last_at:%Y-%m-%d}"
        )
        for index in cluster.members[:8]:
            message = messages[index]
            print(f"   - {message.at:%Y-%m-%d} {message.key} {message.title[:60]}")
        if cluster.volume > 8:
            print(f"   … and {cluster.volume - 8} more")


def at_scale(messages: list[Message], size: int) -> None:
    """``size`` appeals over 30 days: each a shared message with a tenth of its characters dropped."""
    rng = random.Random(7)
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    pool = list(messages)
    labelled = DATA / "messages_labeled.csv"
    if labelled.exists():
        with labelled.open(encoding="utf-8") as handle:
            pool += [
                Message(key=row["msg_id"], title=row["topic"], text=row["detail"], at=now, citizen=row["user"])
                for row in csv.DictReader(handle)
            ]

    def blur(text: str) -> str:
        return "".join(ch for ch in text if rng.random() > 0.1)

    made = []
    for number in range(size):
        source = rng.choice(pool)
        made.append(
            Message(
                key=number,
                title=blur(source.title),
                text=blur(source.text[:400]),
                at=now - dt.timedelta(minutes=rng.randrange(30 * 24 * 60)),
                citizen=f"c{rng.randrange(size)}",
            )
        )
    started = time.perf_counter()
    clusters = find_hot_issues(made, now=now)
    elapsed = time.perf_counter() - started
    print(f"\nappeals clustered: {size}")
    print(f"hot issues found: {len(clusters)}")
    print(f"clustering seconds at {size}: {elapsed:.1f}")
    print(f"peak resident MiB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    matrix = vectors(made)
    for figure, value in quality(made, clusters, matrix=matrix).items():
        print(f"{figure} at {size} (silhouette on 5,000 sampled): {value}")


def main() -> None:
    if not (DATA / "hot_messages.csv").exists():
        print(f"skipped: {DATA / 'hot_messages.csv'} is not here")
        return
    messages = load()
    top_five(messages)
    at_scale(messages, int(os.environ.get("BENCH_HOT_N", "100000")))


if __name__ == "__main__":
    main()
