"""Deal risk in the explorer, in Chromium against the running app (issues 11 and 13).

What the plan says beyond plays (DESIGN section 6) must show where a seller looks: the champion
test on champion cards and in the list, criticality and single threads on approvers (with the
key people marked on the map), stale facts on cards, lines and seats (and one click to confirm
them), departed people, and "what if they left?". Every figure the page shows is checked
against what the GraphQL API says. Each test uses an account of its own in this module's tenant
(Harborline is only read), so they hold in any order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect
from test_explorer import card, loads, open_explorer, wait_for_reload

from graph_api.config import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

Api = Callable[..., dict[str, Any]]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AXE = PROJECT_ROOT / "explorer" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"wide": (1440, 900), "laptop": (1280, 720), "narrow": (800, 900)}
VERDICT_WORDS = {
    "CHAMPION": "Champion",
    "COACH": "Coach",
    "CONFLICTED": "Conflicted",
    "ISOLATED": "Isolated",
}
STATUS_ORDER = ["SECURED", "COVERED", "WEAK", "UNCOVERED"]

ACCOUNT = """
query Account($externalId: String!) {
  account(externalId: $externalId) {
    id opportunities { edges { node { id externalId name } } }
  }
}"""

PLAN = """
query Plan($opportunityId: ID!, $options: CoachingOptions) {
  coachingPlan(opportunityId: $opportunityId, options: $options) {
    winProbability winProbabilityWithPlan warnings
    approvers {
      approver { id name } status criticality criticalityWithPlan criticalityExplanation
      singleThreaded singleThreadExplanation keyPeople { id name }
    }
    champions { champion { id name } influence verdict explanation }
    dealDependencies { stakeholder { id name } winProbabilityWithout drop explanation }
    staleFacts { kind stakeholder { id name } target { id name } verifiedAt warning }
    without { id name leftAt }
  }
}"""

COMMITTEE = """
query Committee($id: ID!) {
  opportunity(id: $id) {
    committee { role stance veto stakeholder { id name lastVerifiedAt leftAt } }
  }
}"""

PERSON = """
query Person($id: ID!) {
  stakeholder(id: $id) {
    name leftAt lastVerifiedAt influences { to { id } verifiedAt }
  }
}"""

MARK_COMMITTEE = """
mutation Mark($opportunityId: ID!, $on: Date) {
  markCommitteeVerified(opportunityId: $opportunityId, on: $on) {
    __typename ... on UserError { message }
  }
}"""

# Every capability the server on main has, as the page lists them on <body>.
EVERY_CAPABILITY = {
    "criticality",
    "planExclusion",
    "championTest",
    "singleThread",
    "dealDependencies",
    "whatIf",
    "freshness",
    "departures",
    "markVerified",
    "seatVerifiedAt",
    "stakeholder",
    "seat",
    "influence",
    "conflict",
    "delete-stakeholder",
    "delete-seat",
    "delete-influence",
    "delete-conflict",
}


def screenshot(page: Page, name: str) -> Path:
    """Saves ``test-artifacts/screenshots/<name>.png`` (kept by CI as an artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def emit(page: Page, element_id: str, event: str) -> None:
    """Fire a Cytoscape event on a node or line. Nothing is returned from the page: the
    element Cytoscape's emit() returns would be serialised whole (gigabytes)."""
    page.evaluate(
        "([id, event]) => { window.__explorer.cy.getElementById(id).emit(event); }",
        [element_id, event],
    )


def click_card(page: Page, node_id: str) -> None:
    """Clicks a card where it is drawn, as a user would (the click lands on the map)."""
    page.evaluate(
        """async id => {
          document.querySelector('#graph-wrap').scrollIntoView({ block: 'nearest' });
          window.__explorer.reveal(id);
          await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        }""",
        node_id,
    )
    card(page, node_id).locator(".card-main").click(force=True)


def ids_of(api: Api, key: str, external: str) -> tuple[str, str]:
    """The account and the opportunity the explorer opens first (the first listed)."""
    account = api(key, ACCOUNT, {"externalId": external})["account"]
    return account["id"], account["opportunities"]["edges"][0]["node"]["id"]


def api_plan(
    api: Api, key: str, opportunity_id: str, without: list[str] | None = None
) -> dict[str, Any]:
    options = {"without": without} if without else None
    plan: dict[str, Any] = api(key, PLAN, {"opportunityId": opportunity_id, "options": options})[
        "coachingPlan"
    ]
    return plan


def axe_scan(page: Page, state: str) -> None:
    """axe-core (from npm, injected into the page) finds nothing serious or critical."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
        }"""
    )
    assert found == [], f"{state}: {json.dumps(found, indent=1)}"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def today() -> datetime:
    return datetime.now(UTC)


