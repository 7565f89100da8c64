"""The explorer in a real headless Chromium against the running app (issues 4 and 13).

Each test opens the page the way a seller does (the demo link, ``#key=…&account=…``) and
checks what they would notice against what the GraphQL API says: who is on the map, which
lines are drawn and where, what the plan says, and what editing does to the stored map.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from graph_api.config import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

Api = Callable[..., dict[str, Any]]
DEMO_ACCOUNT = "acct-halden"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AXE = PROJECT_ROOT / "explorer" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"wide": (1440, 900), "laptop": (1280, 720), "narrow": (800, 900)}
INTERNAL_ID = re.compile(r"\b[a-z]{2,4}_[0-9a-f]{12,}\b")


def screenshot(page: Page, name: str) -> Path:
    """Saves ``test-artifacts/screenshots/<name>.png`` (kept by CI as an artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


GRAPH = """
query Graph($accountId: ID!, $opportunityId: ID) {
  accountGraph(accountId: $accountId, opportunityId: $opportunityId) {
    nodes { id kind label title role stance isApprover isChampion }
    edges { source target kind weight topics }
  }
}"""

ACCOUNT = """
query Account($externalId: String!) {
  account(externalId: $externalId) {
    id opportunities { edges { node { id externalId name } } }
  }
}"""

PLAN = """
query Plan($opportunityId: ID!) {
  coachingPlan(opportunityId: $opportunityId) {
    approvers {
      approver { id name } status approvalProbabilityWithPlan
      plays { champion { id } argument { id talkTrack } approver { id } path { id } explanation }
    }
    plan {
      champion { id name } argument { id title talkTrack } approver { id name }
      path { id name } explanation
    }
  }
}"""

STAKEHOLDER = """
query Person($id: ID!) {
  stakeholder(id: $id) {
    name title email
    seats { opportunity { id } role stance stanceEvidence }
    influences { to { id } strength topics evidence }
  }
}"""

CREATE_PERSON = """
mutation New($input: CreateStakeholderInput!) {
  createStakeholder(input: $input) { __typename ... on Stakeholder { id } }
}"""

# Every visible edge as drawn: its polyline in model coordinates, checked against every card
# (each shrunk by 1.5 px so an end that touches a card's border does not count).
GEOMETRY = """() => {
  const cy = window.__explorer.cy;
  const boxes = cy.nodes().map(n => {
    const b = n.boundingBox({ includeLabels: false, includeOverlays: false });
    return { id: n.id(), x1: b.x1 + 1.5, y1: b.y1 + 1.5, x2: b.x2 - 1.5, y2: b.y2 - 1.5 };
  });
  const crosses = (p, q, r) => {
    let t0 = 0, t1 = 1;
    const dx = q.x - p.x, dy = q.y - p.y;
    const clip = (pp, qq) => {
      if (pp === 0) return qq > 0;
      const t = qq / pp;
      if (pp < 0) { if (t > t1) return false; if (t > t0) t0 = t; }
      else { if (t < t0) return false; if (t < t1) t1 = t; }
      return true;
    };
    return clip(-dx, p.x - r.x1) && clip(dx, r.x2 - p.x) && clip(-dy, p.y - r.y1)
      && clip(dy, r.y2 - p.y) && t1 - t0 > 1e-6;
  };
  const drawn = [], hits = [], broken = [], lines = {};
  cy.edges(':visible').forEach(e => {
    const pts = [e.sourceEndpoint(), ...(e.segmentPoints() || []), e.targetEndpoint()];
    const key = [e.data('kind'), e.data('source'), e.data('target')];
    drawn.push(key);
    if (pts.some(p => !Number.isFinite(p.x) || !Number.isFinite(p.y))) { broken.push(key); return; }
    lines[key.join('|')] = pts.map(p => [Math.round(p.x), Math.round(p.y)]);
    for (let i = 0; i + 1 < pts.length; i++) {
      for (const b of boxes) if (crosses(pts[i], pts[i + 1], b)) hits.push([...key, b.id]);
    }
  });
  return { drawn, hits, broken, lines };
}"""

CARDS = """() => [...document.querySelectorAll('#cards .card.person')].map(card => ({
  id: card.dataset.id,
  text: card.querySelector('.card-main').innerText,
  approver: card.classList.contains('approver'),
  icon: [...card.querySelector('.card-stance svg').classList].find(c => c.startsWith('icon-')),
  star: card.querySelector('.card-seat svg.icon-approver') !== null,
}))"""


def open_explorer(
    page: Page,
    server: str,
    key: str,
    account: str = DEMO_ACCOUNT,
    size: tuple[int, int] | None = None,
    extra: str = "",
) -> None:
    if size:
        page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server}/explorer/#key={key}&account={account}{extra}")
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)


def loads(page: Page) -> int:
    return int(page.locator("#graph").get_attribute("data-loads") or "0")


def wait_for_reload(page: Page, before: int) -> None:
    page.wait_for_function(
        "n => Number(document.querySelector('#graph').dataset.loads) > n", arg=before
    )
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready")


def card(page: Page, node_id: str) -> Any:
    return page.locator(f'#cards .card[data-id="{node_id}"]')


