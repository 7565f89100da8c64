"""What the CRM's words mean in the map: roles, stances and stages, and the mapping file.

The defaults are the README's ("Mappings and the review list"). A mapping file (JSON or
YAML) overrides any of them, value by value, and adds the custom picklist values of a
customised org; a value that neither the defaults nor the file map is not guessed: it goes to
the review list with a suggestion.
Values are matched without regard to case, blanks or punctuation, so HubSpot's label
``Legal & Compliance`` and its internal name ``LEGAL_AND_COMPLIANCE`` are one value.

The file (every section optional)::

    roles:                          # contact-role / buying-role value -> what it means
      Procurement Lead: PROCUREMENT # a committee role
      Champion: {stance: CHAMPION}  # an explicit stance (never guessed from a role)
      Coach: {role: INFLUENCER, stance: SUPPORTER}
      Other: null                   # known, and means no seat
    blankRole: INFLUENCER           # a contact-role row with no role (null: no seat)
    rolePrecedence: [ECONOMIC_BUYER, DECISION_MAKER, APPROVER, ...]  # several roles: first wins
    stages:                         # opportunity stage / deal stage -> the map's stage
      Technical Validation: EVALUATION
      Closed - No Decision: CLOSED_NO_DECISION
    dateFormat: "%d/%m/%Y"          # dates that are not ISO 8601 (strptime format)
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from graph_api.crm.csvfile import column_key
from graph_api.crm.records import CrmSource
from graph_api.domain.enums import CommitteeRole, Outcome, Stance
from graph_api.errors import InvalidInput, Problem, ProblemCollector

R = CommitteeRole


class DealStage(StrEnum):
    """The stages of the map (``Opportunity.stage``) a CRM's stages are mapped to."""

    PROSPECTING = "PROSPECTING"
    QUALIFICATION = "QUALIFICATION"
    DISCOVERY = "DISCOVERY"
    EVALUATION = "EVALUATION"
    PROPOSAL = "PROPOSAL"
    NEGOTIATION = "NEGOTIATION"
    CLOSED_WON = "CLOSED_WON"
    CLOSED_LOST = "CLOSED_LOST"
    CLOSED_NO_DECISION = "CLOSED_NO_DECISION"

    @property
    def outcome(self) -> Outcome | None:
        """The outcome a closed stage means; ``None`` while the deal is open."""
        return {
            DealStage.CLOSED_WON: Outcome.WON,
            DealStage.CLOSED_LOST: Outcome.LOST,
            DealStage.CLOSED_NO_DECISION: Outcome.NO_DECISION,
        }.get(self)


@dataclass(frozen=True)
class Meaning:
    """What one role value means: a committee role, an explicit stance, both, or neither
    (a value mapped to ``null``: known, and no seat comes of it)."""

    role: CommitteeRole | None = None
    stance: Stance | None = None

    def __str__(self) -> str:
        if self.role and self.stance:
            return f"{{role: {self.role.value}, stance: {self.stance.value}}}"
        if self.stance:
            return f"{{stance: {self.stance.value}}}"
        return self.role.value if self.role else "null"


# The highest in this order wins when a contact has several roles on a deal (the README's
# mapping rules). PROCUREMENT, LEGAL and GATEKEEPER, which no default ranks among the buying
# roles, sit above INFLUENCER, which is also what "Other" means.
DEFAULT_ROLE_PRECEDENCE = (
    R.ECONOMIC_BUYER,
    R.DECISION_MAKER,
    R.APPROVER,
    R.TECHNICAL_EVALUATOR,
    R.USER_BUYER,
    R.PROCUREMENT,
    R.LEGAL,
    R.GATEKEEPER,
    R.INFLUENCER,
)

