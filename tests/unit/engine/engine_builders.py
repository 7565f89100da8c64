"""A small builder for engine subgraphs, so each test states only what it is about."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    Reception,
    Stance,
)
from graph_api.engine import (
    Advocacy,
    Alternative,
    Argument,
    Concern,
    Conflict,
    Influence,
    Person,
    Seat,
    Subgraph,
)

OURS, RIVAL, STATUS_QUO = "alt-ours", "alt-rival", "alt-sq"


@dataclass
class Account:
    rule: DecisionRule = DecisionRule.UNANIMOUS
    threshold: float | None = None
    industry: str | None = "Logistics"
    people: dict[str, Person] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    influences: list[Influence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    advocacy: list[Advocacy] = field(default_factory=list)
    concerns: dict[str, Concern] = field(default_factory=dict)
    arguments: dict[str, Argument] = field(default_factory=dict)
    cares_about: dict[str, dict[str, float]] = field(default_factory=dict)
    readiness: dict[tuple[str, str], float] = field(default_factory=dict)
    heard: dict[tuple[str, str], Reception] = field(default_factory=dict)

    def person(self, pid: str, name: str | None = None, title: str | None = None) -> Account:
        self.people[pid] = Person(pid, name or pid.capitalize(), title)
        return self

    def _ensure(self, *pids: str) -> None:
        for pid in pids:
            if pid not in self.people:
                self.person(pid)

    def seat(
        self,
        pid: str,
        stance: Stance = Stance.NEUTRAL,
        role: CommitteeRole = CommitteeRole.INFLUENCER,
        *,
        veto: bool = False,
        weight: float = 1.0,
    ) -> Account:
        self._ensure(pid)
        self.seats[pid] = Seat(pid, role, stance, veto, weight)
        return self

    def approver(
        self,
        pid: str,
        stance: Stance = Stance.NEUTRAL,
        role: CommitteeRole = CommitteeRole.APPROVER,
        weight: float = 1.0,
    ) -> Account:
        return self.seat(pid, stance, role, weight=weight)

    def champion(self, pid: str, stance: Stance = Stance.CHAMPION) -> Account:
        return self.seat(pid, stance)

    def influence(
        self, source: str, target: str, strength: float, *topics: ConcernCategory
    ) -> Account:
        self._ensure(source, target)
        self.influences.append(Influence(source, target, strength, frozenset(topics)))
        return self

    def conflict(self, source: str, target: str, strength: float = 0.5) -> Account:
        self._ensure(source, target)
        self.conflicts.append(Conflict(source, target, strength))
        return self

    def advocate(self, pid: str, alternative: str, strength: float) -> Account:
        self._ensure(pid)
        self.advocacy.append(Advocacy(pid, alternative, strength))
        return self

    def concern(
        self, cid: str, category: ConcernCategory = ConcernCategory.RISK, name: str | None = None
    ) -> Account:
        self.concerns[cid] = Concern(cid, name or cid.capitalize(), category)
        return self

    def argument(
        self,
        aid: str,
        addresses: dict[str, float],
        kind: ArgumentKind = ArgumentKind.ROI,
        title: str | None = None,
        industries: tuple[str, ...] = (),
    ) -> Account:
        self.arguments[aid] = Argument(
            aid, title or aid.capitalize(), kind, "", dict(addresses), frozenset(industries)
        )
        return self

    def cares(self, pid: str, concern: str, weight: float) -> Account:
        self._ensure(pid)
        self.cares_about.setdefault(pid, {})[concern] = weight
        return self

    def ready(self, pid: str, argument: str, readiness: float) -> Account:
        self.readiness[(pid, argument)] = readiness
        return self

    def hears(self, pid: str, argument: str, reception: Reception) -> Account:
        self.heard[(pid, argument)] = reception
        return self

    def build(self) -> Subgraph:
        return Subgraph(
            opportunity_id="opp",
            opportunity_name="Fleet deal",
            decision_rule=self.rule,
            threshold=self.threshold,
            account_industry=self.industry,
            people=dict(self.people),
            seats=dict(self.seats),
            influences=tuple(self.influences),
            conflicts=tuple(self.conflicts),
            advocacy=tuple(self.advocacy),
            alternatives={
                OURS: Alternative(OURS, "Our platform", AlternativeKind.OURS),
                RIVAL: Alternative(RIVAL, "Rival suite", AlternativeKind.COMPETITOR),
                STATUS_QUO: Alternative(STATUS_QUO, "Spreadsheets", AlternativeKind.STATUS_QUO),
            },
            concerns=dict(self.concerns),
            arguments=dict(self.arguments),
            cares_about={k: dict(v) for k, v in self.cares_about.items()},
            readiness=dict(self.readiness),
            heard=dict(self.heard),
        )


def simple_deal(strength: float = 0.8, fit: float = 0.7) -> Account:
    """Champion Dana reaches approver Chris directly; one argument fits Chris's only concern."""
    return (
        Account()
        .person("dana", "Dana")
        .person("chris", "Chris", "CFO")
        .champion("dana")
        .approver("chris")
        .influence("dana", "chris", strength)
        .concern("downtime", ConcernCategory.RISK, "Operational downtime")
        .argument(
            "outages",
            {"downtime": fit},
            ArgumentKind.GERMAN_SHEPHERD,
            "No more 3 a.m. outages",
        )
        .cares("chris", "downtime", 0.9)
    )
