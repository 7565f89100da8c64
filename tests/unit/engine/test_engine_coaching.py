"""coaching_plan: plays, actions, statuses, develop candidates, threats, plan and warnings."""

from __future__ import annotations

import pytest
from engine_builders import OURS, RIVAL, STATUS_QUO, Account, simple_deal

from graph_api.domain.enums import (
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    CoverageStatus,
    DecisionRule,
    PlayAction,
    Stance,
)
from graph_api.engine import (
    ApproverAssessment,
    CoachingResult,
    DevelopCandidate,
    Options,
    Threat,
    coaching_plan,
)
from graph_api.errors import InvalidInput


def assessment(result: CoachingResult, approver: str) -> ApproverAssessment:
    return next(a for a in result.approvers if a.approver_id == approver)


# --- plays and their explanation -------------------------------------------------------


def test_a_direct_play_carries_its_numbers_and_a_sentence() -> None:
    result = coaching_plan(simple_deal().build())
    chris = assessment(result, "chris")
    assert chris.status is CoverageStatus.COVERED
    (play,) = chris.plays
    assert (play.champion_id, play.argument_id, play.approver_id) == ("dana", "outages", "chris")
    assert play.path == ("dana", "chris")
    assert play.reach == pytest.approx(0.8)
    assert play.fit == pytest.approx(0.7)
    assert play.credibility == 1.0
    assert play.value == pytest.approx(0.56)
    assert play.action is PlayAction.COACH
    assert play.readiness is None
    assert play.explanation == (
        "Dana reaches Chris (CFO) directly (0.80); Chris weighs Operational downtime highest; "
        "coach Dana on the German-shepherd (loss-avoidance) argument 'No more 3 a.m. outages' "
        "(fit 0.70, value 0.56)."
    )
    assert result.plan == (play,)
    assert result.win_probability == pytest.approx(0.5)
    assert chris.approval_probability_with_plan == pytest.approx(0.5 + 0.5 * 0.6 * 0.56)
    assert result.win_probability_with_plan == pytest.approx(0.668)
    assert result.warnings == ()


def test_a_relayed_play_names_the_path() -> None:
    account = simple_deal()
    account.influences.clear()
    account.person("lee", "Lee").person("sam", "Sam")
    account.influence("dana", "lee", 0.8).influence("lee", "chris", 0.75)
    result = coaching_plan(account.build())
    (play,) = assessment(result, "chris").plays
    assert play.path == ("dana", "lee", "chris")
    assert play.reach == pytest.approx(0.48)
    assert play.explanation.startswith("Dana reaches Chris (CFO) via Lee (0.48);")

    account.influences.clear()
    account.influence("dana", "lee", 1.0).influence("lee", "sam", 1.0).influence("sam", "chris", 1)
    (play,) = assessment(coaching_plan(account.build()), "chris").plays
    assert play.explanation.startswith("Dana reaches Chris (CFO) via Lee and Sam (0.64);")


@pytest.mark.parametrize(
    ("readiness", "action"),
    [(None, PlayAction.COACH), (0.69, PlayAction.COACH), (0.7, PlayAction.DEPLOY)],
)
def test_a_ready_champion_deploys_others_are_coached(
    readiness: float | None, action: PlayAction
) -> None:
    account = simple_deal()
    if readiness is not None:
        account.ready("dana", "outages", readiness)
    (play,) = assessment(coaching_plan(account.build()), "chris").plays
    assert play.action is action
    assert play.readiness == readiness


def test_a_deploy_sentence_says_the_champion_is_ready() -> None:
    (play,) = assessment(
        coaching_plan(simple_deal().ready("dana", "outages", 0.9).build()), "chris"
    ).plays
    assert "; Dana is ready (0.90) to make the German-shepherd (loss-avoidance) argument" in (
        play.explanation
    )


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (ArgumentKind.HERD, "the herd (peer proof) argument"),
        (ArgumentKind.GOLD_MEDAL, "the gold-medal (gain) argument"),
        (ArgumentKind.ROI, "the ROI argument"),
        (ArgumentKind.TECHNICAL_PROOF, "the technical proof argument"),
        (ArgumentKind.STRATEGIC, "the strategic argument"),
    ],
)
def test_argument_kinds_are_named_in_seller_words(kind: ArgumentKind, words: str) -> None:
    account = simple_deal().argument("outages", {"downtime": 0.7}, kind, "Pitch")
    (play,) = assessment(coaching_plan(account.build()), "chris").plays
    assert f"coach Dana on {words} 'Pitch'" in play.explanation


