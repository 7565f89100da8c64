"""schema/schema.graphql is the exported SDL; regenerate with `graph-api schema`."""

from pathlib import Path

from graph_api.api.schema import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    assert SDL.read_text("utf-8") == schema.as_str() + "\n", (
        "schema/schema.graphql drifted: run `.venv/bin/graph-api schema > schema/schema.graphql`"
    )


def test_design_names_are_in_the_schema() -> None:
    sdl = schema.as_str()
    for name in (
        "coachingPlan(",
        "influencePaths(",
        "accountGraph(",
        "node(id: ID!)",
        "playbook:",
        "type CoachingPlan",
        "type ApproverAssessment",
        "type Play",
        "type Threat",
        "type DevelopCandidate",
        "winProbabilityWithPlan",
        "developCandidates",
    ):
        assert name in sdl, name
