"""Approval and win probabilities: baselines, lifts and every decision rule, exactly."""

from __future__ import annotations

import pytest
from engine_builders import Account

from graph_api.domain.enums import CommitteeRole, DecisionRule, Stance
from graph_api.engine import coaching_plan
from graph_api.engine.probability import WinRule, lifted, weighted_rule


@pytest.mark.parametrize(
    ("stance", "baseline"),
    [
        (Stance.CHAMPION, 0.9),
        (Stance.SUPPORTER, 0.75),
        (Stance.NEUTRAL, 0.5),
        (Stance.UNKNOWN, 0.4),
        (Stance.SKEPTIC, 0.3),
        (Stance.BLOCKER, 0.1),
    ],
)
def test_the_baseline_follows_the_approvers_stance(stance: Stance, baseline: float) -> None:
    result = coaching_plan(Account().approver("a", stance).build())
    assert result.approvers[0].approval_probability == baseline
    assert result.approvers[0].approval_probability_with_plan == baseline
    assert result.win_probability == baseline


def test_one_play_lifts_by_six_tenths_of_its_value() -> None:
    assert lifted(0.5, [0.5]) == pytest.approx(0.65)


def test_several_plays_combine_as_one_minus_the_product_of_misses() -> None:
    assert lifted(0.5, [0.5, 0.5]) == pytest.approx(0.5 + 0.5 * (1 - 0.7 * 0.7))
    assert lifted(0.3, []) == 0.3


def committee(rule: DecisionRule, threshold: float | None = None, **weights: float) -> Account:
    """Approvers x (NEUTRAL 0.5), y (SKEPTIC 0.3), z (SUPPORTER 0.75), optional weights."""
    account = Account(rule=rule, threshold=threshold)
    for pid, stance in (("x", Stance.NEUTRAL), ("y", Stance.SKEPTIC), ("z", Stance.SUPPORTER)):
        account.approver(pid, stance, weight=weights.get(pid, 1.0))
    return account


def win(account: Account) -> float:
    return coaching_plan(account.build()).win_probability


def test_unanimous_is_the_product() -> None:
    assert win(committee(DecisionRule.UNANIMOUS)) == pytest.approx(0.5 * 0.3 * 0.75)


def test_majority_counts_two_of_three() -> None:
    expected = 0.5 * 0.3 + 0.5 * 0.75 + 0.3 * 0.75 - 2 * 0.5 * 0.3 * 0.75
    assert win(committee(DecisionRule.MAJORITY)) == pytest.approx(expected)  # 0.525


def test_weighted_majority_needs_more_than_half_the_weight() -> None:
    # Weights 2, 1, 1: y and z together hold exactly half, which is not a majority.
    expected = 0.5 * (1 - 0.7 * 0.25)
    assert win(committee(DecisionRule.MAJORITY, x=2.0)) == pytest.approx(expected)


def test_decimal_weights_that_tie_at_one_half_are_not_a_majority() -> None:
    # 0.1 + 0.2 is exactly 0.3 for the seller, though not in binary floating point.
    expected = 0.75 * (0.5 + 0.3 - 0.5 * 0.3)
    result = win(committee(DecisionRule.MAJORITY, x=0.1, y=0.2, z=0.3))
    assert result == pytest.approx(expected)  # 0.4875, not 0.525


def test_a_threshold_is_reached_at_equality() -> None:
    expected = 1 - 0.25 * (0.5 * 0.7 + 0.5 * 0.7 + 0.5 * 0.3)
    result = win(committee(DecisionRule.THRESHOLD, 0.5, x=0.1, y=0.2, z=0.3))
    assert result == pytest.approx(expected)  # 0.7875


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (2 / 3, 0.5 * 0.3 + 0.5 * 0.75 + 0.3 * 0.75 - 2 * 0.5 * 0.3 * 0.75),
        (0.67, 0.5 * 0.3 * 0.75),
        (0.0, 1.0),
        (1.0, 0.5 * 0.3 * 0.75),
        (0.3, 1 - 0.5 * 0.7 * 0.25),
    ],
)
def test_thresholds_count_whole_approvers(threshold: float, expected: float) -> None:
    assert win(committee(DecisionRule.THRESHOLD, threshold)) == pytest.approx(expected)