def test_a_supporter_is_a_champion_at_six_tenths_credibility() -> None:
    account = simple_deal().champion("dana", Stance.SUPPORTER)
    (play,) = assessment(coaching_plan(account.build()), "chris").plays
    assert play.credibility == 0.6
    assert play.value == pytest.approx(0.8 * 0.6 * 0.7)


def test_neutral_stakeholders_run_no_plays() -> None:
    account = simple_deal().seat("dana", Stance.NEUTRAL)
    assert assessment(coaching_plan(account.build()), "chris").plays == ()


def test_an_approver_who_champions_coaches_other_approvers_but_is_never_played() -> None:
    account = (
        simple_deal()
        .approver("dana", Stance.CHAMPION)
        .approver("chris", Stance.SUPPORTER)
        .influence("chris", "dana", 0.9)
    )
    result = coaching_plan(account.build())
    dana, chris = assessment(result, "dana"), assessment(result, "chris")
    assert dana.status is CoverageStatus.SECURED
    assert dana.plays == ()
    assert [p.champion_id for p in chris.plays] == ["dana"]
    assert all(p.approver_id != "dana" for p in result.plan)


def test_plays_are_ranked_by_value_then_reach_then_ids() -> None:
    account = (
        Account()
        .approver("a")
        .concern("k")
        .cares("a", "k", 1.0)
        .argument("arg1", {"k": 0.5})
        .argument("arg2", {"k": 0.5})
        .champion("cara")
        .champion("dave", Stance.SUPPORTER)
        .champion("ben")
        .influence("cara", "a", 0.3)  # 0.3 x 1.0 x 0.5 = 0.15
        .influence("dave", "a", 0.5)  # 0.5 x 0.6 x 0.5 = 0.15, longer reach
        .influence("ben", "a", 0.3)  # same as cara
    )
    result = coaching_plan(account.build(), Options(top_plays_per_approver=6))
    assert [(p.champion_id, p.argument_id) for p in assessment(result, "a").plays] == [
        ("dave", "arg1"),
        ("dave", "arg2"),
        ("ben", "arg1"),
        ("ben", "arg2"),
        ("cara", "arg1"),
        ("cara", "arg2"),
    ]


def four_arguments() -> Account:
    account = simple_deal()
    for index, fit in enumerate((0.9, 0.6, 0.3, 0.2)):
        account.argument(f"arg{index}", {"downtime": fit})
    return account


def test_plays_show_the_top_n_per_approver() -> None:
    account = four_arguments()
    default = assessment(coaching_plan(account.build()), "chris").plays
    assert [p.argument_id for p in default] == ["arg0", "outages", "arg1"]
    two = assessment(coaching_plan(account.build(), Options(top_plays_per_approver=2)), "chris")
    assert [p.argument_id for p in two.plays] == ["arg0", "outages"]


# --- status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strength", "fit", "status"),
    [
        (0.5, 0.5, CoverageStatus.COVERED),  # exactly 0.25
        (0.4, 0.5, CoverageStatus.WEAK),
    ],
)
def test_covered_from_a_best_value_of_a_quarter(
    strength: float, fit: float, status: CoverageStatus
) -> None:
    result = coaching_plan(simple_deal(strength, fit).build())
    assert assessment(result, "chris").status is status


def test_secured_when_the_approver_champions_us() -> None:
    result = coaching_plan(simple_deal().approver("chris", Stance.CHAMPION).build())
    chris = assessment(result, "chris")
    assert chris.status is CoverageStatus.SECURED
    assert chris.plays == ()
    assert chris.develop_candidates == ()
    assert result.plan == ()
    assert chris.approval_probability == 0.9


def test_uncovered_when_no_champion_reaches_within_max_hops() -> None:
    account = simple_deal()
    account.influences.clear()
    account.influence("dana", "lee", 1.0).influence("lee", "chris", 1.0)
    assert assessment(coaching_plan(account.build()), "chris").status is CoverageStatus.COVERED
    result = coaching_plan(account.build(), Options(max_hops=1))
    assert assessment(result, "chris").status is CoverageStatus.UNCOVERED


def test_uncovered_when_a_champion_reaches_but_no_argument_fits() -> None:
    account = simple_deal().concern("budget", ConcernCategory.FINANCIAL)
    account.argument("outages", {"budget": 0.9})
    result = coaching_plan(account.build())
    chris = assessment(result, "chris")
    assert chris.status is CoverageStatus.UNCOVERED
    assert chris.plays == ()
    assert result.warnings == (
        "No playbook argument addresses what Chris weighs; "
        "add one or discover more of their concerns.",
    )


