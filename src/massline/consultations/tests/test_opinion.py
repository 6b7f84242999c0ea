"""The opinion map on planted populations: camps that disagree on most statements and share a few."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from massline.consultations.opinion import (
    CONSENSUS_THRESHOLD,
    OpinionMap,
    opinion_map,
    votes_to_arrays,
)

SHARED = (0, 1, 2)


def planted(
    n_participants: int = 300,
    n_statements: int = 24,
    shares: tuple[float, ...] = (0.5, 0.5),
    density: float = 0.6,
    noise: float = 0.15,
    seed: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Camps with a random side on every statement except SHARED, which all agree with; each vote is replaced by
    a random one with probability ``noise``. No other statement has the same side in every camp."""
    rng = np.random.default_rng(seed)
    camp = rng.choice(len(shares), size=n_participants, p=shares)
    stance = rng.choice([-1, 1], size=(len(shares), n_statements))
    stance[:, list(SHARED)] = 1
    uniform = [j for j in range(n_statements) if j not in SHARED and (stance[:, j] == stance[0, j]).all()]
    stance[-1, uniform] *= -1
    participants, statements = np.nonzero(rng.random((n_participants, n_statements)) < density)
    values = stance[camp[participants], statements]
    noisy = rng.random(values.size) < noise
    values[noisy] = rng.integers(-1, 2, size=int(noisy.sum()))
    return participants, statements, values, camp, stance


def compute(participants, statements, values, n_participants, n_statements, **kwargs) -> OpinionMap:
    return opinion_map(
        participants, statements, values, n_participants=n_participants, n_statements=n_statements, **kwargs
    )


def test_two_camps_are_found_with_their_shared_and_their_divisive_statements():
    participants, statements, values, camp, stance = planted()
    result = compute(participants, statements, values, 300, 24)

    assert len(result.groups) == 2
    assert adjusted_rand_score(camp, result.group_of) > 0.9
    assert sorted(c.statement for c in result.consensus) == list(SHARED)
    assert all(c.weakest >= CONSENSUS_THRESHOLD for c in result.consensus)
    assert [c.score for c in result.consensus] == sorted((c.score for c in result.consensus), reverse=True)
    assert sorted(d.statement for d in result.divisive) == [j for j in range(24) if j not in SHARED]
    for divisive in result.divisive:
        agreeing_camp = np.bincount(camp[result.groups[divisive.agreeing_group].members]).argmax()
        assert stance[agreeing_camp, divisive.statement] == 1


def test_every_group_is_represented_by_statements_on_which_its_camp_stands_apart():
    participants, statements, values, camp, stance = planted()
    result = compute(participants, statements, values, 300, 24)

    for group in result.groups:
        own = np.bincount(camp[group.members]).argmax()
        assert group.representative, "a group of a camp has something that sets it apart"
        assert len(group.representative) <= 5
        for rep in group.representative:
            assert rep.significant
            assert rep.statement not in SHARED
            assert stance[own, rep.statement] == (1 if rep.direction == "agree" else -1)
            assert rep.probability > rep.probability_rest
        directions = [rep.direction for rep in group.representative]
        assert directions == sorted(directions)  # agreements before disagreements, as Pol.is shows them