def test_a_threshold_rule_without_a_threshold_falls_back_to_majority() -> None:
    result = coaching_plan(committee(DecisionRule.THRESHOLD).build())
    assert result.decision_rule is DecisionRule.MAJORITY
    assert result.win_probability == pytest.approx(0.525)
    assert any("THRESHOLD" in w and "MAJORITY" in w for w in result.warnings)


def test_an_approver_without_vote_weight_does_not_vote() -> None:
    result = coaching_plan(committee(DecisionRule.MAJORITY, y=0.0).build())
    # x and z must both approve to hold more than half of 2.
    assert result.win_probability == pytest.approx(0.5 * 0.75)
    assert "Y has a vote weight of 0.0 and does not count in the vote." in result.warnings


def test_the_economic_buyer_rule_reads_the_economic_buyer() -> None:
    account = committee(DecisionRule.ECONOMIC_BUYER).approver(
        "eb", Stance.UNKNOWN, CommitteeRole.ECONOMIC_BUYER
    )
    result = coaching_plan(account.build())
    assert result.decision_rule is DecisionRule.ECONOMIC_BUYER
    assert result.win_probability == pytest.approx(0.4)
    assert not [w for w in result.warnings if "economic buyer" in w]


def test_several_economic_buyers_must_all_approve() -> None:
    account = (
        Account(rule=DecisionRule.ECONOMIC_BUYER)
        .approver("eb1", Stance.UNKNOWN, CommitteeRole.ECONOMIC_BUYER)
        .approver("eb2", Stance.SUPPORTER, CommitteeRole.ECONOMIC_BUYER)
        .approver("x", Stance.BLOCKER)
    )
    result = coaching_plan(account.build())
    assert result.win_probability == pytest.approx(0.4 * 0.75)
    assert result.warnings[0] == (
        "Several economic buyers are seated (Eb1, Eb2); "
        "the plan counts the deal won only if all of them approve."
    )


def test_no_economic_buyer_falls_back_to_unanimous_with_a_warning() -> None:
    result = coaching_plan(committee(DecisionRule.ECONOMIC_BUYER).build())
    assert result.decision_rule is DecisionRule.UNANIMOUS
    assert result.win_probability == pytest.approx(0.5 * 0.3 * 0.75)
    assert "no economic buyer is seated" in result.warnings[0]
    assert not [w for w in result.warnings[1:] if "economic buyer" in w]


def test_no_approvers_means_no_chance_yet_and_a_warning() -> None:
    result = coaching_plan(Account().champion("c").seat("n").build())
    assert result.win_probability == 0.0
    assert result.win_probability_with_plan == 0.0
    assert result.approvers == ()
    assert result.warnings[0].startswith("No approver is mapped for Fleet deal")


def test_veto_holders_are_approvers() -> None:
    account = Account().seat("legal", Stance.SKEPTIC, CommitteeRole.LEGAL, veto=True)
    account.seat("user", Stance.NEUTRAL, CommitteeRole.USER_BUYER)
    result = coaching_plan(account.build())
    assert [a.approver_id for a in result.approvers] == ["legal"]
    assert result.win_probability == pytest.approx(0.3)


def test_the_swing_is_the_exact_marginal_of_one_approver() -> None:
    rule = weighted_rule(DecisionRule.MAJORITY, [("x", 1.0), ("y", 1.0), ("z", 1.0)], None)
    approval = {"x": 0.5, "y": 0.3, "z": 0.75}
    raised = {**approval, "y": 0.8}
    delta = rule.probability(raised) - rule.probability(approval)
    assert delta == pytest.approx(0.5 * rule.swing(approval, "y"))
    assert WinRule(DecisionRule.UNANIMOUS, ("x",)).swing(approval, "y") == 0.0
