"""Fit: weighted concern match, reception factors, the herd bonus and unknown concerns."""

from __future__ import annotations

import pytest
from engine_builders import Account

from graph_api.domain.enums import ArgumentKind, ConcernCategory, Reception
from graph_api.engine.fit import fit, top_concern


def account(kind: ArgumentKind = ArgumentKind.ROI, industries: tuple[str, ...] = ()) -> Account:
    """A weighs c1 0.9 and c2 0.3; the argument fits c1 0.5 and c2 1.0: (0.45+0.3)/1.2."""
    return (
        Account()
        .concern("c1", ConcernCategory.RISK, "Downtime")
        .concern("c2", ConcernCategory.FINANCIAL, "Budget")
        .argument("arg", {"c1": 0.5, "c2": 1.0}, kind, industries=industries)
        .cares("a", "c1", 0.9)
        .cares("a", "c2", 0.3)
    )


def fit_of(account: Account) -> float:
    graph = account.build()
    return fit(graph, graph.arguments["arg"], "a")


def test_fit_is_the_weighted_mean_of_the_concern_fits() -> None:
    assert fit_of(account()) == pytest.approx(0.625)


def test_a_concern_the_argument_does_not_address_counts_as_zero() -> None:
    graph = account().cares("a", "c3", 0.8).concern("c3").build()
    assert fit(graph, graph.arguments["arg"], "a") == pytest.approx(0.75 / 2.0)


@pytest.mark.parametrize(
    ("reception", "factor"),
    [(Reception.NEGATIVE, 0.25), (Reception.POSITIVE, 0.5), (Reception.NEUTRAL, 0.8)],
)
def test_what_the_approver_already_heard_discounts_the_fit(
    reception: Reception, factor: float
) -> None:
    assert fit_of(account().hears("a", "arg", reception)) == pytest.approx(0.625 * factor)


def test_what_someone_else_heard_does_not_count() -> None:
    assert fit_of(account().hears("b", "arg", Reception.NEGATIVE)) == pytest.approx(0.625)


def test_a_herd_argument_citing_a_peer_in_the_industry_gains_a_fifth() -> None:
    assert fit_of(account(ArgumentKind.HERD, ("logistics",))) == pytest.approx(0.75)


def test_the_herd_bonus_is_capped_at_one() -> None:
    graph = account(ArgumentKind.HERD, ("Logistics",)).argument(
        "arg", {"c1": 0.9, "c2": 0.9}, ArgumentKind.HERD, industries=("Logistics",)
    )
    assert fit_of(graph) == pytest.approx(1.0)


def test_the_herd_bonus_is_capped_before_the_reception_discount() -> None:
    graph = (
        account()
        .argument("arg", {"c1": 0.9, "c2": 0.9}, ArgumentKind.HERD, industries=("Logistics",))
        .hears("a", "arg", Reception.POSITIVE)
    )
    assert fit_of(graph) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("kind", "industries", "account_industry"),
    [
        (ArgumentKind.HERD, ("Retail",), "Logistics"),
        (ArgumentKind.HERD, (), "Logistics"),
        (ArgumentKind.HERD, ("Logistics",), None),
        (ArgumentKind.GOLD_MEDAL, ("Logistics",), "Logistics"),
    ],
)
def test_no_herd_bonus_without_a_same_industry_reference(
    kind: ArgumentKind, industries: tuple[str, ...], account_industry: str | None
) -> None:
    graph = account(kind, industries)
    graph.industry = account_industry
    assert fit_of(graph) == pytest.approx(0.625)


@pytest.mark.parametrize(
    ("reception", "expected"),
    [(None, 0.3), (Reception.NEGATIVE, 0.075), (Reception.POSITIVE, 0.15)],
)
def test_unknown_concerns_fit_every_argument_at_0_3_times_reception(
    reception: Reception | None, expected: float
) -> None:
    graph = (
        Account()
        .concern("c1")
        .argument("arg", {"c1": 1.0}, ArgumentKind.HERD, industries=("Logistics",))
    )
    if reception is not None:
        graph.hears("a", "arg", reception)
    assert fit_of(graph) == pytest.approx(expected)


def test_a_concern_missing_from_the_playbook_is_ignored() -> None:
    assert fit_of(account().cares("a", "ghost", 1.0)) == pytest.approx(0.625)


def test_only_concerns_missing_from_the_playbook_means_unknown_concerns() -> None:
    graph = Account().concern("c1").argument("arg", {"c1": 1.0}).cares("a", "ghost", 1.0)
    assert fit_of(graph) == pytest.approx(0.3)


def test_the_top_concern_is_the_heaviest_then_by_name() -> None:
    graph = account().cares("a", "c2", 0.9).build()
    assert top_concern(graph, "a") == graph.concerns["c2"]  # Budget < Downtime at 0.9 each
    assert top_concern(graph, "nobody") is None
