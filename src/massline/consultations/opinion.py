"""The opinion map of a public comment, in the manner of Pol.is: who thinks alike, what sets each group apart,
and what every group agrees on.

Participants vote agree (1), disagree (-1) or pass (0) on short statements. The map is computed from the votes
alone, with no database access, and is deterministic for a given ``seed``:

1. **Votes.** A participant's last vote on a statement counts (later entries in the arrays replace earlier ones).
   Passes are votes: they count towards ``min_votes`` and in every "seen" total, with the value 0.
2. **Who is placed.** Participants with fewer than ``min(min_votes, n_statements)`` votes are not placed on the
   map (coordinates NaN, group -1): too few votes say too little about where someone stands. Their votes still
   count in ``statement_stats``. (Pol.is lowers the bar the same way when there are fewer statements than it.)
3. **Missing votes** are imputed by the statement's mean vote among the placed participants, as Pol.is does.
   After centring, an imputed vote is exactly 0, so the centred matrix keeps the sparsity of the votes, and a
   statement someone did not see neither pulls them towards agreement (as imputing "agree" would) nor towards
   the crowd's passes (as imputing 0 before centring would, which would drag light voters to one side on
   statements most people agree with).
4. **Projection.** PCA to two components of that matrix: a randomised truncated SVD of the sparse centred
   matrix (exact SVD when a side is 2 or less). Each participant's projection is then multiplied by
   ``sqrt(n_statements / votes cast)``, Pol.is' sparsity-aware scaling: with few votes a person's imputed
   entries pull them towards the centre, and the factor pushes them back out.
5. **Groups.** k-means (``n_init=K_MEANS_INIT``) in the 2-D projection for k = 2 … ``max_groups``, leaving out
   any k that makes a group smaller than ``min_group_share`` of the placed participants (at least 2); the k with
   the best silhouette (on at most ``SILHOUETTE_SAMPLE`` placed participants) wins. The split is kept only if
   its silhouette reaches ``min_silhouette`` and beats by ``silhouette_margin`` the best split of the same
   votes shuffled among the voters of each statement (``NULL_SHUFFLES`` shuffles, one above
   ``ONE_SHUFFLE_ABOVE`` placed participants; no group-size rule there):
   the shuffle keeps every statement's balance and everyone's number of votes but destroys any pattern shared
   across statements. Silhouette alone cannot tell camps from noise: a public that broadly agrees, with a few
   scattered dissenters, projects to a tight blob with outliers and scores 0.7–0.8, as its shuffle does; camps
   score 0.5–0.8 against about 0.35–0.45 shuffled. Otherwise everyone placed forms one group, as when they all
   stand on one point. Groups are numbered by size, largest first. This step is not in Pol.is, which always
   shows at least two groups; it also makes a map of one statement one group (no pattern across statements).
6. **Statistics per group and statement**, with Laplace smoothing as Pol.is: agree probability
   ``pa = (A + 1) / (S + 2)``, disagree probability ``pd = (D + 1) / (S + 2)``, where S counts every vote seen
   (passes included).
7. **Representative statements** (Pol.is' "repness") compare a group with everyone placed outside it: the ratio
   ``ra = pa / pa_rest``, the two-proportion z-test of the group's agreement against the rest's (``rat``), and the
   one-proportion test of the group's agreement against one half (``pat``), and the same for disagreement. A
   statement represents the group in the direction whose two-proportion z is larger, with the score
   ``ratio × z_rest × p × z_half``; it is significant when both z values exceed ``Z_90`` (one-sided 90%).
   Significant ones are kept, best first, at most ``max_representative``, agreements before disagreements (as
   Pol.is shows them); when none is significant the single best one with a ratio above 1 is kept, flagged
   ``significant=False``. One group has no representative statements: nothing sets it apart.
8. **Consensus** ("group-informed consensus"): statements whose smoothed agree probability reaches
   ``consensus_threshold`` in every group, ranked by the product of the groups' probabilities (ties by
   statement index). ``consensus_against`` is the same for disagreement. With no placed participant there are
   no groups and no consensus.
9. **Divisive** statements: one group agrees (``pa ≥ divisive_threshold``), another disagrees
   (``pd ≥ divisive_threshold``), and their agreement differs significantly (two-proportion z above ``Z_90``);
   scored by ``pa × pd`` of the most opposed pair of groups.

Cost: linear in the votes, plus two to four sparse two-component SVDs (the votes and their shuffles) and
``max_groups - 1`` two-dimensional k-means for each. 10,000 participants × 200 statements with 60% voted take
a few seconds on two busy cores; the figures are in docs/consultations-opinion-map.md (``bench/bench_opinion_map.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

# One vote: (participant index, statement index, value).
Vote = tuple[int, int, int]

AGREE, PASS, DISAGREE = 1, 0, -1
# One-sided z for 90% confidence, as Pol.is' z-sig-90.
Z_90 = 1.2816
CONSENSUS_THRESHOLD = 0.6
DIVISIVE_THRESHOLD = 0.6
MIN_SILHOUETTE = 0.4
SILHOUETTE_MARGIN = 0.1
NULL_SHUFFLES = 3
# Above this many placed participants one shuffle is enough: its best silhouette varies by about 0.02 between
# shuffles (3,000 and 10,000 planted participants), a fifth of SILHOUETTE_MARGIN.
ONE_SHUFFLE_ABOVE = 2000
MIN_GROUP_SHARE = 0.05
MAX_REPRESENTATIVE = 5
SILHOUETTE_SAMPLE = 1000
K_MEANS_INIT = 4

Direction = Literal["agree", "disagree"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class VoteCounts:
    """Agree, disagree and pass counts per statement (arrays of length ``n_statements``)."""

    agree: IntArray
    disagree: IntArray
    passed: IntArray

    @property
    def seen(self) -> IntArray:
        return self.agree + self.disagree + self.passed

    @property
    def agree_probability(self) -> FloatArray:
        """Laplace-smoothed: (A + 1) / (S + 2)."""
        return (self.agree + 1) / (self.seen + 2)

    @property
    def disagree_probability(self) -> FloatArray:
        return (self.disagree + 1) / (self.seen + 2)


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart from everyone placed outside it."""

    statement: int
    direction: Direction
    probability: float  # smoothed agree (or disagree) probability in the group
    probability_rest: float  # the same among everyone placed outside the group
    ratio: float  # probability / probability_rest
    z: float  # two-proportion z of the group against the rest
    score: float  # ratio × z × probability × one-proportion z against 1/2
    significant: bool