def on_screen(page: Page, node_id: str) -> None:
    """Brings a card on screen as a user would before clicking it: the page scrolled to the
    map (narrow screens scroll), the map panned to the card, and a frame for both to settle."""
    page.evaluate(
        """async id => {
          document.querySelector('#graph-wrap').scrollIntoView({ block: 'nearest' });
          window.__explorer.reveal(id);
          await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        }""",
        node_id,
    )


def click_card(page: Page, node_id: str) -> None:
    """Clicks a card where it is drawn, as a user would (the click lands on the map)."""
    on_screen(page, node_id)
    card(page, node_id).locator(".card-main").click(force=True)


def account_ids(api: Api, key: str, external: str = DEMO_ACCOUNT) -> tuple[str, str]:
    """The account and the opportunity the explorer opens first (the first listed)."""
    account = api(key, ACCOUNT, {"externalId": external})["account"]
    return account["id"], account["opportunities"]["edges"][0]["node"]["id"]


def api_graph(api: Api, key: str, account_id: str, opportunity_id: str) -> dict[str, Any]:
    graph: dict[str, Any] = api(
        key, GRAPH, {"accountId": account_id, "opportunityId": opportunity_id}
    )["accountGraph"]
    return graph


def api_plan(api: Api, key: str, opportunity_id: str) -> dict[str, Any]:
    plan: dict[str, Any] = api(key, PLAN, {"opportunityId": opportunity_id})["coachingPlan"]
    return plan


def committee_first(graph: dict[str, Any], plan: dict[str, Any]) -> set[str]:
    """Who the map must open on: the committee and everyone on the plan's paths."""
    seated = {n["id"] for n in graph["nodes"] if n["kind"] == "Stakeholder" and n["role"]}
    on_paths = {step["id"] for play in plan["plan"] for step in play["path"]}
    return seated | on_paths


def new_person(api: Api, key: str, account_id: str, name: str, **fields: Any) -> str:
    result = api(key, CREATE_PERSON, {"input": {"accountId": account_id, "name": name, **fields}})
    person: str = result["createStakeholder"]["id"]
    return person


def shown(page: Page) -> set[str]:
    return set(page.evaluate("() => window.__explorer.shown()"))


def find(page: Page, name: str) -> None:
    """Finds someone with the search box and opens them (the map may move to show them)."""
    page.locator("#person-search").fill(name)
    page.keyboard.press("Enter")
    expect(
        page.locator('#edit-panel form[data-form="stakeholder"] input[name="name"]')
    ).to_have_value(name)
    page.wait_for_timeout(300)


