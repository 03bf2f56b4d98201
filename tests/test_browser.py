"""The product as a person meets it: Debian's Chromium, driven by Playwright, against the app
served on loopback with the real local model (transformers).

Saves screenshots and the measured timings under tests/artifacts/.
"""

import json
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from qa.render import parse_ref

from .ui_server import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page_and_requests(generating_engine, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with serve(generating_engine) as url, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        page.wait_for_selector("#qa-question textarea")
        yield page, requests, generating_engine
        context.close()


def ask(page, question: str) -> tuple[float, float]:
    """Submit a question; seconds to the first visible token and to the complete answer."""
    count = page.locator(".qa-timing").count()
    page.fill("#qa-question textarea", question)
    started = time.perf_counter()
    page.click("#qa-ask")
    page.wait_for_function(
        """(n) => { const d = document.querySelectorAll('.qa-draft'); const last = d[d.length - 1];
                    const done = [...document.querySelectorAll('.qa-timing')].filter(e => !e.textContent.includes('composing')).length > n;
                    return done || (last && last.textContent.trim().length > 1 && last.textContent.trim() !== '…'); }""",
        arg=count,
        timeout=120_000,
    )
    first = time.perf_counter() - started
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('.qa-timing')].filter(e => !e.textContent.includes('composing')).length > n",
        arg=count,
        timeout=120_000,
    )
    return first, time.perf_counter() - started


def test_ask_click_citation_and_see_the_quote(page_and_requests) -> None:
    page, _, engine = page_and_requests
    first, total = ask(page, "What did NATO say about North Korea in 2017?")
    answer = page.locator(".qa-answer").last
    assert "North Korea" in answer.inner_text()
    link = page.locator(".qa-answer a.qa-cite").last
    ref = parse_ref(link.get_attribute("href"))
    link.click()
    page.wait_for_selector("#qa-source mark.qa-hl")
    highlighted = page.locator("#qa-source mark.qa-hl").inner_text()
    doc = engine.index.documents[ref[0]]
    assert highlighted.split() == doc.text[ref[1] : ref[2]].split()
    assert doc.date.iso.startswith("2017") and doc.doc_id.startswith("003")
    panel = page.locator("#qa-source").inner_text()
    assert "31 October 2017" in panel and "Joint press statement" in panel and "Jens Stoltenberg" in panel
    assert page.locator("#qa-source mark.qa-hl").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "answer-2017.png"), full_page=True)
    (ARTIFACTS / "browser-timings.json").write_text(
        json.dumps({"first_visible_token_s": round(first, 2), "complete_answer_s": round(total, 2)})
    )
    print(f"\nbrowser: first visible token {first:.2f} s, complete answer with citations {total:.2f} s")


def test_not_found_and_script_in_a_question_stay_text(page_and_requests) -> None:
    page, _, _ = page_and_requests
    ask(page, '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> What did NATO say about Brazil?')
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator(".qa-notfound").last.is_visible()
    assert "Not found in the documents" in page.locator(".qa-notfound").last.inner_text()
    # The typed markup is shown as text, not rendered.
    assert page.locator("#qa-chat img[src='x']").count() == 0
    assert "<script>window.__pwned=2</script>" in page.locator("#qa-chat").inner_text()
    page.screenshot(path=str(ARTIFACTS / "not-found.png"), full_page=True)


def test_markdown_in_a_question_is_text_and_fetches_nothing(page_and_requests) -> None:
    page, requests, _ = page_and_requests
    typed = "![q](http://203.0.113.9/q.png)"
    ask(page, f"{typed} What did NATO say about Taiwan?")
    page.wait_for_timeout(500)  # time for the page to have fetched an image, had it rendered one
    user = page.locator("#qa-chat .message.user, #qa-chat [data-testid='user']").last
    assert typed in user.inner_text()
    assert page.locator("#qa-chat img[src*='203.0.113.9']").count() == 0
    assert not [u for u in requests if "203.0.113.9" in u]
    # Answers keep their citation links.
    assert page.locator(".qa-answer a.qa-cite").last.is_visible()


def test_older_answers_keep_their_sources(page_and_requests) -> None:
    page, _, engine = page_and_requests
    first_link = page.locator(".qa-answer a.qa-cite").first
    ref = parse_ref(first_link.get_attribute("href"))
    first_link.click()
    page.wait_for_function(
        "(t) => { const m = document.querySelector('#qa-source mark.qa-hl'); return m && m.textContent.replace(/\\s+/g,' ').trim() === t; }",
        arg=" ".join(engine.index.documents[ref[0]].text[ref[1] : ref[2]].split()),
    )
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#qa-corpus")
    assert "Courtesy call" in page.locator("#qa-corpus").inner_text()
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)


def test_the_page_requested_nothing_outside_loopback(page_and_requests) -> None:
    _, requests, _ = page_and_requests
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts and hosts <= {"127.0.0.1"}, hosts