SALESFORCE_ROLES: dict[str, Meaning] = {
    "Economic Buyer": Meaning(R.ECONOMIC_BUYER),
    "Economic Decision Maker": Meaning(R.ECONOMIC_BUYER),
    "Decision Maker": Meaning(R.DECISION_MAKER),
    "Executive Sponsor": Meaning(R.APPROVER),
    "Technical Buyer": Meaning(R.TECHNICAL_EVALUATOR),
    "Evaluator": Meaning(R.TECHNICAL_EVALUATOR),
    "Business User": Meaning(R.USER_BUYER),
    "Influencer": Meaning(R.INFLUENCER),
    "Other": Meaning(R.INFLUENCER),
}
HUBSPOT_ROLES: dict[str, Meaning] = {
    "BUDGET_HOLDER": Meaning(R.ECONOMIC_BUYER),
    "DECISION_MAKER": Meaning(R.DECISION_MAKER),
    "EXECUTIVE_SPONSOR": Meaning(R.APPROVER),
    "END_USER": Meaning(R.USER_BUYER),
    "INFLUENCER": Meaning(R.INFLUENCER),
    "LEGAL_AND_COMPLIANCE": Meaning(R.LEGAL),
    "OTHER": Meaning(R.INFLUENCER),
    "CHAMPION": Meaning(stance=Stance.CHAMPION),  # HubSpot mixes stances into the roles
    "BLOCKER": Meaning(stance=Stance.BLOCKER),
}
S = DealStage
SALESFORCE_STAGES: dict[str, DealStage] = {
    "Prospecting": S.PROSPECTING,
    "Qualification": S.QUALIFICATION,
    "Needs Analysis": S.DISCOVERY,
    "Value Proposition": S.DISCOVERY,
    "Id. Decision Makers": S.DISCOVERY,
    "Perception Analysis": S.EVALUATION,
    "Proposal/Price Quote": S.PROPOSAL,
    "Negotiation/Review": S.NEGOTIATION,
    "Closed Won": S.CLOSED_WON,
    "Closed Lost": S.CLOSED_LOST,
}
HUBSPOT_STAGES: dict[str, DealStage] = {  # the default sales pipeline (labels and names)
    "Appointment Scheduled": S.PROSPECTING,
    "Qualified To Buy": S.QUALIFICATION,
    "Presentation Scheduled": S.DISCOVERY,
    "Decision Maker Bought-In": S.EVALUATION,
    "Contract Sent": S.NEGOTIATION,
    "Closed Won": S.CLOSED_WON,
    "Closed Lost": S.CLOSED_LOST,
}


@dataclass(frozen=True)
class CrmMapping:
    """The meaning of every value an import may meet; keys are :func:`column_key` forms."""

    roles: Mapping[str, Meaning]
    stages: Mapping[str, DealStage | None]
    blank_role: CommitteeRole | None = R.INFLUENCER
    role_precedence: tuple[CommitteeRole, ...] = DEFAULT_ROLE_PRECEDENCE
    date_format: str | None = None
    _rank: Mapping[CommitteeRole, int] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        order = [*self.role_precedence, *(r for r in R if r not in self.role_precedence)]
        object.__setattr__(self, "_rank", {role: i for i, role in enumerate(order)})

    def role(self, value: str) -> Meaning | None:
        """What a role value means; ``None`` when nobody mapped it (a value mapped to null
        means :class:`Meaning` with neither role nor stance)."""
        return self.roles.get(column_key(value))

    def knows_stage(self, value: str) -> bool:
        return column_key(value) in self.stages

    def stage(self, value: str) -> DealStage | None:
        """The map's stage for a known CRM stage (``None``: mapped to nothing)."""
        return self.stages.get(column_key(value))

    def rank(self, role: CommitteeRole) -> int:
        """Lower is higher: the role that wins when a contact has several on one deal."""
        return self._rank[role]


def default_mapping(source: CrmSource) -> CrmMapping:
    roles, stages = (
        (SALESFORCE_ROLES, SALESFORCE_STAGES)
        if source is CrmSource.SALESFORCE
        else (HUBSPOT_ROLES, HUBSPOT_STAGES)
    )
    return CrmMapping(
        roles={column_key(k): v for k, v in roles.items()},
        stages={column_key(k): v for k, v in stages.items()},
    )


# --- the mapping file ------------------------------------------------------------------

_SECTIONS = ("roles", "blankRole", "rolePrecedence", "stages", "dateFormat")


def parse_mapping_text(name: str, text: str) -> Any:
    """A mapping file's content: JSON for ``*.json``, else YAML (which also reads JSON).

    Raises:
        InvalidInput: the text is neither.
    """
    if name.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                Problem(f"{name}:{error.lineno}:{error.colno}", f"not JSON: {error.msg}")
            ) from None
    import yaml  # noqa: PLC0415 - only mapping files in YAML need it

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        raise InvalidInput(Problem(where, f"not YAML: {error}")) from None