def test_uncovered_when_the_only_route_is_a_topic_no_fitting_argument_may_use() -> None:
    account = simple_deal()
    account.influences.clear()
    account.influence("dana", "chris", 0.9, ConcernCategory.FINANCIAL)
    result = coaching_plan(account.build())
    assert assessment(result, "chris").status is CoverageStatus.UNCOVERED


def test_unknown_concerns_still_give_plays_at_fit_0_3_and_a_discovery_warning() -> None:
    account = simple_deal()
    account.cares_about.clear()
    result = coaching_plan(account.build())
    (play,) = assessment(result, "chris").plays
    assert play.fit == pytest.approx(0.3)
    assert play.value == pytest.approx(0.24)
    assert "Chris's concerns are unknown" in play.explanation
    assert result.warnings == (
        "Discover what Chris cares about first: their concerns are unknown, "
        "so every argument is assumed to fit 0.3.",
    )


def test_a_secured_approver_needs_no_discovery() -> None:
    account = simple_deal().approver("chris", Stance.CHAMPION)
    account.cares_about.clear()
    assert coaching_plan(account.build()).warnings == ()


# --- develop candidates ------------------------------------------------------------------


def development_graph() -> Account:
    """a is UNCOVERED at max_hops=1: e reaches a only on a FINANCIAL edge."""
    return (
        Account()
        .approver("a")
        .approver("b")
        .champion("c")
        .champion("d", Stance.SUPPORTER)
        .champion("e")
        .seat("n1")
        .seat("o", Stance.SKEPTIC)
        .person("n2")
        .concern("risk", ConcernCategory.RISK)
        .argument("safety", {"risk": 1.0})
        .cares("a", "risk", 1.0)
        .influence("n1", "a", 0.9)
        .influence("b", "a", 0.7)
        .influence("n2", "a", 0.5)
        .influence("o", "a", 0.9)
        .influence("e", "a", 0.9, ConcernCategory.FINANCIAL)
        .influence("c", "n1", 0.5)
        .influence("d", "n1", 0.6)
        .influence("c", "n2", 0.9)
    )


def test_develop_candidates_exclude_champions_opponents_and_the_approver() -> None:
    result = coaching_plan(development_graph().build(), Options(max_hops=1))
    a = assessment(result, "a")
    assert a.status is CoverageStatus.UNCOVERED
    assert a.develop_candidates == (
        DevelopCandidate("n1", pytest.approx(0.9), ("n1", "a"), ("d", "c")),
        DevelopCandidate("b", pytest.approx(0.7), ("b", "a"), ()),
        DevelopCandidate("n2", pytest.approx(0.5), ("n2", "a"), ("c",)),
    )


def test_develop_candidates_for_a_weak_approver_and_none_for_a_covered_one() -> None:
    account = development_graph().influence("c", "a", 0.2)
    result = coaching_plan(account.build(), Options(max_hops=1))
    a = assessment(result, "a")
    assert a.status is CoverageStatus.WEAK
    assert [d.stakeholder_id for d in a.develop_candidates] == ["n1", "b", "n2"]
    covered = coaching_plan(account.influence("c", "a", 0.9).build(), Options(max_hops=1))
    assert assessment(covered, "a").develop_candidates == ()


def test_develop_candidates_use_every_edge_and_are_capped_at_five() -> None:
    account = development_graph()
    for index in range(1, 8):
        account.influence(f"q{index}", "a", index / 10, ConcernCategory.GROWTH)
    result = coaching_plan(account.build(), Options(max_hops=1))
    candidates = assessment(result, "a").develop_candidates
    assert [d.stakeholder_id for d in candidates] == ["n1", "b", "q7", "q6", "n2"]


# --- threats -----------------------------------------------------------------------------


def threat_graph(approver_stance: Stance = Stance.NEUTRAL) -> Account:
    return (
        Account()
        .approver("a", approver_stance)
        .approver("s", Stance.SKEPTIC)
        .seat("o", Stance.SKEPTIC)
        .seat("k", Stance.BLOCKER)
        .advocate("o", STATUS_QUO, 0.6)
        .advocate("o", RIVAL, 0.6)
        .advocate("v", RIVAL, 0.5)
        .advocate("w", RIVAL, 0.4)
        .influence("o", "a", 0.9)
        .influence("k", "a", 0.19)
        .influence("v", "a", 0.2)
        .influence("w", "a", 0.9)
        .influence("s", "a", 0.5)
        .influence("a", "s", 0.9)
    )


