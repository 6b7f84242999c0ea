"""Hot issues (未诉先办): recent appeals about the same problem in the same place, found before more people have
to complain, and ranked by how hot they are.

Clustering, in three steps, all on sparse matrices so that 100,000 appeals cluster in well under a minute:

1. **Vectors.** TF-IDF of the title's character bigrams and Latin words, and separately of the first
   ``DETAIL_CHARS`` characters of the description, weighted ``TITLE_WEIGHT`` : ``DETAIL_WEIGHT`` and
   normalised. Above ``LARGE`` messages, bigrams found in more than ``MAX_DF`` of them ("小区", "政府") are left
   out: they weigh little anyway, and leaving them out keeps the similarity product sparse. (Below ``LARGE``
   nothing is left out, so that a matter filling a small window — a storm's outages — keeps its words.) Below
   ``FEW`` messages the inverse document frequencies of the window say little (a burst of five appeals makes its
   own words look common), so plain term frequencies are compared.
2. **Links.** Two messages are linked when their cosine similarity reaches ``threshold``. The similarity is
   halved when both name places (a residential compound, a road, a village… by the ``PLACE`` pattern) and
   they share none: "油烟扰民" in two different compounds are two matters; it is raised by ``PLACE_BONUS`` when
   they name the same place, since neighbours describe one matter in their own words. Two appeals in different streets of
   the org tree are not linked at all unless their texts name a place in common (a road through both).

Hotness (``Cluster.score``) adds up, on log scales so that no one figure dominates: distinct citizens (the main
term: one person writing ten times is one voice), volume, public support, growth (appeals in the last
``RECENT_DAYS`` against the same span before) and spread (distinct places). The weights are ``WEIGHTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .text import STOP_BIGRAMS, normalise

DETAIL_CHARS = 150
TITLE_WEIGHT = 1.0
DETAIL_WEIGHT = 0.6
MAX_DF = 0.05
LARGE = 20000
FEW = 200
THRESHOLD = 0.35
CENTROID_MIN = 0.3
PLACE_PENALTY = 0.5
PLACE_BONUS = 1.3
RECENT_DAYS = 7
NEIGHBOURS = 50
THREADS = 2
WEIGHTS = {"citizens": 1.0, "volume": 0.5, "support": 0.5, "growth": 0.5, "spread": 0.25}

# A named place: a few characters ending in a kind of place. Lazy, so "丽发新城小区" gives "丽发新城" first.
PLACE = re.compile(
    r"[\u4e00-\u9fa5a-z0-9]{2,8}?"
    r"(?:小区|花园|家园|公寓|广场|大厦|新城|国际城|苑|村|镇|乡|街道|社区|大道|路|街|学院|学校|中学|小学|幼儿园|医院|市场)"
)
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
# Leading words that are not part of a place's name ("投诉丽发新城" names 丽发新城).
_PLACE_LEAD = re.compile(r"^(?:关于|投诉|反映|举报|请问|咨询|建议|请求|希望|我是|我们|本人|位于|地处|在)+")
# The administrative levels written before a name ("a市a2区丽发新城" is 丽发新城).
_PLACE_LEVELS = re.compile(r"^.*[省市区县](?=.{3})")


def tokens(text: str) -> list[str]:
    """Character bigrams of the Chinese runs and the Latin words and numbers of ``text`` (normalised)."""
    out: list[str] = []
    for run in _TOKEN.findall(text):
        if run[0].isascii():
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [token for token in out if token not in STOP_BIGRAMS]


def named_places(text: str) -> frozenset[str]:
    """The places ``text`` names, without the city and district before them: "投诉A市A5区魅力之城小区油烟" →
    {"魅力之城小区"}. A pattern, not a gazetteer: a stray phrase ending in 路 or 村 is sometimes taken too."""
    found = set()
    for match in PLACE.findall(normalise(text)):
        name = _PLACE_LEAD.sub("", _PLACE_LEVELS.sub("", match))
        if len(name) >= 3:
            found.add(name)
    return frozenset(found)


@dataclass(frozen=True)
class Message:
    """One appeal as the clustering sees it. ``citizen`` identifies the writer ('' when unknown: each such
    message counts as its own citizen); ``place`` is the code of its street in the org tree ('' when unknown)."""

    key: Hashable
    title: str
    text: str
    at: dt.datetime
    citizen: str = ""
    support: int = 0
    place: str = ""
    area: str = ""  # the code of its area in the org tree (a community or finer), for the spread


@dataclass
class Cluster:
    members: list[int]  # indices into the messages, the most central first
    label: str
    keywords: list[str]
    places: list[str]
    volume: int
    citizens: int
    support: int
    growth: float
    spread: int
    score: float
    cohesion: float
    first_at: dt.datetime
    last_at: dt.datetime
    daily: dict[str, int] = field(default_factory=dict)


def vectors(messages: Sequence[Message]) -> Any:
    """The normalised sparse matrix the clustering compares, one row per message."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    parts = []
    texts_by_part = (
        ([normalise(m.title) for m in messages], TITLE_WEIGHT),
        ([normalise(m.text[: DETAIL_CHARS * 2])[:DETAIL_CHARS] for m in messages], DETAIL_WEIGHT),
    )
    for texts, weight in texts_by_part:
        vectorizer = TfidfVectorizer(
            analyzer=tokens,
            sublinear_tf=True,
            use_idf=len(texts) >= FEW,
            max_df=MAX_DF if len(texts) > LARGE else 1.0,
        )
        try:
            parts.append(vectorizer.fit_transform(texts) * weight)
        except ValueError:  # not one token in any text of this part
            continue
    if not parts:
        return sp.csr_matrix((len(messages), 1))
    return normalize(sp.hstack(parts).tocsr())