# --- the map ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "label"), [("acct-harborline", "harborline"), ("acct-krackhardt", "silverline")]
)
def test_the_committee_opens_first_readable_and_no_line_runs_under_a_card(
    page: Page, server: str, demo_keys: Any, api: Api, account: str, label: str
) -> None:
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    open_explorer(page, server, demo_keys.editor, account, size=VIEWPORTS["laptop"])
    account_id, opportunity_id = account_ids(api, demo_keys.editor, account)
    graph = api_graph(api, demo_keys.editor, account_id, opportunity_id)
    plan = api_plan(api, demo_keys.editor, opportunity_id)

    people = {n["id"] for n in graph["nodes"] if n["kind"] == "Stakeholder"}
    assert shown(page) == committee_first(graph, plan)
    page.locator("#fit").click()
    smallest = page.evaluate("() => window.__explorer.smallestTextPx()")
    assert smallest >= 12, f"card text is {smallest:.1f} px after Fit at 1280x720"
    # the card text really is that size on screen (the DOM, not just the zoom)
    rendered = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('#cards .card-title')].map(
             e => parseFloat(getComputedStyle(e).fontSize) * e.getBoundingClientRect().height
                  / e.offsetHeight))"""
    )
    assert rendered >= 12

    drawn = page.evaluate(GEOMETRY)
    on_map = shown(page) | {n["id"] for n in graph["nodes"] if n["kind"] == "Alternative"}
    expected = sorted(
        [e["kind"], e["source"], e["target"]]
        for e in graph["edges"]
        if e["source"] in on_map and e["target"] in on_map
    )
    assert sorted(drawn["drawn"]) == expected  # every line among the people shown, none vanished
    assert drawn["broken"] == []
    assert drawn["hits"] == [], f"lines under cards: {drawn['hits'][:5]}"
    assert not [w for w in warnings if "invalid endpoints" in w]
    # two people who influence each other are two separate lines
    influences = {(e["source"], e["target"]) for e in graph["edges"] if e["kind"] == "INFLUENCES"}
    for a, b in influences:
        if (b, a) in influences and {a, b} <= on_map:
            assert (
                drawn["lines"][f"INFLUENCES|{a}|{b}"] != drawn["lines"][f"INFLUENCES|{b}|{a}"][::-1]
            )
    assert shown(page) <= people
    assert page.errors == []  # type: ignore[attr-defined]
    screenshot(page, f"explorer-{label}-laptop")


def test_silverline_draws_its_strong_reciprocal_influences(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    """Six 0.70-0.90 influences between people who influence each other used to be skipped."""
    open_explorer(page, server, demo_keys.editor, "acct-krackhardt", size=VIEWPORTS["wide"])
    page.locator("#show-everyone").click()
    account_id, opportunity_id = account_ids(api, demo_keys.editor, "acct-krackhardt")
    graph = api_graph(api, demo_keys.editor, account_id, opportunity_id)
    strong = {
        (e["source"], e["target"])
        for e in graph["edges"]
        if e["kind"] == "INFLUENCES" and (e["weight"] or 0) >= 0.7
    }
    reciprocal = {pair for pair in strong if pair[::-1] in strong}
    assert len(reciprocal) >= 6
    drawn = page.evaluate(GEOMETRY)
    assert drawn["broken"] == []
    assert drawn["hits"] == []
    lines = drawn["lines"]
    for a, b in reciprocal:
        assert f"INFLUENCES|{a}|{b}" in lines
    screenshot(page, "explorer-silverline-everyone")


def test_cards_say_who_people_are_in_words_and_icons(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline")
    account_id, opportunity_id = account_ids(api, demo_keys.editor, "acct-harborline")
    nodes = {
        n["id"]: n for n in api_graph(api, demo_keys.editor, account_id, opportunity_id)["nodes"]
    }
    stance_words = {
        "CHAMPION": "Champion",
        "SUPPORTER": "Supporter",
        "NEUTRAL": "Neutral",
        "UNKNOWN": "Unknown",
        "SKEPTIC": "Skeptic",
        "BLOCKER": "Blocker",
    }
    icons: dict[str, set[str]] = {}
    for drawn in page.evaluate(CARDS):
        node = nodes[drawn["id"]]
        text = drawn["text"]
        assert node["label"] in text
        if node["title"]:
            assert node["title"] in text
        if node["role"]:
            assert node["role"].replace("_", " ").lower() in text.lower()
            assert stance_words[node["stance"]] in text
            icons.setdefault(node["stance"], set()).add(drawn["icon"])
        else:
            assert "Not on committee" in text
        # approvers come from the API's rule, marked by a border and a star
        assert drawn["approver"] is node["isApprover"]
        assert drawn["star"] is node["isApprover"]
    # one icon per stance, a different one for each
    assert all(len(found) == 1 for found in icons.values())
    assert len({next(iter(found)) for found in icons.values()}) == len(icons)


def test_choosing_an_approver_draws_the_best_play_path_in_view(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, size=VIEWPORTS["laptop"])
    _, opportunity_id = account_ids(api, demo_keys.editor)
    plan = api_plan(api, demo_keys.editor, opportunity_id)
    chosen = max(
        (a for a in plan["approvers"] if a["plays"]), key=lambda a: len(a["plays"][0]["path"])
    )
    best = chosen["plays"][0]
    path = [p["id"] for p in best["path"]]

    page.locator(f'button.approver[data-approver-id="{chosen["approver"]["id"]}"]').click()
    page.wait_for_timeout(400)  # the view moves to the path

    marked = page.evaluate(
        """() => ({
          steps: [...document.querySelectorAll('#cards .card.on-path')]
            .map(c => [c.dataset.id, Number(c.dataset.step)]),
          edges: window.__explorer.cy.edges('.path-edge')
            .map(e => [e.data('source'), e.data('target'), e.data('kind')]),
        })"""
    )
    assert sorted(marked["steps"], key=lambda s: s[1]) == [
        [pid, i + 1] for i, pid in enumerate(path)
    ]
    assert marked["edges"] == [[a, b, "INFLUENCES"] for a, b in itertools.pairwise(path)]
    # every card and line of the path is on screen, and each line is long enough to see
    box = page.locator("#graph").bounding_box()
    assert box is not None
    for person in path:
        rect = card(page, person).bounding_box()
        assert rect is not None
        assert box["x"] - 1 <= rect["x"]
        assert rect["x"] + rect["width"] <= box["x"] + box["width"] + 1
        assert box["y"] - 1 <= rect["y"]
        assert rect["y"] + rect["height"] <= box["y"] + box["height"] + 1
    visible = page.evaluate(
        """() => window.__explorer.cy.edges('.path-edge').map(e => {
             const b = e.renderedBoundingBox({ includeLabels: false });
             return Math.max(b.w, b.h);
           })"""
    )
    assert visible
    assert min(visible) >= 12
    expect(page.get_by_test_id("explanation")).to_have_text(best["explanation"])
    if best["argument"]["talkTrack"]:
        expect(page.get_by_test_id("talk-track")).to_have_text(best["argument"]["talkTrack"])
    expect(page.get_by_test_id("threats")).to_be_visible()
    assert page.locator("#win").get_attribute("data-before")
    shot = screenshot(page, "explorer-plan-highlight")
    if os.environ.get("FLAGBEARER_UPDATE_README_SCREENSHOT") == "1":  # tests leave docs/ alone
        shutil.copyfile(shot, PROJECT_ROOT / "docs" / "explorer.png")


def test_the_plan_lists_approvers_riskiest_first_and_says_when_a_best_play_is_left_out(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-corvane")
    _, opportunity_id = account_ids(api, demo_keys.editor, "acct-corvane")
    plan = api_plan(api, demo_keys.editor, opportunity_id)
    order = ["UNCOVERED", "WEAK", "COVERED", "SECURED"]
    statuses = page.locator("button.approver").evaluate_all("bs => bs.map(b => b.dataset.status)")
    assert statuses == sorted(statuses, key=order.index)
    assert len(statuses) == len(plan["approvers"])

    planned = {
        (p["champion"]["id"], p["argument"]["id"], p["approver"]["id"]) for p in plan["plan"]
    }
    left_out = [
        a
        for a in plan["approvers"]
        if a["plays"]
        and (a["plays"][0]["champion"]["id"], a["plays"][0]["argument"]["id"], a["approver"]["id"])
        not in planned
    ]
    assert left_out, "Corvane's economic buyer has a best play the plan leaves out"
    page.locator(f'button.approver[data-approver-id="{left_out[0]["approver"]["id"]}"]').click()
    note = page.get_by_test_id("best-play").get_by_test_id("not-in-plan")
    expect(note).to_contain_text("Not in the plan")
    capabilities = page.locator("body").get_attribute("data-capabilities") or ""
    if "planExclusion" in capabilities:
        expect(note).not_to_have_attribute("data-reason", "")
    else:  # a neutral word until the API says why; the explorer does not guess
        expect(note).to_contain_text("does not say why")
    in_plan = next(
        a
        for a in plan["approvers"]
        if a["plays"]
        and (a["plays"][0]["champion"]["id"], a["plays"][0]["argument"]["id"], a["approver"]["id"])
        in planned
    )
    page.locator(f'button.approver[data-approver-id="{in_plan["approver"]["id"]}"]').click()
    expect(page.get_by_test_id("best-play").get_by_test_id("in-plan")).to_be_visible()


def test_the_plan_exports_as_csv_and_as_a_printed_brief_per_champion(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    _, opportunity_id = account_ids(api, demo_keys.editor)
    plan = api_plan(api, demo_keys.editor, opportunity_id)["plan"]
    assert plan

    with page.expect_download() as download:
        page.locator("[data-action=export-csv]").click()
    assert download.value.suggested_filename.endswith("-plan.csv")
    text = Path(download.value.path()).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["Champion"], r["Argument"], r["Approver"]) for r in rows] == [
        (p["champion"]["name"], p["argument"]["title"], p["approver"]["name"]) for p in plan
    ]
    assert [r["Path"] for r in rows] == [" → ".join(s["name"] for s in p["path"]) for p in plan]

    page.locator("[data-action=print-briefs]").click()
    champions = list(dict.fromkeys(p["champion"]["id"] for p in plan))
    briefs = page.locator("#print-briefs article.brief")
    expect(briefs).to_have_count(len(champions))
    for champion_id, brief in zip(champions, briefs.all(), strict=True):
        assert brief.get_attribute("data-champion-id") == champion_id
        mine = [p for p in plan if p["champion"]["id"] == champion_id]
        text = brief.inner_text()
        for play in mine:
            assert play["approver"]["name"] in text
            assert play["argument"]["title"] in text
            if play["argument"]["talkTrack"]:
                assert play["argument"]["talkTrack"] in text
    screenshot(page, "explorer-briefs")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= len(champions)
    page.emulate_media(media="screen")


# --- finding people, more people, the list -----------------------------------------------------


def test_search_finds_anyone_and_brings_them_onto_the_map(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline", size=VIEWPORTS["laptop"])
    account_id, opportunity_id = account_ids(api, demo_keys.editor, "acct-harborline")
    graph = api_graph(api, demo_keys.editor, account_id, opportunity_id)
    hidden = next(
        n
        for n in graph["nodes"]
        if n["kind"] == "Stakeholder" and n["id"] not in shown(page) and n["title"]
    )
    search = page.locator("#person-search")
    search.focus()
    page.keyboard.type(hidden["title"])  # by title …
    expect(
        page.locator("#search-results [role=option]").filter(has_text=hidden["label"])
    ).to_have_count(1)
    search.fill("")
    page.keyboard.type(hidden["label"])  # … and by name
    expect(page.locator("#search-results [role=option]").first).to_contain_text(hidden["label"])
    page.keyboard.press("Enter")
    expect(card(page, hidden["id"])).to_be_visible()
    expect(card(page, hidden["id"])).to_have_class(re.compile(r"\bselected\b"))
    expect(
        page.locator('#edit-panel form[data-form="stakeholder"] input[name="name"]')
    ).to_have_value(hidden["label"])
    assert (
        page.evaluate("() => document.activeElement.closest('.card')?.dataset.id") == hidden["id"]
    )


def test_a_neighbourhood_opens_and_an_org_branch_folds(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-harborline")
    account_id, opportunity_id = account_ids(api, demo_keys.editor, "acct-harborline")
    graph = api_graph(api, demo_keys.editor, account_id, opportunity_id)
    before = shown(page)
    people = {n["id"] for n in graph["nodes"] if n["kind"] == "Stakeholder"}
    neighbours: dict[str, set[str]] = {}
    for e in graph["edges"]:
        if e["source"] in people and e["target"] in people:
            neighbours.setdefault(e["source"], set()).add(e["target"])
            neighbours.setdefault(e["target"], set()).add(e["source"])
    person = max(before, key=lambda p: len(neighbours.get(p, set()) - before))
    missing = neighbours[person] - before
    assert missing
    more = card(page, person).locator(".card-more")
    expect(more).to_have_text(f"+{len(missing)}")
    on_screen(page, person)
    more.click()
    assert shown(page) == before | missing
    expect(card(page, person).locator(".card-more")).to_have_count(0)
    # the newcomers fill free cells around the person: lines still keep clear of every card
    drawn = page.evaluate(GEOMETRY)
    assert drawn["broken"] == []
    assert drawn["hits"] == []

    reports = {e["source"]: e["target"] for e in graph["edges"] if e["kind"] == "REPORTS_TO"}
    managers = [m for m in shown(page) if any(reports.get(r) == m for r in shown(page))]
    manager = managers[0]
    fold = card(page, manager).locator(".card-fold")
    on_screen(page, manager)
    fold.click()
    folded = shown(page)
    assert not any(reports.get(p) == manager for p in folded)
    expect(card(page, manager).locator(".card-fold")).to_have_attribute("aria-expanded", "false")
    on_screen(page, manager)
    card(page, manager).locator(".card-fold").click()
    assert shown(page) == before | missing


def test_the_list_view_works_by_keyboard_alone(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-corvane", size=VIEWPORTS["laptop"])
    _, opportunity_id = account_ids(api, demo_keys.editor, "acct-corvane")
    plan = api_plan(api, demo_keys.editor, opportunity_id)

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    page.locator("body").focus()
    tab_to("#skip-to-list")
    page.keyboard.press("Enter")
    expect(page.locator("#list-view")).to_be_visible()
    expect(page.locator("#map-view")).to_be_hidden()
    table = page.get_by_test_id("committee-table")
    expect(table.locator("caption")).to_contain_text("Committee of")

    tab_to('button.sort[data-sort="name"]')
    page.keyboard.press("Enter")
    expect(page.locator('th:has(button.sort[data-sort="name"])')).to_have_attribute(
        "aria-sort", "ascending"
    )
    names = page.locator(".committee-table tbody th .person-name").all_inner_texts()
    assert names == sorted(names)
    page.keyboard.press("Enter")  # focus stays on the header: sort the other way
    expect(page.locator('th:has(button.sort[data-sort="name"])')).to_have_attribute(
        "aria-sort", "descending"
    )
    assert page.locator(".committee-table tbody th .person-name").all_inner_texts() == sorted(
        names, reverse=True
    )

    first = page.locator(".committee-table tbody tr").first
    first_id = first.get_attribute("data-id")
    tab_to(f'tr[data-id="{first_id}"] button[data-action="details"]')
    page.keyboard.press("Enter")
    expect(page.locator('#edit-panel form[data-form="stakeholder"]')).to_be_visible()
    expect(page.locator("#tab-edit")).to_have_attribute("aria-selected", "true")

    # the map's actions from the list: an approver's best path
    approver = next(a for a in plan["approvers"] if a["plays"])
    page.locator("#view-list").focus()
    page.keyboard.press("Enter")
    tab_to(f'tr[data-id="{approver["approver"]["id"]}"] button[data-action="path"]')
    page.keyboard.press("Enter")
    expect(page.locator("#map-view")).to_be_visible()
    path = [p["id"] for p in approver["plays"][0]["path"]]
    expect(page.locator("#graph")).to_have_attribute("data-path", ",".join(path))
    screenshot(page, "explorer-list-keyboard")


def test_the_map_works_by_keyboard_too(page: Page, server: str, demo_keys: Any) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-corvane")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.matches('.card-main') ?? false"):
            break
    first = page.evaluate("() => document.activeElement.closest('.card').dataset.id")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("() => document.activeElement.closest('.card')?.dataset.id")
    assert second
    assert second != first
    page.keyboard.press("Enter")
    expect(card(page, second)).to_have_class(re.compile(r"\bselected\b"))
    name = page.evaluate("id => window.__explorer.state.model.nodes.get(id).label", second)
    expect(
        page.locator('#edit-panel form[data-form="stakeholder"] input[name="name"]')
    ).to_have_value(name)
    # one tab stop for the whole map: Tab leaves it rather than walking every card
    page.locator(f'#cards .card[data-id="{second}"] .card-main').focus()
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement?.matches('.card-main') ?? false")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_accessibility_problems(
    page: Page, server: str, demo_keys: Any, api: Api, viewport: str
) -> None:
    """axe-core (from npm, injected into the page) finds nothing serious or critical."""
    open_explorer(page, server, demo_keys.editor, "acct-harborline", size=VIEWPORTS[viewport])
    page.evaluate(AXE.read_text("utf-8") + "\n;undefined")

    def scan(state: str) -> None:
        found = page.evaluate(
            """async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
            }"""
        )
        assert found == [], f"{state} at {viewport}: {json.dumps(found, indent=1)}"

    scan("map")
    page.locator("button.approver").first.click()
    scan("plan detail")
    click_card(page, page.evaluate("() => window.__explorer.shown()[0]"))
    expect(page.locator('#edit-panel form[data-form="stakeholder"]')).to_be_visible()
    scan("details")
    page.locator("#view-list").click()
    scan("list")
    screenshot(page, f"explorer-a11y-{viewport}")


def test_the_arrangement_and_the_view_survive_a_reload(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor, "acct-tessaro")
    start = page.evaluate(
        """() => window.__explorer.shown().map(id => {
             const n = window.__explorer.cy.getElementById(id);
             return [id, n.position().x, n.position().y];
           })"""
    )
    moved, x, y = start[0]
    # drag the first card two cells to the right and one down, onto the empty grid
    target = page.evaluate(
        """([id]) => {
          const cy = window.__explorer.cy, n = cy.getElementById(id);
          const p = n.renderedPosition(), box = cy.container().getBoundingClientRect();
          const z = cy.zoom(), cell = window.__explorer.cell;
          return { from: [box.left + p.x, box.top + p.y],
                   to: [box.left + p.x + 2 * cell.w * z, box.top + p.y + 3 * cell.h * z] };
        }""",
        [moved],
    )
    page.mouse.move(*target["from"])
    page.mouse.down()
    page.mouse.move(*target["to"], steps=8)
    page.mouse.up()
    after = page.evaluate("id => window.__explorer.cy.getElementById(id).position()", moved)
    assert (after["x"], after["y"]) != (x, y)
    assert page.evaluate(GEOMETRY)["hits"] == []  # lines are routed again around the moved card
    page.wait_for_timeout(600)  # the arrangement is saved shortly after the last change
    page.locator("#view-list").click()

    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    expect(page.locator("#list-view")).to_be_visible()
    page.locator("#view-map").click()
    again = page.evaluate("id => window.__explorer.cy.getElementById(id).position()", moved)
    assert (again["x"], again["y"]) == (after["x"], after["y"])
    assert page.evaluate(
        "() => Object.keys(localStorage).some(k => k.startsWith('flagbearer.explorer.'))"
    )


# --- editing ---------------------------------------------------------------------------------


def test_a_drawn_influence_with_a_decimal_comma_is_saved_and_the_new_form_closes(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    account_id, _ = account_ids(api, demo_keys.editor)
    source = new_person(api, demo_keys.editor, account_id, "Ines Duarte")
    target = new_person(api, demo_keys.editor, account_id, "Jonas Weber")
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    find(page, "Ines Duarte")
    find(page, "Jonas Weber")

    page.locator("#draw-influence").click()
    click_card(page, source)
    expect(page.locator("#mode-hint")).to_contain_text("now click")
    click_card(page, target)
    form = page.locator('form[data-form="new-influence"]')
    expect(form).to_be_visible()
    form.locator('input[name="strength"]').fill("0,8")
    form.locator('input[name="topics"][value="RISK"]').check()
    form.locator('textarea[name="evidence"]').fill("Seen in the steering meeting")
    reloads = loads(page)
    form.locator('button[data-action="create-edge"]').click()
    wait_for_reload(page, reloads)

    expect(form).to_have_count(0)  # the "New…" form is gone; the saved influence is shown
    saved = page.locator('form[data-form="influence"]')
    expect(saved.locator(".form-status")).to_contain_text("Created")
    expect(saved.locator('input[name="strength"]')).to_have_value("0.8")
    stored = api(demo_keys.editor, STAKEHOLDER, {"id": source})["stakeholder"]["influences"]
    assert stored == [
        {
            "to": {"id": target},
            "strength": pytest.approx(0.8),
            "topics": ["RISK"],
            "evidence": "Seen in the steering meeting",
        }
    ]
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    assert page.evaluate(
        """([s, t]) => window.__explorer.cy.edges()
             .some(e => e.data('source') === s && e.data('target') === t)""",
        [source, target],
    )
    # hovering it tells its topics and evidence (read when looked at)
    page.evaluate(
        """([s, t]) => { window.__explorer.cy.edges()
             .filter(e => e.data('source') === s && e.data('target') === t).emit('mouseover'); }""",
        [source, target],
    )
    expect(page.locator("#tooltip")).to_contain_text(
        "Ines Duarte influences Jonas Weber (strength 0.80)"
    )
    expect(page.locator("#tooltip")).to_contain_text("Topics: risk")
    expect(page.locator("#tooltip")).to_contain_text("Evidence: Seen in the steering meeting")


def test_a_strength_of_two_is_refused_next_to_the_field_in_plain_words(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    account_id, _ = account_ids(api, demo_keys.editor)
    source = new_person(api, demo_keys.editor, account_id, "Paula Lind")
    target = new_person(api, demo_keys.editor, account_id, "Omar Haddad")
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    find(page, "Paula Lind")
    chooser = page.locator('form[data-form="new-edge-chooser"]')
    chooser.locator("#new-edge-target").select_option(target)
    chooser.locator('button[data-action="new-edge"]').click()
    form = page.locator('form[data-form="new-influence"]')
    reloads = loads(page)
    for value in ("2", ""):
        form.locator('input[name="strength"]').fill(value)
        form.locator('button[data-action="create-edge"]').click()
        error = form.locator('[data-error-for="strength"]')
        expect(error).to_be_visible()
        expect(error).to_contain_text("Strength")
        assert not INTERNAL_ID.search(error.inner_text())
        expect(form.locator('[data-field="strength"]')).to_have_class(re.compile(r"\binvalid\b"))
        expect(form.locator('input[name="strength"]')).to_have_attribute("aria-invalid", "true")
    assert api(demo_keys.editor, STAKEHOLDER, {"id": source})["stakeholder"]["influences"] == []
    assert loads(page) == reloads  # nothing was redrawn: the map is as it was
    screenshot(page, "explorer-refused-strength")


def test_an_empty_name_and_a_bad_email_are_refused_before_sending(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    account_id, _ = account_ids(api, demo_keys.editor)
    person = new_person(api, demo_keys.editor, account_id, "Greta Holm", email="greta@example.com")
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    find(page, "Greta Holm")
    form = page.locator('form[data-form="stakeholder"]')
    sent: list[str] = []
    page.on(
        "request", lambda r: sent.append(r.post_data or "") if r.url.endswith("/graphql") else None
    )
    form.locator('input[name="name"]').fill("")
    form.locator('input[name="email"]').fill("greta at example")
    form.locator('button[data-action="save"]').click()
    expect(form.locator('[data-error-for="name"]')).to_have_text("Name is required.")
    expect(form.locator('[data-error-for="email"]')).to_contain_text("not a valid e-mail address")
    assert not [body for body in sent if "updateStakeholder" in body]
    stored = api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"]
    assert (stored["name"], stored["email"]) == ("Greta Holm", "greta@example.com")


def test_saving_reloads_the_form_and_says_so(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    account_id, _ = account_ids(api, demo_keys.editor)
    person = new_person(api, demo_keys.editor, account_id, "Hugo Brandt", title="Head of Nursing")
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    find(page, "Hugo Brandt")
    form = page.locator('form[data-form="stakeholder"]')
    form.locator('input[name="title"]').fill("  Chief Nursing Officer ")
    reloads = loads(page)
    form.locator('button[data-action="save"]').click()
    wait_for_reload(page, reloads)
    form = page.locator('form[data-form="stakeholder"]')
    expect(form.locator(".form-status")).to_contain_text("Saved")
    expect(form.locator('input[name="title"]')).to_have_value("Chief Nursing Officer")  # as stored
    assert (
        api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"]["title"]
        == "Chief Nursing Officer"
    )
    expect(card(page, person)).to_contain_text("Chief Nursing Officer")
    form.locator('button[data-action="save"]').click()
    expect(form.locator(".form-status")).to_contain_text("Nothing to save")


def test_adding_to_the_committee_updates_the_panel_and_the_plan(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.editor)
    _, opportunity_id = account_ids(api, demo_keys.editor)

    page.locator("#add-stakeholder").click()
    form = page.locator('form[data-form="new-stakeholder"]')
    form.locator('input[name="name"]').fill("Priya Raman")
    form.locator('input[name="title"]').fill("Chief Medical Officer")
    form.locator('select[name="seniority"]').select_option("C_LEVEL")
    reloads = loads(page)
    form.locator('button[data-action="create"]').click()
    wait_for_reload(page, reloads)

    seat = page.locator('form[data-form="seat"]')
    expect(seat.locator("h3")).to_have_text("Not on this committee")
    expect(page.locator('form[data-form="stakeholder"] .form-status')).to_contain_text("Created")
    person_id = page.evaluate(
        "() => window.__explorer.state.model.people.find(n => n.label === 'Priya Raman').id"
    )
    seat.locator('select[name="role"]').select_option("APPROVER")
    seat.locator('select[name="stance"]').select_option("SKEPTIC")
    seat.locator('textarea[name="stanceEvidence"]').fill("Asked twice about the rollout risk")
    reloads = loads(page)
    seat.locator('button[data-action="create-seat"]').click()
    wait_for_reload(page, reloads)

    seat = page.locator('form[data-form="seat"]')
    expect(seat.locator("h3")).to_have_text("Committee seat")  # the panel follows the change
    expect(seat.locator(".form-status")).to_contain_text("Added to the committee")
    expect(seat.locator('button[data-action="save-seat"]')).to_be_visible()
    stored = api(demo_keys.editor, STAKEHOLDER, {"id": person_id})["stakeholder"]["seats"]
    assert [
        (s["opportunity"]["id"], s["role"], s["stance"], s["stanceEvidence"]) for s in stored
    ] == [(opportunity_id, "APPROVER", "SKEPTIC", "Asked twice about the rollout risk")]
    page.locator("#tab-plan").click()
    expect(page.locator(f'button.approver[data-approver-id="{person_id}"]')).to_be_visible()
    expect(card(page, person_id)).to_have_class(re.compile(r"\bapprover\b"))
    screenshot(page, "explorer-edit-seat")


def test_a_deleted_persons_form_closes(page: Page, server: str, demo_keys: Any, api: Api) -> None:
    open_explorer(page, server, demo_keys.editor)
    account_id, _ = account_ids(api, demo_keys.editor)
    person = new_person(api, demo_keys.editor, account_id, "Lars Berg")
    page.reload()
    expect(page.locator("#graph")).to_have_attribute("data-state", "ready", timeout=30_000)
    find(page, "Lars Berg")
    delete = page.locator('form[data-form="stakeholder"] button[data-action="delete"]')
    delete.click()
    expect(delete).to_have_text("Click again to delete Lars Berg")
    reloads = loads(page)
    delete.click()
    wait_for_reload(page, reloads)
    expect(page.locator('form[data-form="stakeholder"]')).to_have_count(0)
    expect(page.get_by_test_id("panel-note")).to_have_text("Deleted Lars Berg.")
    assert api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"] is None
    assert person not in shown(page)


def test_a_second_editor_sees_a_conflict_instead_of_overwriting(
    browser: Browser, server: str, demo_keys: Any, api: Api
) -> None:
    """Two editors on one record: the second save is refused with a clear conflict; the second
    editor can look at the first one's version, or save theirs anyway, knowingly."""
    account_id, _ = account_ids(api, demo_keys.editor)
    person = new_person(api, demo_keys.editor, account_id, "Nina Petrov", title="CFO")
    contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        errors: list[str] = []
        for tab in (first, second):
            tab.on("pageerror", lambda error: errors.append(str(error)))
            open_explorer(tab, server, demo_keys.editor)
            capabilities = (tab.locator("body").get_attribute("data-capabilities") or "").split()
            assert "stakeholder" in capabilities  # the server takes expectedUpdatedAt
            find(tab, "Nina Petrov")
            expect(tab.locator('form[data-form="stakeholder"] input[name="title"]')).to_have_value(
                "CFO"
            )

        def save_title(tab: Page, title: str) -> Any:
            form = tab.locator('form[data-form="stakeholder"]')
            form.locator('input[name="title"]').fill(title)
            form.locator('button[data-action="save"]').click()
            return form

        save_title(first, "Chief Financial Officer")
        expect(first.locator('form[data-form="stakeholder"] .form-status')).to_contain_text("Saved")

        form = save_title(second, "Finance Director")
        conflict = form.locator('[data-error-for="_form"]')
        expect(conflict).to_have_attribute("data-code", "EDIT_CONFLICT")
        expect(conflict).to_contain_text("changed Nina Petrov")
        expect(conflict).to_contain_text("Your changes were not saved")
        assert not INTERNAL_ID.search(conflict.inner_text())
        title = api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"]["title"]
        assert title == "Chief Financial Officer"  # the first save was not overwritten
        conflict.locator('button[data-action="reload"]').click()
        expect(second.locator('form[data-form="stakeholder"] input[name="title"]')).to_have_value(
            "Chief Financial Officer"
        )
        screenshot(second, "explorer-edit-conflict")

        # again, and this time the second editor keeps theirs
        save_title(first, "CFO and COO")
        expect(first.locator('form[data-form="stakeholder"] .form-status')).to_contain_text("Saved")
        form = save_title(second, "Group Finance Director")
        conflict = form.locator('[data-error-for="_form"]')
        expect(conflict).to_have_attribute("data-code", "EDIT_CONFLICT")
        conflict.locator('button[data-action="overwrite"]').click()
        expect(second.locator('form[data-form="stakeholder"] .form-status')).to_contain_text(
            "Saved"
        )
        title = api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"]["title"]
        assert title == "Group Finance Director"

        # the first editor's form is now out of date: deleting from it is refused too
        delete = first.locator('form[data-form="stakeholder"] button[data-action="delete"]')
        delete.click()
        delete.click()
        conflict = first.locator('form[data-form="stakeholder"] [data-error-for="_form"]')
        expect(conflict).to_have_attribute("data-code", "EDIT_CONFLICT")
        expect(conflict).to_contain_text("so it was not deleted")
        assert api(demo_keys.editor, STAKEHOLDER, {"id": person})["stakeholder"] is not None
        conflict.locator('button[data-action="reload"]').click()
        expect(first.locator('form[data-form="stakeholder"] input[name="title"]')).to_have_value(
            "Group Finance Director"
        )
        assert errors == []
    finally:
        for context in contexts:
            context.close()