@pytest.mark.parametrize("stance", [Stance.NEUTRAL, Stance.CHAMPION])
def test_threats_are_opponents_reaching_the_approver_from_0_2(stance: Stance) -> None:
    result = coaching_plan(threat_graph(stance).build())
    assert assessment(result, "a").threats == (
        Threat("o", pytest.approx(0.9), ("o", "a"), RIVAL),
        Threat("s", pytest.approx(0.5), ("s", "a"), None),
        Threat("v", pytest.approx(0.2), ("v", "a"), RIVAL),
    )


def test_an_opponent_is_never_a_threat_to_themselves() -> None:
    result = coaching_plan(threat_graph().build())
    relay = 0.8  # a is a neutral approver
    assert assessment(result, "s").threats == (
        Threat("o", pytest.approx(0.9 * relay * 0.9), ("o", "a", "s"), RIVAL),
    )


# --- the plan ----------------------------------------------------------------------------


def two_approvers(b_stance: Stance = Stance.NEUTRAL) -> Account:
    return (
        simple_deal()
        .approver("b", b_stance)
        .cares("b", "downtime", 1.0)
        .influence("dana", "b", 0.8)
    )


def test_a_champion_runs_at_most_capacity_plays() -> None:
    one = coaching_plan(two_approvers().build(), Options(capacity_per_champion=1))
    assert [(p.champion_id, p.approver_id) for p in one.plan] == [("dana", "b")]
    two = coaching_plan(two_approvers().build(), Options(capacity_per_champion=2))
    assert sorted(p.approver_id for p in two.plan) == ["b", "chris"]


def test_the_plan_picks_the_largest_gain_not_the_largest_value() -> None:
    # Unanimous: moving the blocker (0.1) matters far more than the neutral CFO (0.5).
    account = two_approvers(Stance.BLOCKER)
    account.influence("dana", "chris", 0.9)
    result = coaching_plan(account.build(), Options(capacity_per_champion=1))
    assert [p.approver_id for p in result.plan] == ["b"]
    chris_value = assessment(result, "chris").plays[0].value
    assert chris_value > result.plan[0].value


def test_one_play_per_approver_and_argument() -> None:
    account = simple_deal().champion("lee").influence("lee", "chris", 0.7)
    result = coaching_plan(account.build(), Options(capacity_per_champion=2))
    assert [(p.champion_id, p.argument_id) for p in result.plan] == [("dana", "outages")]
    assert len(assessment(result, "chris").plays) == 2


def test_the_plan_draws_on_every_play_not_only_those_shown() -> None:
    account = simple_deal().argument("second", {"downtime": 0.5})
    result = coaching_plan(account.build(), Options(top_plays_per_approver=1))
    assert len(assessment(result, "chris").plays) == 1
    assert [p.argument_id for p in result.plan] == ["outages", "second"]
    expected = 1 - 0.5 * (1 - 0.6 * 0.56) * (1 - 0.6 * 0.4)
    assert assessment(result, "chris").approval_probability_with_plan == pytest.approx(expected)
    assert result.win_probability_with_plan == pytest.approx(expected)


@pytest.mark.parametrize(("strength", "planned"), [(0.02, 1), (0.016, 0)])
def test_the_plan_stops_below_half_a_point_of_gain(strength: float, planned: int) -> None:
    # gain = (1 - 0.5) x 0.6 x value: 0.006 for 0.02, 0.0048 for 0.016
    result = coaching_plan(simple_deal(strength, 1.0).build())
    assert len(result.plan) == planned
    assert len(assessment(result, "chris").plays) == 1


def test_equal_gains_go_to_the_smaller_ids() -> None:
    # dana -> b and dana -> chris are the same play in every number.
    result = coaching_plan(two_approvers().build(), Options(capacity_per_champion=1))
    assert [p.approver_id for p in result.plan] == ["b"]  # "b" < "chris"
    account = two_approvers()
    account.person("b", "Zoe")  # names do not break ties, ids do
    renamed = coaching_plan(account.build(), Options(capacity_per_champion=1))
    assert [p.approver_id for p in renamed.plan] == ["b"]


def test_the_economic_buyer_rule_plans_only_for_the_economic_buyer() -> None:
    account = two_approvers().approver("b", Stance.NEUTRAL, CommitteeRole.ECONOMIC_BUYER)
    account.rule = DecisionRule.ECONOMIC_BUYER
    result = coaching_plan(account.build(), Options(capacity_per_champion=2))
    assert [p.approver_id for p in result.plan] == ["b"]
    assert assessment(result, "chris").plays != ()
    assert [a.approver_id for a in result.approvers] == ["b", "chris"]