def _enum_value(enum: type[StrEnum], value: Any, path: str, problems: ProblemCollector) -> Any:
    if isinstance(value, str) and value.strip().upper() in enum.__members__:
        return enum[value.strip().upper()]
    problems.add(path, f"must be one of {', '.join(enum.__members__)}, got {value!r}")
    return None


def _meaning(value: Any, path: str, problems: ProblemCollector) -> Meaning | None:
    if value is None:
        return Meaning()
    if isinstance(value, str):
        role = _enum_value(CommitteeRole, value, path, problems)
        return None if role is None else Meaning(role)
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"role", "stance"})
        for key in unknown:
            problems.add(f"{path}.{key}", "unknown key: a role value maps to role and/or stance")
        role = stance = None
        if value.get("role") is not None:
            role = _enum_value(CommitteeRole, value["role"], f"{path}.role", problems)
        if value.get("stance") is not None:
            stance = _enum_value(Stance, value["stance"], f"{path}.stance", problems)
        return None if unknown else Meaning(role, stance)
    problems.add(path, f"must be a role, {{role, stance}} or null, got {value!r}")
    return None


def _key_path(section: str, key: str) -> str:
    return f"$.{section}[{json.dumps(key, ensure_ascii=False)}]"


def apply_mapping(base: CrmMapping, given: Any, root: str = "$") -> CrmMapping:
    """``base`` with a mapping file's entries laid over it.

    Raises:
        InvalidInput: every problem, by JSON path from ``root`` (an unknown section, role,
        stance or stage).
    """
    if given is None:
        return base
    if not isinstance(given, dict):
        raise InvalidInput(Problem(root, "a mapping must be an object (JSON) or a mapping (YAML)"))
    problems = ProblemCollector()
    mapping = _apply(base, given, problems)
    if problems.problems:
        raise InvalidInput(
            [Problem(root + p.path.removeprefix("$"), p.message) for p in problems.problems]
        )
    return mapping


def _apply(base: CrmMapping, given: dict[str, Any], problems: ProblemCollector) -> CrmMapping:
    for key in sorted(set(given) - set(_SECTIONS)):
        problems.add(f"$.{key}", f"unknown section; the sections are {', '.join(_SECTIONS)}")
    roles = dict(base.roles)
    stages = dict(base.stages)
    changes: dict[str, Any] = {}

    given_roles = given.get("roles") or {}
    if not isinstance(given_roles, dict):
        problems.add("$.roles", "must map each role value to what it means")
    else:
        for value, meaning_of in given_roles.items():
            path = _key_path("roles", str(value))
            if not column_key(str(value)):
                problems.add(path, "a value needs at least one letter or digit")
                continue
            meaning = _meaning(meaning_of, path, problems)
            if meaning is not None:
                roles[column_key(str(value))] = meaning

    given_stages = given.get("stages") or {}
    if not isinstance(given_stages, dict):
        problems.add("$.stages", "must map each stage to a stage of the map")
    else:
        for value, stage_of in given_stages.items():
            path = _key_path("stages", str(value))
            if not column_key(str(value)):
                problems.add(path, "a value needs at least one letter or digit")
                continue
            if stage_of is None:
                stages[column_key(str(value))] = None
                continue
            stage = _enum_value(DealStage, stage_of, path, problems)
            if stage is not None:
                stages[column_key(str(value))] = stage

    if "blankRole" in given:
        blank = given["blankRole"]
        changes["blank_role"] = (
            None if blank is None else _enum_value(CommitteeRole, blank, "$.blankRole", problems)
        )
    if "rolePrecedence" in given:
        order = given["rolePrecedence"]
        if not isinstance(order, list):
            problems.add("$.rolePrecedence", "must be a list of roles, highest first")
        else:
            parsed = [
                _enum_value(CommitteeRole, role, f"$.rolePrecedence[{i}]", problems)
                for i, role in enumerate(order)
            ]
            if len(set(parsed)) != len(parsed):
                problems.add("$.rolePrecedence", "names a role twice")
            changes["role_precedence"] = tuple(r for r in parsed if r is not None)
    if "dateFormat" in given:
        date_format = given["dateFormat"]
        if date_format is not None and (
            not isinstance(date_format, str) or not re.search(r"%[dmyYbB]", date_format)
        ):
            problems.add("$.dateFormat", "must be a strptime format such as '%d/%m/%Y'")
        else:
            changes["date_format"] = date_format
    return replace(base, roles=roles, stages=stages, **changes)