@dataclass(frozen=True, eq=False)
class OpinionGroup:
    index: int
    size: int
    members: IntArray  # participant indices, ascending
    centre: tuple[float, float]
    counts: VoteCounts  # the members' votes
    representative: tuple[Representative, ...]


@dataclass(frozen=True)
class Consensus:
    """A statement every group agrees (or disagrees) with."""

    statement: int
    score: float  # product over groups of the smoothed probability
    weakest: float  # the lowest group probability
    probabilities: tuple[float, ...]  # per group, in group order


@dataclass(frozen=True)
class Divisive:
    """A statement one group agrees with and another disagrees with."""

    statement: int
    score: float  # agree probability of one group × disagree probability of the other
    agreeing_group: int
    disagreeing_group: int
    agree_probability: float
    disagree_probability: float


@dataclass(frozen=True, eq=False)
class OpinionMap:
    coordinates: FloatArray  # n_participants × 2; NaN for participants not placed
    group_of: IntArray  # group index per participant; -1 when not placed
    groups: tuple[OpinionGroup, ...]
    consensus: tuple[Consensus, ...]
    consensus_against: tuple[Consensus, ...]
    divisive: tuple[Divisive, ...]
    statement_stats: VoteCounts  # every vote, placed participants or not
    explained_variance: tuple[float, float]  # share of the vote variance along each component
    silhouette: float | None  # of the best split found (kept or not); None when none could be tried
    null_silhouette: float | None  # the best split of the votes shuffled within each statement, when compared

    @property
    def placed(self) -> IntArray:
        return np.flatnonzero(self.group_of >= 0)