# --- the server's capabilities ----------------------------------------------------------------


@pytest.mark.parametrize("introspection", [True, False], ids=["introspection", "probe"])
def test_the_explorer_finds_every_deal_risk_field_of_this_server(
    page: Page, server: str, demo_keys: Any, introspection: bool
) -> None:
    """With introspection, and where a server refuses it, by the probe document's errors."""
    asked: list[str] = []

    def refuse_introspection(route: Route) -> None:
        body = route.request.post_data or ""
        asked.append(body)
        if "__type(" in body:
            route.fulfill(
                status=200,
                content_type="application/json",
                body=json.dumps({"errors": [{"message": "GraphQL introspection is disabled"}]}),
            )
        else:
            route.continue_()

    if not introspection:
        page.route("**/graphql", refuse_introspection)
    open_explorer(page, server, demo_keys.editor, "acct-harborline")
    found = set((page.locator("body").get_attribute("data-capabilities") or "").split())
    assert found >= EVERY_CAPABILITY, EVERY_CAPABILITY - found
    if not introspection:
        assert any("ProbeReads" in body for body in asked)
    # and the plan was asked for with every one of them
    expect(page.locator("#plan-list .champion-test")).to_have_count(1)
    expect(page.get_by_test_id("deal-dependencies")).to_have_count(1)


# --- the champion test ------------------------------------------------------------------------


def test_champion_cards_and_the_list_say_each_verdict_in_words_with_why(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline")
    _, opportunity_id = ids_of(api, demo_keys.editor, "acct-harborline")
    champions = api_plan(api, demo_keys.editor, opportunity_id)["champions"]
    assert {c["verdict"] for c in champions} >= {"CHAMPION", "COACH", "CONFLICTED"}

    icons: dict[str, set[str]] = {}
    for c in champions:
        tag = card(page, c["champion"]["id"]).locator(".tag-verdict")
        expect(tag).to_have_count(1)
        # a word (shown, or kept for screen readers when space is short) and an icon
        expect(tag).to_contain_text(VERDICT_WORDS[c["verdict"]])
        icon = tag.locator("svg").get_attribute("class") or ""
        icons.setdefault(c["verdict"], set()).add(icon)
    # one icon per verdict, a different one for each: never colour alone
    assert all(len(found) == 1 for found in icons.values())
    assert len({next(iter(found)) for found in icons.values()}) == len(icons)
    # nobody else carries a verdict
    tagged = page.locator("#cards .card:has(.tag-verdict)").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"
    )
    assert sorted(tagged) == sorted(c["champion"]["id"] for c in champions)

    # hovering a card (and focusing it) tells why
    coach = next(c for c in champions if c["verdict"] == "COACH")
    emit(page, coach["champion"]["id"], "mouseover")
    expect(page.locator("#tooltip")).to_contain_text("Champion test: Coach")
    expect(page.locator("#tooltip")).to_contain_text(coach["explanation"])
    emit(page, coach["champion"]["id"], "mouseout")
    card(page, coach["champion"]["id"]).locator(".card-main").focus()
    expect(page.locator("#tooltip")).to_contain_text(coach["explanation"])

    # the plan panel: the champion test, folded, with every sentence
    test = page.get_by_test_id("champion-test")
    test.locator("summary").click()
    for c in champions:
        row = test.locator(f'li[data-champion-id="{c["champion"]["id"]}"]')
        expect(row).to_have_attribute("data-verdict", c["verdict"])
        expect(row).to_contain_text(c["explanation"])

    # the list: a column of its own, the sentence on hover and on keyboard focus
    page.locator("#view-list").click()
    for c in champions:
        cell = page.locator(f'tr[data-id="{c["champion"]["id"]}"] td.verdict-cell')
        expect(cell).to_contain_text(VERDICT_WORDS[c["verdict"]])
        expect(cell.locator(".tip-text")).to_have_text(c["explanation"])
    conflicted = next(c for c in champions if c["verdict"] == "CONFLICTED")
    cell = page.locator(f'tr[data-id="{conflicted["champion"]["id"]}"] td.verdict-cell')
    expect(cell.locator(".tip-text")).to_be_hidden()
    cell.locator(".tip").focus()
    expect(cell.locator(".tip-text")).to_be_visible()
    page.locator('button.sort[data-sort="verdict"]').click()
    order = page.locator(".committee-table tbody tr td.verdict-cell").all_inner_texts()
    assert order[0].strip() == "Conflicted"  # riskiest verdict first
    screenshot(page, "explorer-risk-verdicts-list")

    # the details panel says it too
    page.locator(f'tr[data-id="{coach["champion"]["id"]}"] button[data-action="details"]').click()
    verdict = page.locator("#edit-panel").get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "COACH")
    expect(verdict).to_contain_text(coach["explanation"])