# --- suggestions for the review list ---------------------------------------------------

_ROLE_HINTS: tuple[tuple[str, str], ...] = (
    ("champion", "{stance: CHAMPION}"),
    ("coach", "{stance: SUPPORTER}"),
    ("supporter", "{stance: SUPPORTER}"),
    ("advocate", "{stance: SUPPORTER}"),
    ("blocker", "{stance: BLOCKER}"),
    ("detractor", "{stance: SKEPTIC}"),
    ("skeptic", "{stance: SKEPTIC}"),
    ("procure", "PROCUREMENT"),
    ("purchas", "PROCUREMENT"),
    ("sourcing", "PROCUREMENT"),
    ("vendor", "PROCUREMENT"),
    ("legal", "LEGAL"),
    ("counsel", "LEGAL"),
    ("complian", "LEGAL"),
    ("contract", "LEGAL"),
    ("security", "TECHNICAL_EVALUATOR"),
    ("architect", "TECHNICAL_EVALUATOR"),
    ("technical", "TECHNICAL_EVALUATOR"),
    ("engineer", "TECHNICAL_EVALUATOR"),
    ("budget", "ECONOMIC_BUYER"),
    ("economic", "ECONOMIC_BUYER"),
    ("finance", "ECONOMIC_BUYER"),
    ("sign", "APPROVER"),
    ("approv", "APPROVER"),
    ("sponsor", "APPROVER"),
    ("executive", "APPROVER"),
    ("board", "APPROVER"),
    ("decision", "DECISION_MAKER"),
    ("gatekeep", "GATEKEEPER"),
    ("assistant", "GATEKEEPER"),
    ("user", "USER_BUYER"),
    ("operations", "USER_BUYER"),
    ("influenc", "INFLUENCER"),
    ("consult", "INFLUENCER"),
)
_STAGE_HINTS: tuple[tuple[str, DealStage], ...] = (
    ("nodecision", S.CLOSED_NO_DECISION),
    ("noaction", S.CLOSED_NO_DECISION),
    ("stalled", S.CLOSED_NO_DECISION),
    ("won", S.CLOSED_WON),
    ("signed", S.CLOSED_WON),
    ("lost", S.CLOSED_LOST),
    ("disqualif", S.CLOSED_LOST),
    ("negotiat", S.NEGOTIATION),
    ("contract", S.NEGOTIATION),
    ("legal", S.NEGOTIATION),
    ("procure", S.NEGOTIATION),
    ("proposal", S.PROPOSAL),
    ("quote", S.PROPOSAL),
    ("pricing", S.PROPOSAL),
    ("business case", S.PROPOSAL),
    ("pilot", S.EVALUATION),
    ("poc", S.EVALUATION),
    ("proofofconcept", S.EVALUATION),
    ("trial", S.EVALUATION),
    ("valid", S.EVALUATION),
    ("evaluat", S.EVALUATION),
    ("demo", S.EVALUATION),
    ("discover", S.DISCOVERY),
    ("analysis", S.DISCOVERY),
    ("needs", S.DISCOVERY),
    ("solution", S.DISCOVERY),
    ("qualif", S.QUALIFICATION),
    ("prospect", S.PROSPECTING),
    ("lead", S.PROSPECTING),
    ("appointment", S.PROSPECTING),
    ("new", S.PROSPECTING),
)


def suggest_role(value: str, mapping: CrmMapping) -> str | None:
    """A likely meaning of an unmapped role value, as a mapping-file value, or None."""
    key = column_key(value)
    for hint, suggestion in _ROLE_HINTS:
        if hint in key:
            return suggestion
    known = {k: str(m) for k, m in mapping.roles.items() if m.role or m.stance}
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return known[close[0]] if close else None


def suggest_stage(value: str, mapping: CrmMapping) -> str | None:
    """A likely stage for an unmapped CRM stage, or None."""
    key = column_key(value)
    for hint, stage in _STAGE_HINTS:
        if column_key(hint) in key:
            return stage.value
    known = {k: s.value for k, s in mapping.stages.items() if s is not None}
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return known[close[0]] if close else None