def _named(messages: Sequence[Message]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For each message, the places its title names and those the start of its description names."""
    return [(named_places(m.title), named_places(m.text[: DETAIL_CHARS * 2][:DETAIL_CHARS])) for m in messages]


def _place_matrix(named: Sequence[tuple[frozenset[str], frozenset[str]]]) -> Any:
    """A sparse 0/1 matrix, one row per message, one column per place its text names."""
    import numpy as np
    import scipy.sparse as sp

    columns: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    for in_title, in_text in named:
        names = in_title | in_text
        indices.extend(columns.setdefault(name, len(columns)) for name in names)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(named), max(1, len(columns))))


def _links(matrix: Any, places: Any, streets: Sequence[str], threshold: float) -> Any:
    """The sparse matrix of links: similarity at or above ``threshold`` after the place penalty, among each
    message's ``NEIGHBOURS`` most similar (sparse_dot_topn multiplies without holding the whole product)."""
    import numpy as np
    import scipy.sparse as sp
    from sparse_dot_topn import sp_matmul_topn

    floor = threshold / PLACE_BONUS  # below it, even a pair naming the same place cannot link
    vectors32 = matrix.astype(np.float32)
    product = sp_matmul_topn(
        vectors32, vectors32.T.tocsr(), top_n=NEIGHBOURS, threshold=floor, n_threads=THREADS
    ).tocoo()
    keep = product.row != product.col  # each pair once or twice; the components read the links both ways
    rows, cols, values = product.row[keep], product.col[keep], product.data[keep]
    named = np.diff(places.indptr) > 0
    both_named = named[rows] & named[cols]
    shared = np.asarray(places[rows].multiply(places[cols]).sum(axis=1)).ravel() > 0
    values = np.where(both_named & ~shared, values * PLACE_PENALTY, values)
    values = np.where(shared, values * PLACE_BONUS, values)
    codes: dict[str, int] = {}
    street = np.array([codes.setdefault(code, len(codes)) if code else -1 for code in streets], dtype=np.int64)
    apart = (street[rows] >= 0) & (street[cols] >= 0) & (street[rows] != street[cols])
    values = np.where(apart & ~shared, 0.0, values)
    linked = values >= threshold
    size = matrix.shape[0]
    data = np.ones(int(linked.sum()), dtype=np.int8)
    return sp.coo_matrix((data, (rows[linked], cols[linked])), shape=(size, size)).tocsr()


def _split_by_street(matrix: Any, labels: Any, streets: Sequence[str]) -> Any:
    """Components that reach into several streets (chained through appeals whose street is not known) become
    one group per street; an appeal without a street joins the one its text is closest to."""
    import numpy as np
    from sklearn.preprocessing import normalize

    by_label: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        by_label.setdefault(label, []).append(index)
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if len(labels) else 0
    for members in by_label.values():
        known = sorted({streets[i] for i in members if streets[i]})
        if len(known) < 2:
            continue
        rows = matrix[members]
        centroids = normalize(
            np.vstack(
                [
                    np.asarray(rows[[k for k, i in enumerate(members) if streets[i] == street]].sum(axis=0))
                    for street in known
                ]
            )
        )
        nearest = np.asarray(rows @ centroids.T).argmax(axis=1)
        for position, index in enumerate(members):
            street = streets[index]
            number = known.index(street) if street else int(nearest[position])
            labels[index] = next_label + number
        next_label += len(known)
    return labels


def _closeness(matrix: Any, labels: Any, in_group: Any) -> tuple[Any, Any, Any, Any]:
    """For the messages ``in_group``: their indices, their group numbered 0…n-1, each group's summed vectors,
    and each message's cosine to its group's centroid."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    members = np.flatnonzero(in_group)
    _unique, compact = np.unique(labels[members], return_inverse=True)
    assignment = sp.csr_matrix(
        (np.ones(len(members)), (compact, members)), shape=(int(compact.max()) + 1, matrix.shape[0])
    )
    sums = assignment @ matrix
    closeness = np.asarray(matrix[members].multiply(normalize(sums)[compact]).sum(axis=1)).ravel()
    return members, compact, sums, closeness


def _groups(matrix: Any, links: Any, streets: Sequence[str]) -> list[tuple[list[int], float]]:
    """Connected components of the links, one per street, tightened around their centroids; each with its
    cohesion (the length of the mean of its normalised vectors: 1 when all are the same)."""
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    _count, labels = connected_components(links, directed=False)
    labels = _split_by_street(matrix, labels, streets)
    count = int(labels.max()) + 1

    def in_pairs(mask: Any) -> Any:
        return mask & (np.bincount(labels[mask], minlength=count)[labels] >= 2)

    in_group = in_pairs(np.ones(len(labels), dtype=bool))
    if not in_group.any():
        return []
    members, _compact, _sums, closeness = _closeness(matrix, labels, in_group)
    in_group[members[closeness < CENTROID_MIN]] = False  # tighten: the far members leave their group
    in_group = in_pairs(in_group)
    if not in_group.any():
        return []
    members, compact, sums, closeness = _closeness(matrix, labels, in_group)
    sizes = np.bincount(compact)
    cohesion = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel()) / sizes
    order = np.lexsort((-closeness, compact))  # by group, the most central first
    return [
        (members[chunk].tolist(), float(cohesion[compact[chunk[0]]]))
        for chunk in np.split(order, np.flatnonzero(np.diff(compact[order])) + 1)
    ]


def _score(volume: int, citizens: int, support: int, growth: float, spread: int) -> float:
    return round(
        WEIGHTS["citizens"] * math.log1p(citizens)
        + WEIGHTS["volume"] * math.log1p(volume)
        + WEIGHTS["support"] * math.log1p(support)
        + WEIGHTS["growth"] * max(growth, 0.0)
        + WEIGHTS["spread"] * math.log1p(max(spread - 1, 0)),
        3,
    )


_KEYWORD = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z0-9]{3,}")
_NOT_KEYWORDS = frozenset(
    {"投诉", "反映", "关于", "问题", "请求", "希望", "咨询", "请问", "建议", "举报", "解决", "处理", "附近", "小区", "相关",
     "何时", "什么", "时候", "严重", "为何", "能否", "是否", "我们"}
)  # fmt: skip


def _keywords(messages: Sequence[Message], members: list[int], limit: int = 5) -> list[str]:
    """The words (jieba) most of the group's titles use, places and complaint words aside."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    counts: Counter[str] = Counter()
    for index in members[:200]:
        words = jieba.lcut(normalise(messages[index].title))
        counts.update({word for word in words if _KEYWORD.fullmatch(word) and word not in _NOT_KEYWORDS})
    return [word for word, count in counts.most_common(limit) if count >= 2]


def describe(
    messages: Sequence[Message],
    members: list[int],
    *,
    now: dt.datetime,
    cohesion: float = 0.0,
    named: Sequence[tuple[frozenset[str], frozenset[str]]] | None = None,
) -> Cluster:
    """A group's figures and hotness. ``members`` come most central first; the first one's title labels it."""
    chosen = [messages[i] for i in members]
    citizens = {m.citizen or f"#{i}" for i, m in zip(members, chosen, strict=True)}
    recent_from = now - dt.timedelta(days=RECENT_DAYS)
    before_from = recent_from - dt.timedelta(days=RECENT_DAYS)
    recent = sum(1 for m in chosen if m.at >= recent_from)
    before = sum(1 for m in chosen if before_from <= m.at < recent_from)
    growth = math.log((recent + 1) / (before + 1))
    in_titles: Counter[str] = Counter()
    in_texts: Counter[str] = Counter()
    for index in members:
        in_title, in_text = named[index] if named is not None else _named([messages[index]])[0]
        in_titles.update(in_title)
        in_texts.update(in_text - in_title)
    place_counts = in_titles or in_texts  # a title names its place with fewer stray words
    areas = {m.area or m.place for m in chosen if m.area or m.place}
    spread = len(areas) if areas else min(len(place_counts), len(chosen))
    support = sum(m.support for m in chosen)
    daily = Counter(m.at.date().isoformat() for m in chosen)
    return Cluster(
        members=members,
        label=chosen[0].title,
        keywords=_keywords(messages, members),
        places=[name for name, _count in place_counts.most_common(3)],
        volume=len(chosen),
        citizens=len(citizens),
        support=support,
        growth=round(growth, 3),
        spread=spread,
        score=_score(len(chosen), len(citizens), support, growth, spread),
        cohesion=round(cohesion, 3),
        first_at=min(m.at for m in chosen),
        last_at=max(m.at for m in chosen),
        daily=dict(sorted(daily.items())),
    )


def find_hot_issues(
    messages: Sequence[Message],
    *,
    now: dt.datetime,
    threshold: float = THRESHOLD,
    min_citizens: int = 2,
    min_volume: int = 3,
) -> list[Cluster]:
    """Groups of ``messages`` about the same matter with at least ``min_volume`` messages from at least
    ``min_citizens`` citizens, hottest first."""
    if len(messages) < 2:
        return []
    matrix = vectors(messages)
    named = _named(messages)
    streets = [m.place for m in messages]
    clusters = []
    links = _links(matrix, _place_matrix(named), streets, threshold)
    for members, cohesion in _groups(matrix, links, streets):
        cluster = describe(messages, members, now=now, cohesion=cohesion, named=named)
        if cluster.volume >= min_volume and cluster.citizens >= min_citizens:
            clusters.append(cluster)
    clusters.sort(key=lambda c: (c.score, c.last_at), reverse=True)
    return clusters


def quality(
    messages: Sequence[Message], clusters: Sequence[Cluster], *, matrix: Any = None, sample: int = 5000
) -> dict[str, float]:
    """Cluster-quality figures: the cosine silhouette of the clustered messages (how much closer each is to its
    own group than to the nearest other; -1 to 1, higher is better) and the share of messages clustered."""
    import numpy as np
    from sklearn.metrics import silhouette_score

    labelled = [(index, number) for number, cluster in enumerate(clusters) for index in cluster.members]
    figures = {"clustered_share": round(len(labelled) / max(1, len(messages)), 3)}
    if len(clusters) < 2:
        return figures
    rng = np.random.default_rng(0)
    if len(labelled) > sample:
        labelled = [labelled[i] for i in sorted(rng.choice(len(labelled), sample, replace=False).tolist())]
    matrix = vectors(messages) if matrix is None else matrix
    rows = matrix[[index for index, _number in labelled]]
    figures["silhouette"] = round(
        float(silhouette_score(rows, [number for _index, number in labelled], metric="cosine")), 3
    )
    return figures
