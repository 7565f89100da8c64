"""Deal risk (docs/coaching-model.md) on small hand-checked accounts: every number is worked out in
the comment or the assertion next to it."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pytest
from engine_builders import OURS, RIVAL, Account, simple_deal

from graph_api.domain.enums import (
    ArgumentKind,
    ChampionVerdict,
    CommitteeRole,
    CoverageStatus,
    DecisionRule,
    Stance,
)
from graph_api.engine import (
    ApproverAssessment,
    Argument,
    Budget,
    CoachingResult,
    FactKind,
    Influence,
    Options,
    Person,
    Seat,
    Subgraph,
    coaching_plan,
    influence_paths,
    pipeline_summary,
    without_people,
)
from graph_api.errors import BudgetExceeded, InvalidInput

TODAY = date(2026, 11, 30)


def assessment(result: CoachingResult, approver: str) -> ApproverAssessment:
    return next(a for a in result.approvers if a.approver_id == approver)


def criticality(result: CoachingResult) -> dict[str, float]:
    return {a.approver_id: a.criticality for a in result.approvers}


# --- criticality -------------------------------------------------------------------------


def three_approvers(rule: DecisionRule = DecisionRule.UNANIMOUS) -> Account:
    """Chris NEUTRAL (0.5, and Dana's play lifts him to 0.668), Pat SKEPTIC 0.3, Lee SUPPORTER
    0.75."""
    account = simple_deal().approver("pat", Stance.SKEPTIC).approver("lee", Stance.SUPPORTER)
    account.rule = rule
    return account


def test_unanimous_criticality_is_the_product_of_the_others() -> None:
    result = coaching_plan(three_approvers().build())
    assert criticality(result) == pytest.approx(
        {"chris": 0.3 * 0.75, "pat": 0.5 * 0.75, "lee": 0.15}
    )
    pat = assessment(result, "pat")
    assert pat.criticality_with_plan == pytest.approx(0.668 * 0.75)
    assert assessment(result, "chris").criticality_explanation == (
        "Every approver must sign: if Chris approves the deal is won with probability 0.22, "
        "if Chris refuses it is lost (criticality 0.22)."
    )


def test_economic_buyer_decides_alone_and_falls_back_to_unanimous_without_one() -> None:
    account = three_approvers(DecisionRule.ECONOMIC_BUYER)
    account.seat("chris", Stance.NEUTRAL, CommitteeRole.ECONOMIC_BUYER)
    result = coaching_plan(account.build())
    assert criticality(result) == {"chris": 1.0, "lee": 0.0, "pat": 0.0}
    assert assessment(result, "pat").criticality_explanation == (
        "Under the economic-buyer rule only Chris decides; Pat's approval does not change the "
        "outcome (criticality 0.00)."
    )
    assert assessment(result, "chris").criticality_explanation.startswith(
        "Chris holds the budget and decides alone: if Chris approves the deal is won with "
        "probability 1.00, if Chris refuses it is lost"
    )

    account.seat("pat", Stance.SKEPTIC, CommitteeRole.ECONOMIC_BUYER)
    both = coaching_plan(account.build())  # several buyers: all of them must sign
    assert criticality(both) == pytest.approx({"chris": 0.3, "pat": 0.5, "lee": 0.0})

    nobody = coaching_plan(three_approvers(DecisionRule.ECONOMIC_BUYER).build())
    assert criticality(nobody) == pytest.approx({"chris": 0.225, "pat": 0.375, "lee": 0.15})


def test_majority_criticality_is_the_chance_of_being_the_tie_breaker() -> None:
    result = coaching_plan(three_approvers(DecisionRule.MAJORITY).build())
    # Chris tips the vote when exactly one of Pat (0.3) and Lee (0.75) approves; refusing,
    # the deal needs both of them (0.225).
    assert criticality(result)["chris"] == pytest.approx(0.3 * 0.25 + 0.75 * 0.7)
    assert criticality(result)["pat"] == pytest.approx(0.5 * 0.25 + 0.75 * 0.5)
    assert assessment(result, "chris").criticality_explanation.startswith(
        "Chris's vote can tip the majority vote: if Chris approves the deal is won with "
        "probability 0.82, if Chris refuses it is won with probability 0.22"
    )


def test_vote_weights_are_exact_decimals_and_a_vote_that_never_tips_counts_zero() -> None:
    account = Account(rule=DecisionRule.MAJORITY)
    account.approver("a", Stance.NEUTRAL, weight=0.1).approver("b", Stance.NEUTRAL, weight=0.2)
    account.approver("c", Stance.NEUTRAL, weight=0.3).approver("d", Stance.NEUTRAL, weight=0)
    result = coaching_plan(account.build())
    # Weights 1, 2, 3 (tenths) of 6: winning needs 4. C tips it unless nobody else approves;
    # A only when C approves and B does not; B when exactly C approves, or A and C do not...
    assert criticality(result) == pytest.approx(
        {"a": 0.5 * 0.5, "b": 0.5 * 0.5, "c": 1 - 0.5 * 0.5, "d": 0.0}
    )
    assert assessment(result, "d").criticality_explanation == (
        "D's vote carries no weight, so it does not change the outcome (0.00)."
    )

    account.rule, account.threshold = DecisionRule.THRESHOLD, 0.0  # won whatever anyone does
    settled = coaching_plan(account.build())
    assert set(criticality(settled).values()) == {0.0}
    assert assessment(settled, "a").criticality_explanation == (
        "The threshold vote is settled by the others either way; A's decision does not change "
        "it (criticality 0.00)."
    )


# --- the champion test -------------------------------------------------------------------


def champion(result: CoachingResult, who: str = "dana") -> tuple[float, ChampionVerdict, str]:
    found = next(c for c in result.champions if c.champion_id == who)
    return found.influence, found.verdict, found.explanation


def test_a_champion_who_reaches_the_deciding_approver_passes() -> None:
    influence, verdict, sentence = champion(coaching_plan(simple_deal().build()))
    assert (influence, verdict) == (pytest.approx(0.8), ChampionVerdict.CHAMPION)
    assert sentence == (
        "Dana can move the deal (influence 0.80): Dana's strongest lever is Chris (CFO), whose "
        "decision swings the deal by 1.00, reached directly (0.80)."
    )


def test_a_champion_out_of_reach_of_the_critical_approver_is_only_a_coach() -> None:
    result = coaching_plan(three_approvers().build())
    # Criticalities 0.225 (Chris), 0.375 (Pat), 0.15 (Lee); Dana reaches only Chris (0.8).
    influence, verdict, sentence = champion(result)
    assert influence == pytest.approx(0.225 * 0.8 / 0.75)
    assert verdict is ChampionVerdict.COACH
    assert sentence == (
        "Dana is a coach, not a champion (influence 0.24, below 0.30): a friend who can tell "
        "you what happens but cannot move the approvers who decide; Dana's strongest lever is "
        "Chris (CFO), whose decision swings the deal by 0.22, reached directly (0.80), and Pat "
        "(criticality 0.38) is out of reach within 3 hops."
    )
    # A supporter seated as an approver reaches themself: r = 1.
    assert champion(result, "lee")[0] == pytest.approx(0.15 / 0.75)


def test_influence_exactly_on_the_bar_is_a_champion() -> None:
    account = simple_deal().approver("pat", Stance.SKEPTIC)
    # Criticalities 0.3 (Chris) and 0.5 (Pat): 0.3 * 0.8 / 0.8 is 0.3 up to rounding.
    influence, verdict, _ = champion(coaching_plan(account.build()))
    assert influence == pytest.approx(0.3)
    assert verdict is ChampionVerdict.CHAMPION


def test_isolated_and_reaching_only_approvers_who_do_not_decide() -> None:
    account = simple_deal()
    account.influences.clear()
    influence, verdict, sentence = champion(coaching_plan(account.build()))
    assert (influence, verdict) == (0.0, ChampionVerdict.ISOLATED)
    assert sentence == (
        "Dana is isolated (influence 0.00): no approver is within 3 hops of Dana; build a route "
        "to Chris or develop another champion."
    )

    account = simple_deal()
    account.rule = DecisionRule.ECONOMIC_BUYER
    account.seat("pat", Stance.NEUTRAL, CommitteeRole.ECONOMIC_BUYER)
    influence, verdict, sentence = champion(coaching_plan(account.build()))
    assert (influence, verdict) == (0.0, ChampionVerdict.ISOLATED)
    assert "reaches only Chris, whose decision does not change the outcome" in sentence


def test_with_no_critical_approver_influence_is_the_plain_mean_of_reach() -> None:
    account = simple_deal().approver("pat")
    account.rule, account.threshold = DecisionRule.THRESHOLD, 0.0
    influence, verdict, sentence = champion(coaching_plan(account.build()))
    assert influence == pytest.approx((0.8 + 0.0) / 2)
    assert verdict is ChampionVerdict.CHAMPION
    assert "the plain mean of reach" in sentence


@pytest.mark.parametrize(
    ("advocacy", "conflicted"),
    [
        ([(RIVAL, 0.6), (OURS, 0.9)], True),  # a rival flag of 0.5 or more, whatever else
        ([(RIVAL, 0.3), (OURS, 0.2)], True),  # more for a rival than for us
        ([(RIVAL, 0.3)], True),  # no advocacy of ours counts as 0
        ([(RIVAL, 0.3), (OURS, 0.4)], False),
        ([(OURS, 0.9)], False),
    ],
)
def test_conflicted_comes_first(advocacy: list[tuple[str, float]], conflicted: bool) -> None:
    account = simple_deal()
    for alternative, strength in advocacy:
        account.advocate("dana", alternative, strength)
    influence, verdict, sentence = champion(coaching_plan(account.build()))
    assert influence == pytest.approx(0.8)
    assert (verdict is ChampionVerdict.CONFLICTED) is conflicted
    if conflicted:
        assert sentence.startswith("Dana is seated as CHAMPION but advocates Rival suite")


# --- single threads ----------------------------------------------------------------------


def two_routes(second: float) -> Account:
    """Dana reaches Chris via Lee (1.0 * 0.8 relay * 1.0 = 0.8, value 0.56) and via Sam
    (``second`` * 0.8 * 1.0)."""
    account = simple_deal()
    account.influences.clear()
    account.person("lee", "Lee").person("sam", "Sam")
    account.influence("dana", "lee", 1.0).influence("lee", "chris", 1.0)
    account.influence("dana", "sam", second).influence("sam", "chris", 1.0)
    return account


def test_a_detour_worth_half_keeps_the_relay_from_being_a_key_person() -> None:
    chris = assessment(coaching_plan(two_routes(0.6).build()), "chris")
    # Without Lee: 0.6 * 0.8 * 0.7 = 0.336 >= 0.28; without Dana nothing is left.
    assert chris.plays[0].path == ("dana", "lee", "chris")
    assert [(k.stakeholder_id, k.best_value_without) for k in chris.key_people] == [("dana", 0.0)]
    assert chris.single_threaded
    assert chris.key_people[0].explanation == (
        "Without Dana, who runs the best play on Chris, that play falls from 0.56 to nothing: "
        "no other play is left."
    )


def test_a_weak_detour_leaves_the_approver_hanging_on_the_relay() -> None:
    chris = assessment(coaching_plan(two_routes(0.3).build()), "chris")
    # Without Lee: 0.3 * 0.8 * 0.7 = 0.168 < 0.28.
    assert [(k.stakeholder_id, k.best_value_without) for k in chris.key_people] == [
        ("dana", 0.0),
        ("lee", pytest.approx(0.168)),
    ]
    assert chris.key_people[1].explanation == (
        "Without Lee, who relays the best play on Chris, that play falls from 0.56 to 0.17."
    )
    assert chris.single_thread_explanation == (
        "Chris (CFO) hangs on a single thread: every strong route runs through Dana and Lee; "
        "losing any one of them drops the best play on Chris from 0.56 to 0.17 or less. Build "
        "a second route through another champion or relay."
    )


def test_a_second_champion_removes_the_single_thread() -> None:
    account = simple_deal().champion("omar").influence("omar", "chris", 0.5)
    chris = assessment(coaching_plan(account.build()), "chris")
    # Without Dana, Omar's play is worth 0.5 * 0.7 = 0.35 >= 0.28.
    assert chris.key_people == ()
    assert not chris.single_threaded
    assert chris.single_thread_explanation is None


def test_secured_and_uncovered_approvers_have_no_key_people() -> None:
    account = simple_deal().approver("pat", Stance.CHAMPION).approver("sky")
    result = coaching_plan(account.build())
    assert assessment(result, "pat").status is CoverageStatus.SECURED
    assert assessment(result, "sky").status is CoverageStatus.UNCOVERED
    assert assessment(result, "pat").key_people == assessment(result, "sky").key_people == ()


# --- what-if and departures --------------------------------------------------------------


def test_without_the_only_champion_the_plan_is_empty_and_says_why() -> None:
    result = coaching_plan(simple_deal().build(), Options(without=frozenset({"dana"})))
    assert result.plan == ()
    assert result.win_probability_with_plan == result.win_probability == 0.5
    assert result.champions == ()
    assert result.without == ("dana",)
    assert result.warnings[0] == "What if Dana left: the plan counts them as gone."


def test_an_approver_who_leaves_leaves_a_vacant_unknown_seat() -> None:
    graph = simple_deal().build()
    result = coaching_plan(graph, Options(without=frozenset({"chris"})))
    chris = assessment(result, "chris")
    assert (chris.stance, chris.status) == (Stance.UNKNOWN, CoverageStatus.UNCOVERED)
    assert chris.approval_probability == result.win_probability_with_plan == 0.4
    assert result.warnings[0] == (
        "What if Chris left: the plan counts them as gone; their APPROVER seat stays, stance "
        "UNKNOWN until you find out who replaces them."
    )
    vacant = without_people(graph, ["chris"])
    assert vacant.seats["chris"] == Seat("chris", CommitteeRole.APPROVER, Stance.UNKNOWN)
    assert vacant.influences == ()
    assert "chris" not in vacant.cares_about
    assert "dana" not in without_people(graph, ["dana"]).people


def test_without_names_every_unknown_stakeholder() -> None:
    with pytest.raises(InvalidInput) as raised:
        coaching_plan(simple_deal().build(), Options(without=frozenset({"zed", "ann"})))
    assert [(p.path, p.message) for p in raised.value.problems] == [
        ("options.without", "'ann' is not a stakeholder of this account"),
        ("options.without", "'zed' is not a stakeholder of this account"),
    ]


def leaving(graph: Subgraph, who: str, on: date) -> Subgraph:
    people = dict(graph.people)
    people[who] = dataclasses.replace(people[who], left_at=on)
    return dataclasses.replace(graph, people=people)


def test_a_recorded_departure_removes_the_champion_at_once_and_is_announced() -> None:
    graph = leaving(simple_deal().build(), "dana", date(2026, 10, 1))
    result = coaching_plan(graph, Options(today=TODAY))
    assert result.plan == ()
    assert result.without == ("dana",)
    assert result.warnings[0] == "Dana left on 2026-10-01: the plan counts them as gone."
    # Without a date every recorded departure counts.
    assert coaching_plan(graph).without == ("dana",)

    ahead = coaching_plan(
        leaving(simple_deal().build(), "dana", date(2027, 1, 15)), Options(today=TODAY)
    )
    assert len(ahead.plan) == 1
    assert ahead.without == ()
    assert ahead.warnings[0] == (
        "Dana leaves on 2027-01-15: line up who carries their part of the plan before then."
    )


# --- deal dependencies -------------------------------------------------------------------


def test_deal_dependencies_rank_what_each_loss_costs() -> None:
    result = coaching_plan(two_routes(0.6).build())
    # With the plan Chris approves with 0.5 + 0.5 * 0.6 * 0.56 = 0.668.
    # Without Chris: a vacant seat at 0.4. Without Dana: 0.5. Without Lee: the detour via Sam,
    # 0.5 + 0.5 * 0.6 * 0.336 = 0.6008.
    found = [
        (d.stakeholder_id, d.win_probability_without, d.drop) for d in result.deal_dependencies
    ]
    assert found == [
        ("chris", pytest.approx(0.4), pytest.approx(0.268)),
        ("dana", pytest.approx(0.5), pytest.approx(0.168)),
        ("lee", pytest.approx(0.6008), pytest.approx(0.0672)),
    ]
    assert result.deal_dependencies[2].explanation == (
        "Losing Lee, who relays 1 play of the plan, would take the win probability with the "
        "plan from 0.67 to 0.60 (-0.07)."
    )
    assert result.deal_dependencies[0].explanation.endswith(
        "(-0.27); their seat would stand vacant, its holder unknown."
    )
    assert (
        coaching_plan(two_routes(0.6).build(), Options(deal_dependencies=False)).deal_dependencies
        == ()
    )


def test_a_loss_below_two_points_is_not_listed() -> None:
    graph = simple_deal(strength=0.05).build()
    result = coaching_plan(graph)
    # A weak play (value 0.05 * 0.7 = 0.035) lifts Chris by 0.5 * 0.6 * 0.035 = 0.0105:
    # losing Dana costs that much, losing Chris (vacant seat, 0.4) costs 0.1105.
    assert result.win_probability_with_plan == pytest.approx(0.5105)
    without_dana = coaching_plan(graph, Options(without=frozenset({"dana"})))
    assert without_dana.win_probability_with_plan == 0.5
    assert [(d.stakeholder_id, d.drop) for d in result.deal_dependencies] == [
        ("chris", pytest.approx(0.1105))
    ]


# --- freshness ---------------------------------------------------------------------------


def dated(graph: Subgraph) -> Subgraph:
    """Dana's seat verified 182 days ago, Dana's influence on Chris 29 days ago, Dana as a
    person 365 days ago, Chris's seat on an unknown date."""
    seats = dict(graph.seats)
    seats["dana"] = dataclasses.replace(seats["dana"], verified_at=date(2026, 6, 1))
    people = dict(graph.people)
    people["dana"] = dataclasses.replace(people["dana"], last_verified_at=date(2025, 11, 30))
    influences = tuple(e._replace(verified_at=date(2026, 11, 1)) for e in graph.influences)
    return dataclasses.replace(graph, seats=seats, people=people, influences=influences)


def test_stale_facts_on_the_plan_path_are_warned_about_once_each() -> None:
    result = coaching_plan(dated(simple_deal().build()), Options(today=TODAY))
    assert [(f.kind, f.stakeholder_id, f.age_days) for f in result.stale_facts] == [
        (FactKind.STAKEHOLDER, "dana", 365),
        (FactKind.SEAT, "dana", 182),
    ]
    assert result.warnings[-2:] == (
        "Dana, on the path of a play in the plan, was last verified on 2025-11-30, 365 days "
        "ago (stale after 90): confirm it still holds.",
        "Dana's seat (INFLUENCER, CHAMPION), on the path of a play in the plan, was last "
        "verified on 2026-06-01, 182 days ago (stale after 90): confirm it still holds.",
    )
    lenient = coaching_plan(
        dated(simple_deal().build()), Options(today=TODAY, stale_after_days=200)
    )
    assert [f.kind for f in lenient.stale_facts] == [FactKind.STAKEHOLDER]
    assert coaching_plan(dated(simple_deal().build())).stale_facts == ()  # no date, no age


def test_stale_approver_seats_and_path_influences_count() -> None:
    graph = simple_deal().build()
    seats = dict(graph.seats)
    seats["chris"] = dataclasses.replace(seats["chris"], verified_at=date(2026, 1, 1))
    stale_edge = (graph.influences[0]._replace(verified_at=date(2026, 8, 1)),)
    # A fresher but weaker parallel edge does not carry the reach, so it is not the fact used.
    weaker = Influence("dana", "chris", 0.3, verified_at=TODAY)
    graph = dataclasses.replace(graph, seats=seats, influences=(*stale_edge, weaker))
    result = coaching_plan(graph, Options(today=TODAY))
    assert [(f.kind, f.stakeholder_id, f.target_id, f.age_days) for f in result.stale_facts] == [
        (FactKind.INFLUENCE, "dana", "chris", 121),
        (FactKind.SEAT, "chris", None, 333),
    ]
    assert result.stale_facts[0].warning.startswith("The influence of Dana on Chris (0.80)")
    assert result.stale_facts[1].warning.startswith(
        "Chris's seat (APPROVER, NEUTRAL), on the path of a play in the plan"
    )


# --- the pipeline line -------------------------------------------------------------------


def test_pipeline_summary_counts_and_names_the_top_risk() -> None:
    graph = two_routes(0.6).approver("pat", Stance.CHAMPION).approver("sky").build()
    result = coaching_plan(graph)
    summary = pipeline_summary(graph, result)
    assert (summary.secured, summary.covered, summary.weak, summary.uncovered) == (1, 1, 0, 1)
    assert summary.single_threaded == 1
    assert dict(summary.champion_verdicts) == {
        ChampionVerdict.CHAMPION: 1,
        ChampionVerdict.COACH: 1,
        ChampionVerdict.CONFLICTED: 0,
        ChampionVerdict.ISOLATED: 0,
    }
    assert summary.stale_facts == 0
    assert summary.win_probability == result.win_probability
    # Sky (UNCOVERED, 0.4) decides as much as anyone: 0.9 * 0.668 * 0.6 at stake beats every
    # single loss on the plan's paths.
    assert summary.top_risk == (
        "No champion can carry a fitting argument to Sky, yet Sky's decision swings the deal "
        "by 0.60: find someone who can reach Sky."
    )


def test_pipeline_top_risk_falls_back_and_can_be_none() -> None:
    empty = Account().build()
    assert pipeline_summary(empty, coaching_plan(empty)).top_risk.startswith(
        "No approver is mapped"
    )
    secured = Account().approver("chris", Stance.CHAMPION).build()
    assert pipeline_summary(secured, coaching_plan(secured)).top_risk is None

    graph = dated(simple_deal().build())
    result = coaching_plan(graph, Options(today=TODAY))
    # The plan's losses are all above two points, so a dependency comes first.
    assert pipeline_summary(graph, result).top_risk == result.deal_dependencies[0].explanation
    quiet = dataclasses.replace(
        result,
        deal_dependencies=(),
        approvers=tuple(
            dataclasses.replace(a, single_thread_explanation=None) for a in result.approvers
        ),
    )
    assert pipeline_summary(graph, quiet).top_risk == (
        "2 facts behind the plan are stale; first: " + result.stale_facts[0].warning
    )


# --- options and budgets -----------------------------------------------------------------


def test_new_options_are_validated_with_their_paths() -> None:
    with pytest.raises(InvalidInput) as raised:
        coaching_plan(
            simple_deal().build(),
            Options(stale_after_days=0, without=frozenset(f"p{i}" for i in range(51))),
        )
    assert [p.path for p in raised.value.problems] == ["options.staleAfterDays", "options.without"]


def dense(size: int = 20) -> Subgraph:
    """``size`` champions, every edge 1.0 both ways (the issue-8 account)."""
    ids = [f"p{i:02d}" for i in range(size)]
    return Subgraph(
        opportunity_id="o",
        opportunity_name="O",
        decision_rule=DecisionRule.UNANIMOUS,
        people={i: Person(i, i) for i in ids},
        seats={i: Seat(i, CommitteeRole.INFLUENCER, Stance.CHAMPION) for i in ids},
        influences=tuple(Influence(a, b, 1.0) for a in ids for b in ids if a != b),
    )


def test_dense_paths_are_pruned_by_ties_not_enumerated() -> None:
    budget = Budget()
    found = influence_paths(dense(), "p00", "p19", max_hops=6, first=50, budget=budget)
    others = [f"p{i:02d}" for i in range(1, 19)]
    # All reach 1.0: the direct path, then the 18 two-hop paths, then three-hop ones by ids.
    assert found[0].path == ("p00", "p19")
    assert [p.path for p in found[1:19]] == [("p00", o, "p19") for o in others]
    assert [p.path for p in found[19:22]] == [
        ("p00", "p01", "p02", "p19"),
        ("p00", "p01", "p03", "p19"),
        ("p00", "p01", "p04", "p19"),
    ]
    assert all(p.reach == 1.0 for p in found)
    assert len(found) == 50
    # Millions of simple paths exist; the search expands a few thousand at most.
    assert budget.visits < 5_000


def test_a_visit_budget_stops_the_search() -> None:
    with pytest.raises(BudgetExceeded) as raised:
        influence_paths(dense(), "p00", "p19", max_hops=6, first=50, budget=Budget(visits=100))
    assert raised.value.limit == "engineVisits"
    assert raised.value.code == "LIMIT_EXCEEDED"


def test_a_deadline_stops_the_plan() -> None:
    readings = itertools.chain([0.0], itertools.repeat(10.0))  # ten seconds pass at once

    def clock() -> float:
        return next(readings)

    graph = dense()
    approvers = {
        f"p{i:02d}": Seat(f"p{i:02d}", CommitteeRole.APPROVER, Stance.NEUTRAL) for i in range(4)
    }
    graph = dataclasses.replace(
        graph,
        seats={**graph.seats, **approvers},
        arguments={"roi": Argument("roi", "Payback in a year", ArgumentKind.ROI)},
    )
    assert len(coaching_plan(graph, Options(max_hops=6)).plan) == 4
    with pytest.raises(BudgetExceeded) as raised:
        coaching_plan(graph, Options(max_hops=6), budget=Budget.starting_now(clock, seconds=2))
    assert raised.value.limit == "engineTime"
    with pytest.raises(ValueError, match="a deadline needs the clock"):
        Budget(deadline=1.0)
