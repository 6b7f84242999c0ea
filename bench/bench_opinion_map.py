"""Opinion map of a public comment (massline.consultations.opinion): time and peak memory of one computation.

python bench/bench_opinion_map.py                 # 1,000 × 50 and 10,000 × 200, each participant voting on 60%
python bench/bench_opinion_map.py --sizes 50000x300 --density 0.3

The votes are synthetic and planted: three camps of unequal size take opposite sides on most statements, agree
on the first five, and every vote is replaced by a random one with probability 0.2. Each size is computed once
after a warm-up on the smaller size; the figures are the wall time of ``opinion_map`` (best of ``--repeat``), the
peak of memory that Python allocated during it (tracemalloc, which sees numpy's buffers) and the process's peak
resident size, and how well the map found the camps (adjusted Rand index against the planted camps), whether the
five shared statements come first among the consensus, and the number of statements flagged divisive.
Target: 10,000 participants × 200 statements under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from massline.consultations.opinion import opinion_map  # noqa: E402

SHARED = 5
CAMP_SHARES = (0.5, 0.3, 0.2)
NOISE = 0.2


def planted_votes(
    n_participants: int, n_statements: int, density: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    camp = rng.choice(len(CAMP_SHARES), size=n_participants, p=CAMP_SHARES)
    stance = rng.choice([-1, 1], size=(len(CAMP_SHARES), n_statements))
    stance[:, :SHARED] = 1
    uniform = np.flatnonzero((stance == stance[0]).all(axis=0)[SHARED:]) + SHARED
    stance[-1, uniform] *= -1  # only the planted statements are shared by every camp
    voted = rng.random((n_participants, n_statements)) < density
    participants, statements = np.nonzero(voted)
    values = stance[camp[participants], statements]
    noisy = rng.random(values.size) < NOISE
    values[noisy] = rng.integers(-1, 2, size=int(noisy.sum()))
    order = rng.permutation(values.size)  # votes arrive in no particular order
    return participants[order], statements[order], values[order], camp


def measure(n_participants: int, n_statements: int, density: float, repeat: int) -> None:
    participants, statements, values, camp = planted_votes(n_participants, n_statements, density, seed=1)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = opinion_map(participants, statements, values, n_participants=n_participants, n_statements=n_statements)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    opinion_map(participants, statements, values, n_participants=n_participants, n_statements=n_statements)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    placed = result.group_of >= 0
    ari = adjusted_rand_score(camp[placed], result.group_of[placed])
    first = sorted(c.statement for c in result.consensus[:SHARED])
    print(
        f"{n_participants:>7,} × {n_statements:<4} {values.size:>10,} votes  {best:6.2f} s  "
        f"peak {peak / 2**20:6.1f} MiB (tracemalloc)  groups {len(result.groups)}  ARI {ari:.3f}  "
        f"shared first: {'yes' if first == list(range(SHARED)) else 'no'}  divisive {len(result.divisive)}  "
        f"explained {result.explained_variance[0]:.2f} + {result.explained_variance[1]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000x50,10000x200", help="participants x statements, comma-separated")
    parser.add_argument("--density", type=float, default=0.6, help="share of statements each participant votes on")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in size.split("x")) for size in args.sizes.split(",")]
    warm_p, warm_s, warm_v, _ = planted_votes(200, 20, args.density, seed=0)
    opinion_map(warm_p, warm_s, warm_v, n_participants=200, n_statements=20)
    for n_participants, n_statements in sizes:
        measure(n_participants, n_statements, args.density, args.repeat)
    print(f"process peak resident size: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