def votes_to_arrays(votes: Iterable[Vote]) -> tuple[IntArray, IntArray, IntArray]:
    """(participant, statement, value) tuples as the three arrays ``opinion_map`` takes."""
    table = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
    return table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy()


def opinion_map(
    participants: ArrayLike,
    statements: ArrayLike,
    values: ArrayLike,
    *,
    n_participants: int,
    n_statements: int,
    min_votes: int = 7,
    max_groups: int = 5,
    seed: int = 0,
    consensus_threshold: float = CONSENSUS_THRESHOLD,
    divisive_threshold: float = DIVISIVE_THRESHOLD,
    min_silhouette: float = MIN_SILHOUETTE,
    silhouette_margin: float = SILHOUETTE_MARGIN,
    min_group_share: float = MIN_GROUP_SHARE,
    max_representative: int = MAX_REPRESENTATIVE,
) -> OpinionMap:
    """The opinion map of the votes ``values[i]`` of ``participants[i]`` on ``statements[i]`` (see the module)."""
    if n_participants < 0 or n_statements < 0:
        raise ValueError("n_participants and n_statements must not be negative")
    if min_votes < 1 or max_groups < 1 or max_representative < 0:
        raise ValueError("min_votes and max_groups must be at least 1, max_representative at least 0")
    p, s, v = _clean_votes(participants, statements, values, n_participants, n_statements)
    overall = _counts(s, v, np.zeros_like(s), 1, n_statements)[0]
    votes_cast = np.bincount(p, minlength=n_participants)
    placed = np.flatnonzero(votes_cast >= max(min(min_votes, n_statements), 1))

    coordinates = np.full((n_participants, 2), np.nan)
    group_of = np.full(n_participants, -1, dtype=np.int64)
    if placed.size == 0:
        return OpinionMap(
            coordinates=_frozen(coordinates),
            group_of=_frozen(group_of),
            groups=(),
            consensus=(),
            consensus_against=(),
            divisive=(),
            statement_stats=overall,
            explained_variance=(0.0, 0.0),
            silhouette=None,
            null_silhouette=None,
        )

    row_of = np.full(n_participants, -1, dtype=np.int64)
    row_of[placed] = np.arange(placed.size)
    kept = row_of[p] >= 0
    rows, cols, vals = row_of[p[kept]], s[kept], v[kept]
    scale = np.sqrt(n_statements / votes_cast[placed])[:, None]
    points, explained = _project(rows, cols, vals, placed.size, n_statements, seed)
    points *= scale

    by_statement = np.argsort(cols, kind="stable")

    def shuffled_points(round_: int) -> FloatArray:
        shuffled = _shuffle_within_statements(cols, vals, by_statement, np.random.default_rng([seed, round_]))
        return _project(rows, cols, shuffled, placed.size, n_statements, seed)[0] * scale

    # Two-dimensional k-means and silhouettes are too small to share among threads; on a busy machine waiting threads
    # cost a hundred times the work itself.
    with threadpool_limits(limits=1):
        labels, silhouette, null_silhouette = _cluster(
            points,
            shuffled_points,
            max_groups=max_groups,
            seed=seed,
            min_silhouette=min_silhouette,
            silhouette_margin=silhouette_margin,
            min_group_share=min_group_share,
        )

    coordinates[placed] = points
    group_of[placed] = labels
    n_groups = int(labels.max()) + 1
    group_counts = _counts(cols, vals, labels[rows], n_groups, n_statements)
    representative = _representative(group_counts, max_representative)
    groups = tuple(
        OpinionGroup(
            index=g,
            size=int((labels == g).sum()),
            members=_frozen(placed[labels == g]),
            centre=(float(points[labels == g, 0].mean()), float(points[labels == g, 1].mean())),
            counts=group_counts[g],
            representative=representative[g],
        )
        for g in range(n_groups)
    )
    pa = np.array([c.agree_probability for c in group_counts])
    pd = np.array([c.disagree_probability for c in group_counts])
    return OpinionMap(
        coordinates=_frozen(coordinates),
        group_of=_frozen(group_of),
        groups=groups,
        consensus=_consensus(pa, consensus_threshold),
        consensus_against=_consensus(pd, consensus_threshold),
        divisive=_divisive(group_counts, pa, pd, divisive_threshold),
        statement_stats=overall,
        explained_variance=explained,
        silhouette=silhouette,
        null_silhouette=null_silhouette,
    )