def test_with_plan_probabilities_apply_exactly_the_planned_plays() -> None:
    result = coaching_plan(two_approvers().build(), Options(capacity_per_champion=2))
    product = 1.0
    for approver in result.approvers:
        values = [p.value for p in result.plan if p.approver_id == approver.approver_id]
        remaining = 1.0
        for value in values:
            remaining *= 1 - 0.6 * value
        expected = 1 - (1 - approver.approval_probability) * remaining
        assert approver.approval_probability_with_plan == pytest.approx(expected)
        product *= expected
    assert result.win_probability_with_plan == pytest.approx(product)


# --- options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "paths"),
    [
        (Options(max_hops=0), ["options.maxHops"]),
        (Options(max_hops=7), ["options.maxHops"]),
        (Options(capacity_per_champion=0), ["options.capacityPerChampion"]),
        (Options(capacity_per_champion=11), ["options.capacityPerChampion"]),
        (Options(top_plays_per_approver=0), ["options.topPlaysPerApprover"]),
        (Options(top_plays_per_approver=21), ["options.topPlaysPerApprover"]),
        (
            Options(max_hops=-1, capacity_per_champion=99, top_plays_per_approver=0),
            ["options.maxHops", "options.capacityPerChampion", "options.topPlaysPerApprover"],
        ),
        (Options(max_hops=True), ["options.maxHops"]),
    ],
)
def test_options_outside_their_range_are_refused_by_name(
    options: Options, paths: list[str]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        coaching_plan(simple_deal().build(), options)
    assert [problem.path for problem in raised.value.problems] == paths


@pytest.mark.parametrize("options", [Options(1, 1, 1), Options(6, 10, 20), Options()])
def test_options_at_their_bounds_are_accepted(options: Options) -> None:
    options.validate()


# --- warnings ----------------------------------------------------------------------------


def test_references_to_things_outside_the_playbook_are_reported() -> None:
    account = (
        simple_deal()
        .cares("chris", "ghost", 0.5)
        .argument(
            "outages",
            {"downtime": 0.7, "ghost": 1.0},
            ArgumentKind.GERMAN_SHEPHERD,
            "No more 3 a.m. outages",
        )
        .advocate("dana", "alt-x", 0.9)
    )
    result = coaching_plan(account.build())
    assert result.warnings == (
        "Chris cares about concern 'ghost', which is not in the playbook; it is ignored.",
        "Argument 'No more 3 a.m. outages' addresses concern 'ghost', which is not in the "
        "playbook; it is ignored.",
        "Dana advocates alternative 'alt-x', which Fleet deal does not consider; it is ignored.",
    )
    assert assessment(result, "chris").plays[0].fit == pytest.approx(0.7)


def test_a_champion_pushing_a_rival_harder_than_us_is_reported_not_resolved() -> None:
    account = simple_deal().advocate("dana", OURS, 0.4).advocate("dana", RIVAL, 0.6)
    result = coaching_plan(account.build())
    assert result.warnings == (
        "Dana is seated as CHAMPION but advocates Rival suite (0.60) more strongly than our "
        "offer (0.40); confirm where they stand.",
    )
    # Still a champion (runs the play) and an opponent by advocacy (a threat at 0.8).
    chris = assessment(result, "chris")
    assert [p.champion_id for p in chris.plays] == ["dana"]
    assert [t.opponent_id for t in chris.threats] == ["dana"]


def test_equal_advocacy_is_no_contradiction() -> None:
    account = simple_deal().advocate("dana", OURS, 0.6).advocate("dana", RIVAL, 0.6)
    assert coaching_plan(account.build()).warnings == ()


def test_a_skeptic_pushing_us_is_reported() -> None:
    account = simple_deal().seat("lee", Stance.SKEPTIC).advocate("lee", OURS, 0.7)
    assert coaching_plan(account.build()).warnings == (
        "Lee is seated as SKEPTIC but advocates our offer (0.70) more strongly than any "
        "alternative (0.00); confirm where they stand.",
    )


def test_an_empty_playbook_is_reported() -> None:
    account = simple_deal()
    account.arguments.clear()
    assert coaching_plan(account.build()).warnings == (
        "The playbook has no arguments: there is nothing to coach a champion on.",
    )


def test_warnings_come_rule_first_then_data_then_approvers() -> None:
    account = simple_deal().cares("chris", "ghost", 0.5).approver("zed")
    account.rule = DecisionRule.ECONOMIC_BUYER
    warnings = coaching_plan(account.build()).warnings
    assert [w.split(" ")[0] for w in warnings] == ["The", "Chris", "Discover"]
    assert "no economic buyer is seated" in warnings[0]
    assert "Zed" in warnings[2]