def test_a_viewer_key_sees_the_map_but_cannot_edit(
    page: Page, server: str, demo_keys: Any, api: Api
) -> None:
    open_explorer(page, server, demo_keys.viewer)
    expect(page.locator("#role-badge")).to_have_text("viewer key")
    expect(page.locator("#viewer-note")).to_be_visible()
    for control in ("#add-stakeholder", "#draw-influence", "#draw-conflict"):
        expect(page.locator(control)).to_be_disabled()

    account_id, opportunity_id = account_ids(api, demo_keys.viewer)
    graph = api_graph(api, demo_keys.viewer, account_id, opportunity_id)
    person = next(n for n in graph["nodes"] if n["kind"] == "Stakeholder" and n["role"])
    click_card(page, person["id"])
    form = page.locator('form[data-form="stakeholder"]')
    expect(form).to_be_visible()
    expect(form.locator(".readonly-note")).to_contain_text("viewer")
    expect(form.locator('input[name="name"]')).to_be_disabled()
    expect(form.locator('button[data-action="save"]')).to_be_disabled()
    expect(page.locator('form[data-form="seat"] select[name="stance"]')).to_be_disabled()
    expect(page.locator('form[data-form="new-edge-chooser"]')).to_have_count(0)
    # a viewer reads freshness but cannot mark anything verified; a what-if only reads
    expect(page.locator('#edit-panel button[data-action="verify-person"]')).to_be_disabled()
    page.locator("#tab-plan").click()
    expect(page.locator('[data-action="mark-committee-verified"]')).to_be_disabled()
    page.locator('.what-if-picker input[name="without"]').first.check()
    page.locator('button[data-action="run-what-if"]').click()
    expect(page.locator(".what-if-summary")).to_contain_text("Win with the plan")
    screenshot(page, "explorer-viewer")


def test_a_refused_key_asks_for_another(page: Page, server: str) -> None:
    page.goto(f"{server}/explorer/#key=fbk_not_a_real_key&account={DEMO_ACCOUNT}")
    expect(page.locator("#key-dialog")).to_be_visible()
    expect(page.locator("#key-error")).to_contain_text("refused")
    assert page.evaluate("() => sessionStorage.getItem('flagbearer.apiKey')") is None