def test_three_unequal_camps_are_numbered_largest_first():
    participants, statements, values, camp, _ = planted(n_participants=600, n_statements=30, shares=(0.55, 0.3, 0.15))
    result = compute(participants, statements, values, 600, 30)

    assert len(result.groups) == 3
    assert adjusted_rand_score(camp, result.group_of) > 0.9
    sizes = [group.size for group in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 600
    assert result.consensus[0].statement in SHARED
    assert sorted(c.statement for c in result.consensus) == list(SHARED)
    assert 0 < result.explained_variance[1] <= result.explained_variance[0] < 1


def test_a_public_that_broadly_agrees_stays_one_group():
    rng = np.random.default_rng(3)
    participants, statements = np.nonzero(rng.random((400, 20)) < 0.7)
    draw = rng.random(participants.size)
    values = np.where(draw < 0.95, 1, np.where(draw < 0.975, -1, 0))  # scattered dissent, no shared pattern
    result = compute(participants, statements, values, 400, 20)

    assert len(result.groups) == 1
    assert result.groups[0].size == 400
    assert result.groups[0].representative == ()
    assert len(result.consensus) == 20
    assert result.divisive == ()
    # Even when tiny groups are allowed, the dissenters' split is no better than the votes shuffled.
    anything_goes = compute(participants, statements, values, 400, 20, min_group_share=0.0)
    assert len(anything_goes.groups) == 1
    assert anything_goes.silhouette is not None and anything_goes.null_silhouette is not None


def test_everyone_agreeing_on_everything_is_one_group_with_everything_in_consensus():
    participants, statements = np.divmod(np.arange(50 * 10), 10)
    result = compute(participants, statements, np.ones(500, dtype=int), 50, 10)

    assert len(result.groups) == 1
    assert np.array_equal(result.group_of, np.zeros(50))
    assert np.isfinite(result.coordinates).all()
    assert [c.statement for c in result.consensus] == list(range(10))
    assert result.consensus_against == ()
    assert result.explained_variance == (0.0, 0.0)
    assert result.silhouette is None


def test_participants_with_too_few_votes_are_not_placed_but_their_votes_count():
    participants, statements, values, _, _ = planted()
    light = np.array([300, 300, 301])  # two participants who voted on two and on one statement
    result = compute(
        np.concatenate([participants, light]),
        np.concatenate([statements, [0, 1, 0]]),
        np.concatenate([values, [-1, -1, -1]]),
        302,
        24,
    )

    assert result.group_of[300] == result.group_of[301] == -1
    assert np.isnan(result.coordinates[300:]).all()
    assert np.isfinite(result.coordinates[:300]).all()
    assert list(result.placed) == list(range(300))
    assert result.statement_stats.disagree[0] == (values[statements == 0] == -1).sum() + 2
    in_groups = sum(group.counts.disagree[0] for group in result.groups)
    assert in_groups == (values[statements == 0] == -1).sum()


def test_the_last_vote_of_a_participant_on_a_statement_counts():
    participants, statements, values = votes_to_arrays([(0, 0, 1), (0, 0, -1), (1, 0, 0), (1, 0, 1)])
    result = compute(participants, statements, values, 2, 1, min_votes=1)

    assert result.statement_stats.agree[0] == 1
    assert result.statement_stats.disagree[0] == 1
    assert result.statement_stats.passed[0] == 0


def test_no_votes():
    result = compute([], [], [], 5, 3)

    assert result.groups == () and result.consensus == () and result.divisive == ()
    assert np.isnan(result.coordinates).all()
    assert (result.group_of == -1).all()
    assert list(result.statement_stats.seen) == [0, 0, 0]


def test_nobody_and_nothing():
    result = compute([], [], [], 0, 0)
    assert result.coordinates.shape == (0, 2)
    assert result.groups == ()


def test_one_participant():
    participants, statements, values = votes_to_arrays([(0, j, (-1) ** j) for j in range(8)])
    result = compute(participants, statements, values, 1, 8)

    assert len(result.groups) == 1 and result.groups[0].size == 1
    assert np.array_equal(result.coordinates, [[0.0, 0.0]])
    assert [c.statement for c in result.consensus] == [0, 2, 4, 6]  # (1 + 1) / (1 + 2) = 0.67 ≥ 0.6


def test_all_passes():
    participants, statements = np.divmod(np.arange(30 * 8), 8)
    result = compute(participants, statements, np.zeros(240, dtype=int), 30, 8)

    assert len(result.groups) == 1
    assert result.consensus == () and result.consensus_against == ()
    assert list(result.statement_stats.passed) == [30] * 8
    assert np.isfinite(result.coordinates).all()


def test_one_statement_places_everyone_who_voted_on_it():
    participants = np.arange(40)
    values = np.where(participants < 20, 1, -1)
    result = compute(participants, np.zeros(40, dtype=int), values, 41, 1)

    assert result.group_of[40] == -1
    assert np.isfinite(result.coordinates[:40]).all()
    # Its two sides do sit apart on the map, but one statement holds no pattern shared across statements: the
    # split is no better than the votes shuffled, so everyone is one group.
    assert set(np.round(result.coordinates[:40, 0], 9)) == {1.0, -1.0}
    assert len(result.groups) == 1 and result.groups[0].size == 40
    assert result.consensus == () and result.divisive == ()
    assert (result.statement_stats.agree[0], result.statement_stats.disagree[0]) == (20, 20)


def test_the_same_seed_gives_the_same_map():
    participants, statements, values, _, _ = planted(seed=5, noise=0.35)
    first = compute(participants, statements, values, 300, 24, seed=7)
    second = compute(participants, statements, values, 300, 24, seed=7)

    assert np.array_equal(first.coordinates, second.coordinates)
    assert np.array_equal(first.group_of, second.group_of)
    assert first.consensus == second.consensus
    assert first.divisive == second.divisive
    assert [g.representative for g in first.groups] == [g.representative for g in second.groups]
    assert first.silhouette == second.silhouette


def test_the_map_cannot_be_changed_by_its_reader():
    participants, statements, values, _, _ = planted()
    result = compute(participants, statements, values, 300, 24)
    with pytest.raises(ValueError):
        result.group_of[0] = 3


@pytest.mark.parametrize(
    ("participants", "statements", "values", "message"),
    [
        ([0], [0], [2], "values"),
        ([5], [0], [1], "participant"),
        ([0], [-1], [1], "statement"),
        ([0, 1], [0], [1], "same length"),
        ([0.5], [0], [1], "integers"),
    ],
)
def test_votes_that_cannot_be_are_refused(participants, statements, values, message):
    with pytest.raises(ValueError, match=message):
        compute(participants, statements, values, 3, 3)


@st.composite
def vote_sets(draw):
    n_participants = draw(st.integers(0, 25))
    n_statements = draw(st.integers(0, 10))
    if n_participants == 0 or n_statements == 0:
        return [], n_participants, n_statements
    votes = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_participants - 1), st.integers(0, n_statements - 1), st.sampled_from([-1, 0, 1])
            ),
            max_size=200,
        )
    )
    return votes, n_participants, n_statements


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vote_sets(), st.integers(1, 8), st.integers(1, 5))
def test_any_votes_give_a_map_whose_groups_partition_the_placed(case, min_votes, max_groups):
    votes, n_participants, n_statements = case
    participants, statements, values = votes_to_arrays(votes)
    result = compute(
        participants, statements, values, n_participants, n_statements, min_votes=min_votes, max_groups=max_groups
    )

    placed = result.group_of >= 0
    assert result.coordinates.shape == (n_participants, 2)
    assert np.isfinite(result.coordinates[placed]).all()
    assert np.isnan(result.coordinates[~placed]).all()
    assert len(result.groups) <= max_groups
    members = np.concatenate([g.members for g in result.groups]) if result.groups else np.array([], dtype=int)
    assert sorted(members) == list(np.flatnonzero(placed))
    for group in result.groups:
        assert group.size == len(group.members) > 0
        assert (result.group_of[group.members] == group.index).all()
    distinct = {(p, s): v for p, s, v in votes}
    assert result.statement_stats.seen.sum() == len(distinct)
    grouped = sum((g.counts.seen for g in result.groups), np.zeros(n_statements, dtype=int))
    assert (grouped <= result.statement_stats.seen).all()
    assert all(min(c.probabilities) >= CONSENSUS_THRESHOLD for c in result.consensus)
    assert all(0 <= x <= 1 for x in result.explained_variance)