def _clean_votes(
    participants: ArrayLike, statements: ArrayLike, values: ArrayLike, n_participants: int, n_statements: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Checked integer arrays, one entry per (participant, statement): the last vote given."""
    p, s, v = (np.asarray(a).reshape(-1) for a in (participants, statements, values))
    if not (p.size == s.size == v.size):
        raise ValueError("participants, statements and values must have the same length")
    for name, array in (("participants", p), ("statements", s), ("values", v)):
        if array.size and not _whole_numbers(array):
            raise ValueError(f"{name} must be integers")
    p, s, v = p.astype(np.int64), s.astype(np.int64), v.astype(np.int64)
    if p.size:
        if p.min() < 0 or p.max() >= n_participants:
            raise ValueError("a participant index is outside 0 … n_participants - 1")
        if s.min() < 0 or s.max() >= n_statements:
            raise ValueError("a statement index is outside 0 … n_statements - 1")
        if not np.isin(v, (AGREE, PASS, DISAGREE)).all():
            raise ValueError("values must be 1 (agree), -1 (disagree) or 0 (pass)")
    key = p * max(n_statements, 1) + s
    # np.unique keeps the first occurrence: look from the end so that the last vote wins.
    _, last = np.unique(key[::-1], return_index=True)
    keep = np.sort(key.size - 1 - last)
    return p[keep], s[keep], v[keep]


def _whole_numbers(array: NDArray[Any]) -> bool:
    if array.dtype.kind in "iub":
        return True
    if array.dtype.kind != "f":
        return False
    return bool(np.all(np.isfinite(array)) and np.all(array == np.round(array)))


def _counts(
    statements: IntArray, values: IntArray, groups: IntArray, n_groups: int, n_statements: int
) -> list[VoteCounts]:
    """Per group, the agree / disagree / pass counts of each statement."""
    key = groups * n_statements + statements
    size = n_groups * n_statements

    def count(value: int) -> IntArray:
        return np.bincount(key[values == value], minlength=size).reshape(n_groups, n_statements).astype(np.int64)

    agree, disagree, passed = count(AGREE), count(DISAGREE), count(PASS)
    return [
        VoteCounts(agree=_frozen(agree[g]), disagree=_frozen(disagree[g]), passed=_frozen(passed[g]))
        for g in range(n_groups)
    ]


def _project(
    rows: IntArray, cols: IntArray, vals: IntArray, n_rows: int, n_cols: int, seed: int
) -> tuple[FloatArray, tuple[float, float]]:
    """PCA to two components of the mean-imputed vote matrix, and the share of variance each explains."""
    seen = np.bincount(cols, minlength=n_cols)
    means = np.bincount(cols, weights=vals, minlength=n_cols) / np.maximum(seen, 1)
    centred = sp.csr_matrix((vals - means[cols], (rows, cols)), shape=(n_rows, n_cols))
    total_variance = float(centred.multiply(centred).sum()) / n_rows
    if total_variance <= 1e-12:
        return np.zeros((n_rows, 2)), (0.0, 0.0)
    if min(n_rows, n_cols) > 2:
        svd = TruncatedSVD(n_components=2, algorithm="randomized", n_iter=7, random_state=seed)
        points = svd.fit_transform(centred)
    else:
        u, sigma, _ = np.linalg.svd(centred.toarray(), full_matrices=False)
        points = np.zeros((n_rows, 2))
        width = min(2, sigma.size)
        points[:, :width] = u[:, :width] * sigma[:width]
    points = np.ascontiguousarray(points, dtype=np.float64)
    variance = np.clip((points**2).sum(axis=0) / n_rows / total_variance, 0.0, 1.0)  # rounding can pass 1
    return points, (float(variance[0]), float(variance[1]))


def _cluster(
    points: FloatArray,
    shuffled_points: Callable[[int], FloatArray],
    *,
    max_groups: int,
    seed: int,
    min_silhouette: float,
    silhouette_margin: float,
    min_group_share: float,
) -> tuple[IntArray, float | None, float | None]:
    """Group labels numbered by size (largest first), the silhouette of the best split and of the null splits."""
    n = points.shape[0]
    one_group = np.zeros(n, dtype=np.int64)
    smallest = max(2, int(np.ceil(min_group_share * n)))
    score, labels = _best_split(points, max_groups, seed, smallest)
    if labels is None:
        return one_group, None, None
    if score < min_silhouette:
        return one_group, score, None
    # Votes without shared structure split too (a tight majority and its scattered dissenters score high):
    # the split must beat the same votes shuffled within each statement, where any split is chance.
    shuffles = 1 if n > ONE_SHUFFLE_ABOVE else NULL_SHUFFLES
    null = max(_best_split(shuffled_points(r), max_groups, seed, 2)[0] for r in range(shuffles))
    if score < null + silhouette_margin:
        return one_group, score, null
    return _by_size(labels, points), score, null


def _shuffle_within_statements(
    cols: IntArray, vals: IntArray, by_statement: IntArray, rng: np.random.Generator
) -> IntArray:
    """The votes permuted among the voters of each statement: same statements, same voters, no correlation.
    ``by_statement`` is the votes' order sorted by statement."""
    shuffled_by_statement = np.argsort(cols + rng.random(cols.size))  # by statement, at random within one
    shuffled = np.empty_like(vals)
    shuffled[by_statement] = vals[shuffled_by_statement]
    return shuffled


def _best_split(points: FloatArray, max_groups: int, seed: int, smallest: int) -> tuple[float, IntArray | None]:
    """The k-means split with the best silhouette among those whose groups all have ``smallest`` members."""
    n = points.shape[0]
    distinct = np.unique(np.round(points, 9), axis=0).shape[0]
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False)) if n > SILHOUETTE_SAMPLE else np.arange(n)
    best_score, best_labels = -1.0, None
    for k in range(2, min(max_groups, distinct, n - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=K_MEANS_INIT, random_state=seed).fit_predict(points)
        sampled = labels[sample]
        if np.bincount(labels).min() < smallest or np.unique(sampled).size < 2:
            continue
        score = float(silhouette_score(points[sample], sampled))
        if score > best_score + 1e-12:
            best_score, best_labels = score, labels
    return best_score, best_labels


def _by_size(labels: IntArray, points: FloatArray) -> IntArray:
    """Renumber groups largest first (ties: by the centre's first, then second coordinate)."""
    found = np.unique(labels)
    order = sorted(
        found,
        key=lambda g: (-(labels == g).sum(), points[labels == g, 0].mean(), points[labels == g, 1].mean()),
    )
    mapping = np.empty(found.max() + 1, dtype=np.int64)
    mapping[np.array(order)] = np.arange(len(order))
    return mapping[labels]


def _prop_z(successes: NDArray[Any], trials: NDArray[Any]) -> FloatArray:
    """Pol.is' one-proportion test against 1/2, with one pseudo-count."""
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def _two_prop_z(succ_in: NDArray[Any], succ_out: NDArray[Any], n_in: NDArray[Any], n_out: NDArray[Any]) -> FloatArray:
    """Pol.is' two-proportion z-test (in against out), with one pseudo-count on each side; 0 when undefined."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (s1 / n1 - s2 / n2) / spread, 0.0)
    return np.asarray(z, dtype=np.float64)


def _representative(counts: list[VoteCounts], limit: int) -> list[tuple[Representative, ...]]:
    if len(counts) < 2:
        return [() for _ in counts]
    agree = np.array([c.agree for c in counts])
    disagree = np.array([c.disagree for c in counts])
    seen = np.array([c.seen for c in counts])
    rest_agree, rest_disagree, rest_seen = agree.sum(0) - agree, disagree.sum(0) - disagree, seen.sum(0) - seen

    def side(success: IntArray, rest_success: IntArray) -> tuple[FloatArray, ...]:
        probability = (success + 1) / (seen + 2)
        probability_rest = (rest_success + 1) / (rest_seen + 2)
        ratio = probability / probability_rest
        z_rest = _two_prop_z(success, rest_success, seen, rest_seen)
        z_half = _prop_z(success, seen)
        return probability, probability_rest, ratio, z_rest, z_half, ratio * z_rest * probability * z_half

    a = side(agree, rest_agree)
    d = side(disagree, rest_disagree)
    take_agree = a[3] > d[3]
    chosen = [np.where(take_agree, x, y) for x, y in zip(a, d, strict=True)]
    probability, probability_rest, ratio, z_rest, z_half, score = chosen
    significant = (z_rest > Z_90) & (z_half > Z_90)

    result = []
    for g in range(len(counts)):
        candidates = np.flatnonzero(significant[g])
        if candidates.size == 0:
            fallback = np.flatnonzero((ratio[g] > 1) & (score[g] > 0) & (seen[g] > 0))
            candidates = fallback[np.argsort(-score[g, fallback], kind="stable")[:1]]
        ranked = candidates[np.argsort(-score[g, candidates], kind="stable")][:limit]
        ranked = np.concatenate([ranked[take_agree[g, ranked]], ranked[~take_agree[g, ranked]]])
        result.append(
            tuple(
                Representative(
                    statement=int(j),
                    direction="agree" if take_agree[g, j] else "disagree",
                    probability=float(probability[g, j]),
                    probability_rest=float(probability_rest[g, j]),
                    ratio=float(ratio[g, j]),
                    z=float(z_rest[g, j]),
                    score=float(score[g, j]),
                    significant=bool(significant[g, j]),
                )
                for j in ranked
            )
        )
    return result


def _consensus(probability: FloatArray, threshold: float) -> tuple[Consensus, ...]:
    """Statements whose probability reaches ``threshold`` in every group (rows), by product, highest first."""
    if probability.shape[0] == 0:
        return ()
    product = probability.prod(axis=0)
    found = np.flatnonzero((probability >= threshold).all(axis=0))
    found = found[np.argsort(-product[found], kind="stable")]
    return tuple(
        Consensus(
            statement=int(j),
            score=float(product[j]),
            weakest=float(probability[:, j].min()),
            probabilities=tuple(float(x) for x in probability[:, j]),
        )
        for j in found
    )


def _divisive(counts: list[VoteCounts], pa: FloatArray, pd: FloatArray, threshold: float) -> tuple[Divisive, ...]:
    """Statements on which one group agrees and another disagrees, the most opposed pair first."""
    n_groups = len(counts)
    if n_groups < 2:
        return ()
    best_score = np.zeros(pa.shape[1])
    best_pair = np.full((pa.shape[1], 2), -1)
    for g in range(n_groups):
        for h in range(n_groups):
            if g == h:
                continue
            z = _two_prop_z(counts[g].agree, counts[h].agree, counts[g].seen, counts[h].seen)
            score = pa[g] * pd[h]
            better = (pa[g] >= threshold) & (pd[h] >= threshold) & (z > Z_90) & (score > best_score)
            best_score[better] = score[better]
            best_pair[better] = (g, h)
    found = np.flatnonzero(best_pair[:, 0] >= 0)
    found = found[np.argsort(-best_score[found], kind="stable")]
    return tuple(
        Divisive(
            statement=int(j),
            score=float(best_score[j]),
            agreeing_group=int(best_pair[j, 0]),
            disagreeing_group=int(best_pair[j, 1]),
            agree_probability=float(pa[best_pair[j, 0], j]),
            disagree_probability=float(pd[best_pair[j, 1], j]),
        )
        for j in found
    )