# --- criticality and single threads -------------------------------------------------------------


def test_approvers_show_criticality_and_single_threads_and_the_key_people_light_up(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline", size=VIEWPORTS["laptop"])
    _, opportunity_id = ids_of(api, demo_keys.editor, "acct-harborline")
    approvers = api_plan(api, demo_keys.editor, opportunity_id)["approvers"]
    threaded = [a for a in approvers if a["singleThreaded"]]
    assert threaded
    assert any(not a["singleThreaded"] for a in approvers)

    for a in approvers:
        on_card = card(page, a["approver"]["id"])
        expect(on_card.locator(".tag-crit")).to_contain_text(f"{a['criticality']:.2f}")
        expect(on_card.locator(".tag-thread")).to_have_count(1 if a["singleThreaded"] else 0)
        row = page.locator(f'button.approver[data-approver-id="{a["approver"]["id"]}"]')
        expect(row).to_contain_text(f"criticality {a['criticality']:.2f}")
        mark = row.get_by_test_id("single-thread")
        if a["singleThreaded"]:
            for person in a["keyPeople"]:
                expect(mark).to_contain_text(person["name"])
        else:
            expect(mark).to_have_count(0)

    # choosing a single-threaded approver in the plan marks the people it hangs on
    chosen = max(threaded, key=lambda a: a["criticality"])
    keys = [p["id"] for p in chosen["keyPeople"]]
    page.locator(f'button.approver[data-approver-id="{chosen["approver"]["id"]}"]').click()
    expect(page.locator("#graph")).to_have_attribute("data-key-people", ",".join(keys))
    for person in keys:
        expect(card(page, person)).to_have_class(re.compile(r"\bkey-person\b"))
        expect(card(page, person).locator(".key-tag")).to_contain_text("key person")
    expect(page.locator("#cards .card.key-person")).to_have_count(len(keys))
    detail = page.locator("#plan-detail").get_by_test_id("single-thread-detail")
    expect(detail).to_contain_text(chosen["singleThreadExplanation"])
    expect(page.get_by_test_id("criticality-explanation")).to_have_text(
        chosen["criticalityExplanation"]
    )
    screenshot(page, "explorer-risk-key-people")
    page.keyboard.press("Escape")
    expect(page.locator("#cards .card.key-person")).to_have_count(0)

    # choosing the approver on the map does the same, and the details panel explains
    click_card(page, chosen["approver"]["id"])
    expect(page.locator("#graph")).to_have_attribute("data-key-people", ",".join(keys))
    panel = page.locator("#edit-panel")
    expect(panel.get_by_test_id("criticality")).to_contain_text(chosen["criticalityExplanation"])
    expect(panel.get_by_test_id("single-thread-detail")).to_contain_text(
        chosen["singleThreadExplanation"]
    )

    # the list: criticality today → with the plan, the single thread and who it hangs on
    page.locator("#view-list").click()
    for a in approvers:
        cell = page.locator(f'tr[data-id="{a["approver"]["id"]}"] td.crit-cell')
        expect(cell).to_contain_text(f"{a['criticality']:.2f} → {a['criticalityWithPlan']:.2f}")
        thread = cell.locator(".thread-mark")
        if a["singleThreaded"]:
            expect(thread).to_contain_text("Single thread")
            expect(thread.locator(".tip-text")).to_have_text(a["singleThreadExplanation"])
        else:
            expect(thread).to_have_count(0)


# --- freshness --------------------------------------------------------------------------------


def test_stale_facts_are_marked_and_confirming_them_clears_the_marks(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    account = "acct-halden"
    _, opportunity_id = ids_of(api, demo_keys.editor, account)
    long_ago = (today() - timedelta(days=200)).date().isoformat()
    marked = api(
        demo_keys.editor, MARK_COMMITTEE, {"opportunityId": opportunity_id, "on": long_ago}
    )
    assert marked["markCommitteeVerified"]["__typename"] == "VerifiedFacts"
    stale = api_plan(api, demo_keys.editor, opportunity_id)["staleFacts"]
    about_people = {f["stakeholder"]["id"] for f in stale if f["kind"] in ("STAKEHOLDER", "SEAT")}
    on_lines = {
        f"INFLUENCES|{f['stakeholder']['id']}|{f['target']['id']}"
        for f in stale
        if f["kind"] == "INFLUENCE"
    }
    assert about_people
    assert on_lines

    open_explorer(page, server, demo_keys.editor, account)
    freshness = page.get_by_test_id("freshness")
    expect(freshness).to_have_attribute("data-stale", str(len(stale)))
    expect(freshness).to_contain_text(f"{len(stale)} facts behind the plan are stale")
    freshness.locator("summary").click()
    for fact in stale:
        expect(freshness).to_contain_text(fact["warning"])
    shown = page.evaluate("() => window.__explorer.shown()")
    tagged = page.locator("#cards .card:has(.tag-stale)").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"
    )
    assert set(tagged) == about_people & set(shown)
    marks = page.locator("#cards .line-mark.stale-mark").evaluate_all(
        "marks => marks.map(m => m.dataset.edge)"
    )
    assert set(marks) == on_lines
    line = next(iter(sorted(on_lines)))
    fact = next(
        f
        for f in stale
        if f["kind"] == "INFLUENCE"
        and f"INFLUENCES|{f['stakeholder']['id']}|{f['target']['id']}" == line
    )
    emit(page, line, "mouseover")
    expect(page.locator("#tooltip")).to_contain_text(fact["warning"])
    axe_scan(page, "stale marks on the map")
    screenshot(page, "explorer-risk-stale-map")

    # the list shows when each seat was verified, and which are stale
    page.locator("#view-list").click()
    committee = api(demo_keys.editor, COMMITTEE, {"id": opportunity_id})["opportunity"]["committee"]
    seated = {s["stakeholder"]["id"] for s in committee}
    person = min(
        f["stakeholder"]["id"]
        for f in stale
        if f["kind"] == "STAKEHOLDER" and f["stakeholder"]["id"] in seated
    )
    warnings = [
        f["warning"]
        for f in stale
        if f["stakeholder"]["id"] == person and f["kind"] in ("STAKEHOLDER", "SEAT")
    ]
    cell = page.locator(f'tr[data-id="{person}"] td.verified-cell')
    expect(cell.locator(".stale-mark")).to_contain_text("stale")
    for warning in warnings:
        expect(cell.locator(".tip-text")).to_contain_text(warning)
    axe_scan(page, "stale marks in the list")

    # one record confirmed from the details panel
    page.locator(f'tr[data-id="{person}"] button[data-action="details"]').click()
    panel = page.locator("#edit-panel").get_by_test_id("freshness-panel")
    record = panel.locator('[data-fact="record"]')
    expect(record.locator(".stale-mark")).to_have_count(1)
    reloads = loads(page)
    record.locator('button[data-action="verify-person"]').click()
    wait_for_reload(page, reloads)
    expect(page.get_by_test_id("fresh-note")).to_contain_text("marked verified today")
    stored = api(demo_keys.editor, PERSON, {"id": person})["stakeholder"]
    assert stored["lastVerifiedAt"] == today().date().isoformat()
    record = page.locator('#edit-panel [data-fact="record"]')
    expect(record.locator(".stale-mark")).to_have_count(0)

    # one line confirmed from its form
    page.locator("#view-map").click()
    source, target = line.split("|")[1:]
    emit(page, line, "tap")
    edge_panel = page.locator("#edit-panel").get_by_test_id("freshness-panel")
    expect(edge_panel.locator(".stale-mark").first).to_be_visible()
    reloads = loads(page)
    edge_panel.locator('button[data-action="verify-edge"]').click()
    wait_for_reload(page, reloads)
    stored_line = next(
        i
        for i in api(demo_keys.editor, PERSON, {"id": source})["stakeholder"]["influences"]
        if i["to"]["id"] == target
    )
    assert stored_line["verifiedAt"] == today().date().isoformat()
    expect(page.locator(f'#cards .line-mark[data-edge="{line}"]')).to_have_count(0)

    # the whole committee in one click
    page.locator("#tab-plan").click()
    reloads = loads(page)
    page.locator('[data-action="mark-committee-verified"]').click()
    wait_for_reload(page, reloads)
    expect(page.locator("#toast")).to_contain_text("Marked verified today")
    left = api_plan(api, demo_keys.editor, opportunity_id)["staleFacts"]
    assert len(left) < len(stale)
    expect(page.get_by_test_id("freshness")).to_have_attribute("data-stale", str(len(left)))
    still = {f["stakeholder"]["id"] for f in left if f["kind"] in ("STAKEHOLDER", "SEAT")}
    expect(page.locator("#cards .card:has(.tag-stale)")).to_have_count(len(still & set(shown)))
    assert page.errors == []  # type: ignore[attr-defined]


# --- what if someone left ---------------------------------------------------------------------


def test_what_if_someone_left_recomputes_the_plan_and_names_who_loses_coverage(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline")
    _, opportunity_id = ids_of(api, demo_keys.editor, "acct-harborline")
    today_plan = api_plan(api, demo_keys.editor, opportunity_id)
    deps = today_plan["dealDependencies"]
    assert len(deps) >= 2

    listed = page.get_by_test_id("deal-dependencies").locator("li")
    assert listed.evaluate_all("items => items.map(i => i.dataset.id)") == [
        d["stakeholder"]["id"] for d in deps
    ]
    for d, item in zip(deps, listed.all(), strict=True):
        expect(item).to_contain_text(d["stakeholder"]["name"])
        expect(item).to_contain_text(f"\u2212{round(d['drop'] * 100)} point")  # a minus sign
        expect(item).to_contain_text(d["explanation"])

    def check(without: list[str]) -> None:
        after = api_plan(api, demo_keys.editor, opportunity_id, without)
        summary = page.locator(".what-if-summary")
        expect(summary).to_have_attribute("data-after", f"{after['winProbabilityWithPlan']:.4f}")
        expect(summary).to_contain_text(
            f"{percent(today_plan['winProbabilityWithPlan'])} → "
            f"{percent(after['winProbabilityWithPlan'])}"
        )
        was = {a["approver"]["id"]: a["status"] for a in today_plan["approvers"]}
        worse = [
            a["approver"]["id"]
            for a in after["approvers"]
            if STATUS_ORDER.index(a["status"]) > STATUS_ORDER.index(was[a["approver"]["id"]])
        ]
        losing = page.get_by_test_id("lose-coverage")
        if worse:
            assert (
                losing.locator("li").evaluate_all("items => items.map(i => i.dataset.approverId)")
                == worse
            )
        else:
            expect(losing).to_have_text("No approver loses coverage.")

    # one click from the list of dependencies
    first = deps[0]
    listed.first.locator('button[data-action="what-if-one"]').click()
    check([first["stakeholder"]["id"]])
    expect(page.locator(".what-if-summary")).to_have_attribute(
        "data-after", f"{first['winProbabilityWithout']:.4f}"
    )
    picker = page.locator(".what-if-picker")
    expect(picker.locator(f'input[value="{first["stakeholder"]["id"]}"]')).to_be_checked()
    screenshot(page, "explorer-risk-what-if-one")

    # several people at once, chosen by hand
    second = deps[1]["stakeholder"]
    picker.get_by_label(re.compile(rf"^{re.escape(second['name'])}\b")).check()
    page.locator('button[data-action="run-what-if"]').click()
    check([first["stakeholder"]["id"], second["id"]])
    expect(page.locator(".what-if-summary h3")).to_contain_text(second["name"])
    axe_scan(page, "what-if result")
    page.locator('button[data-action="clear-what-if"]').click()
    expect(page.locator(".what-if-summary")).to_have_count(0)
    expect(picker.locator("input:checked")).to_have_count(0)


# --- departures -------------------------------------------------------------------------------


def test_a_departure_set_in_the_details_panel_strikes_the_person_and_the_plan_warns(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    account = "acct-tessaro"
    _, opportunity_id = ids_of(api, demo_keys.editor, account)
    champion = api_plan(api, demo_keys.editor, opportunity_id)["champions"][0]["champion"]
    yesterday = (today() - timedelta(days=1)).date().isoformat()

    open_explorer(page, server, demo_keys.editor, account)
    click_card(page, champion["id"])
    form = page.locator('#edit-panel form[data-form="stakeholder"]')
    form.locator('input[name="leftAt"]').fill(yesterday)
    reloads = loads(page)
    form.locator('button[data-action="save"]').click()
    wait_for_reload(page, reloads)

    assert api(demo_keys.editor, PERSON, {"id": champion["id"]})["stakeholder"]["leftAt"] == (
        yesterday
    )
    plan = api_plan(api, demo_keys.editor, opportunity_id)
    assert champion["id"] in {p["id"] for p in plan["without"]}
    warning = next(w for w in plan["warnings"] if champion["name"] in w and "left" in w)

    on_map = card(page, champion["id"])
    expect(on_map).to_have_class(re.compile(r"\bdeparted\b"))
    expect(on_map.locator(".card-name s")).to_have_text(champion["name"])
    expect(on_map.locator(".card-departure")).to_contain_text("Left on")
    expect(page.locator("#plan-list .warning").filter(has_text=warning)).to_have_count(1)
    expect(page.locator("#edit-panel").get_by_test_id("departure")).to_contain_text("Left on")
    # their lines no longer count, and look it
    lines = page.evaluate(
        """id => window.__explorer.cy.getElementById(id).connectedEdges()
             .map(e => e.hasClass('departed'))""",
        champion["id"],
    )
    assert lines
    assert all(lines)
    axe_scan(page, "a departed person")
    screenshot(page, "explorer-risk-departed")

    page.locator("#view-list").click()
    row = page.locator(f'tr[data-id="{champion["id"]}"]')
    expect(row.locator(".person-name s")).to_have_text(champion["name"])
    expect(row.get_by_test_id("departure")).to_contain_text("Left on")

    # back again: clearing the date (in the form still open) brings them back into the plan
    form = page.locator('#edit-panel form[data-form="stakeholder"]')
    expect(form.locator('input[name="name"]')).to_have_value(champion["name"])
    expect(form.locator('input[name="leftAt"]')).to_have_value(yesterday)
    form.locator('input[name="leftAt"]').fill("")
    reloads = loads(page)
    form.locator('button[data-action="save"]').click()
    wait_for_reload(page, reloads)
    assert api(demo_keys.editor, PERSON, {"id": champion["id"]})["stakeholder"]["leftAt"] is None
    expect(page.locator(f'tr[data-id="{champion["id"]}"] .person-name s')).to_have_count(0)


# --- readable at every size -------------------------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_deal_risk_marks_stay_on_their_cards_at_every_viewport(
    page: Page, server: str, demo_keys: Any, api: Api, viewport: str
) -> None:
    """Corvane with stale facts and someone gone: tags sit on their own card's top edge, never
    over another card; a line's tag never covers a card; nothing serious for axe."""
    account = "acct-corvane"
    _, opportunity_id = ids_of(api, demo_keys.editor, account)
    long_ago = (today() - timedelta(days=120)).date().isoformat()
    api(demo_keys.editor, MARK_COMMITTEE, {"opportunityId": opportunity_id, "on": long_ago})
    committee = api(demo_keys.editor, COMMITTEE, {"id": opportunity_id})["opportunity"]["committee"]
    plain = next(
        s["stakeholder"]
        for s in sorted(committee, key=lambda s: s["stakeholder"]["name"])
        if s["role"] not in ("ECONOMIC_BUYER", "APPROVER")
        and not s["veto"]
        and s["stance"] not in ("CHAMPION", "SUPPORTER")
    )
    api(
        demo_keys.editor,
        """mutation Left($id: ID!, $on: Date) {
             updateStakeholder(id: $id, input: {leftAt: $on}) { __typename }
           }""",
        {"id": plain["id"], "on": "2026-01-15"},
    )

    open_explorer(page, server, demo_keys.editor, account, size=VIEWPORTS[viewport])
    page.locator("#fit").click()
    expect(card(page, plain["id"])).to_have_class(re.compile(r"\bdeparted\b"))
    assert page.locator("#cards .tag-stale").count() > 0
    overlaps = page.evaluate(
        """() => {
          const box = e => e.getBoundingClientRect();
          const cards = [...document.querySelectorAll('#cards .card')];
          const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
            && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          const out = [];
          for (const card of cards) {
            const own = box(card);
            for (const tag of card.querySelectorAll('.card-tags .tag')) {
              const t = box(tag);
              if (t.left < own.left - 1 || t.right > own.right + 1)
                out.push(['wider than its card', card.dataset.id]);
              for (const other of cards) if (other !== card && hit(t, box(other)))
                out.push(['tag on another card', card.dataset.id, other.dataset.id]);
            }
          }
          for (const mark of document.querySelectorAll('#cards .line-mark')) {
            for (const other of cards) if (hit(box(mark), box(other)))
              out.push(['line tag on a card', mark.dataset.edge, other.dataset.id]);
          }
          return out;
        }"""
    )
    assert overlaps == []
    axe_scan(page, f"deal risk at {viewport}")
    screenshot(page, f"explorer-risk-{viewport}")
