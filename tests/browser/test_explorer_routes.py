"""/explorer without a browser: the page, its assets, and a clear 503 before it is built."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from graph_api.api.explorer import explorer_routes


def _client(dist: Path) -> httpx.AsyncClient:
    app = Starlette(routes=explorer_routes(dist))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_the_page_and_its_assets_are_served_from_dist(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>explorer</title>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    async with _client(tmp_path) as client:
        for path in ("/explorer", "/explorer/", "/explorer/index.html"):
            page = await client.get(path)
            assert page.status_code == 200, path
            assert "<title>explorer</title>" in page.text
            assert "default-src 'self'" in page.headers["content-security-policy"]
        asset = await client.get("/explorer/assets/index-abc.js")
        assert asset.status_code == 200
        assert asset.text == "console.log(1)"
        assert (await client.get("/explorer/assets/missing.js")).status_code == 404
        assert (await client.get("/explorer/assets/%2e%2e/%2e%2e/secret")).status_code == 404


async def test_an_unbuilt_explorer_answers_503_with_the_build_command(tmp_path: Path) -> None:
    async with _client(tmp_path / "dist") as client:
        for path in ("/explorer", "/explorer/", "/explorer/assets/index.js"):
            response = await client.get(path)
            assert response.status_code == 503, path
            assert "scripts/build-explorer" in response.text
