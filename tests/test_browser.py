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

from qa.chat import EMPTY_PANEL
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
            permissions=["clipboard-read", "clipboard-write"],
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
    doc = engine.index.documents[ref.doc_id]
    assert highlighted.split() == doc.text[ref.start : ref.end].split()
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
        arg=" ".join(engine.index.documents[ref.doc_id].text[ref.start : ref.end].split()),
    )
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#qa-corpus")
    assert "Courtesy call" in page.locator("#qa-corpus").inner_text()
    # Every column fits the window (Speaker, Type and Source file were off-screen), in the page's font.
    fits = "() => { const t = document.querySelector('#qa-corpus table'); return t.scrollWidth <= document.querySelector('#qa-corpus').clientWidth + 1; }"
    assert page.evaluate(fits)
    assert "Source file" in page.locator("#qa-corpus").inner_text()
    cell = page.locator("#qa-corpus .cell-wrap").first
    assert "mono" not in cell.evaluate("e => getComputedStyle(e).fontFamily").lower()
    page.screenshot(path=str(ARTIFACTS / "documents.png"), full_page=True)
    page.get_by_role("tab", name="Chat").click()


def in_view(page, inner: str, outer: str) -> bool:
    """Whether the first ``inner`` element lies within ``outer``'s box (as scrolled)."""
    return page.evaluate(
        """([i, o]) => { const a = document.querySelector(i).getBoundingClientRect(), b = document.querySelector(o).getBoundingClientRect();
                         return a.top >= b.top - 1 && a.top <= b.bottom; }""",
        [inner, outer],
    )


def clicked_again(page, link) -> None:
    """Click a citation and wait for the panel to show that click (the page numbers them)."""
    before = page.evaluate("document.querySelector('#qa-source .qa-panel').dataset.click")
    link.click()
    page.wait_for_function("(n) => document.querySelector('#qa-source .qa-panel').dataset.click !== n", arg=before)


def test_a_citation_clicked_again_scrolls_only_the_document_box(page_and_requests) -> None:
    page, _, _ = page_and_requests
    page.evaluate("window.scrollTo(0, 0)")
    link = page.locator(".qa-answer a.qa-cite").last
    link.click()
    page.wait_for_selector("#qa-source mark.qa-hl")
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0  # the chat stays where it was
    page.evaluate("document.querySelector('#qa-source .qa-doc').scrollTop = 0")
    if in_view(page, "#qa-source mark.qa-hl", "#qa-source .qa-doc"):
        page.evaluate("(d => { d.scrollTop = d.scrollHeight; })(document.querySelector('#qa-source .qa-doc'))")
    assert not in_view(page, "#qa-source mark.qa-hl", "#qa-source .qa-doc")
    clicked_again(page, link)  # the same citation: the panel's words do not change, the view does
    page.wait_for_timeout(300)
    assert in_view(page, "#qa-source mark.qa-hl", "#qa-source .qa-doc") and page.evaluate("window.scrollY") == 0
    # On a phone the panel is under the chat: it comes into view by its heading (title, date, speaker).
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.wait_for_timeout(300)
        page.evaluate("window.scrollTo(0, 0)")
        clicked_again(page, link)
        page.wait_for_timeout(300)
        top = page.locator("#qa-source h3").bounding_box()["y"]
        assert -2 <= top < 844 / 2, top
        page.screenshot(path=str(ARTIFACTS / "phone-citation.png"))
    finally:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")


def on_screen(page, selector: str) -> bool:
    """Whether the last element ``selector`` matches is drawn within the window (not scrolled away)."""
    return page.evaluate(
        """(s) => { const all = document.querySelectorAll(s); const e = all[all.length - 1]; if (!e) return false;
                    const r = e.getBoundingClientRect(); return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_on_a_phone_the_source_panel_leads_back_to_the_answer(page_and_requests) -> None:
    page, _, _ = page_and_requests
    if not page.locator(".qa-answer a.qa-cite").count():
        ask(page, "What did NATO say about North Korea in 2017?")
    cited = ".qa-answer a.qa-cite"
    # Beside the chat (a wide window), the panel needs no way back.
    page.locator(cited).last.click()
    page.wait_for_selector("#qa-source mark.qa-hl")
    assert page.locator("#qa-source .qa-back").count() == 1 and not page.locator("#qa-source .qa-back").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.wait_for_timeout(300)
        page.evaluate("window.scrollTo(0, 0)")
        back = page.get_by_role("button", name="Back to the answer")
        for press in ("click", "Enter"):  # a tap, then the keyboard
            clicked_again(page, page.locator(cited).last)
            page.wait_for_timeout(300)
            # Under the chat, the panel has taken the screen and the answer is out of view.
            assert not on_screen(page, cited) and back.is_visible() and on_screen(page, "#qa-source .qa-back")
            page.evaluate("window.scrollBy(0, 500)")  # reading on, down the document
            page.wait_for_timeout(100)
            assert on_screen(page, "#qa-source .qa-back"), "the way back stays in view"
            page.screenshot(path=str(ARTIFACTS / "phone-source-panel.png"))
            if press == "click":
                back.click()
            else:
                back.focus()
                page.keyboard.press("Enter")
            page.wait_for_timeout(400)
            assert on_screen(page, cited) and page.locator(cited).last.is_visible()
            # The focus is on the citation that opened the panel: Tab and Enter go on from there.
            assert page.evaluate("document.activeElement.matches('#qa-chat a.qa-cite')")
        page.screenshot(path=str(ARTIFACTS / "phone-back-to-the-answer.png"))
    finally:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")


#: Words in the documents table drawn over more than one line (cut mid-word), as "column:word".
#: Source file names are one long token each and may break.
SPLIT_WORDS = """() => {
  const split = [];
  const cells = document.querySelectorAll('#qa-corpus .body-cell:not([data-col="4"]), #qa-corpus th:not([data-heading="4"]) .header');
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push((cell.dataset.col ?? 'heading') + ':' + m[0]);
      }
    }
  }
  return split;
}"""


def test_on_a_phone_the_documents_table_keeps_words_whole(page_and_requests) -> None:
    page, _, _ = page_and_requests
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.get_by_role("tab", name="Documents").click()
        page.wait_for_selector("#qa-corpus .body-cell")
        page.wait_for_timeout(500)
        assert page.locator("#qa-corpus .body-cell[data-col='1']").count() == 5
        assert page.evaluate(SPLIT_WORDS) == []
        titles = page.evaluate("() => [...document.querySelectorAll('#qa-corpus .body-cell[data-col=\"1\"]')].map(c => c.getBoundingClientRect().width)")
        assert min(titles) >= 200, titles
        # The table scrolls sideways in its own box; the page does not.
        assert page.evaluate("(() => { const c = document.querySelector('#qa-corpus .table-container'); return c.scrollWidth > c.clientWidth; })()")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / "phone-documents.png"), full_page=True)
    finally:
        page.get_by_role("tab", name="Chat").click()
        page.set_viewport_size({"width": 1400, "height": 900})


def test_copy_answer_gives_plain_text_with_its_sources(page_and_requests) -> None:
    page, _, _ = page_and_requests
    page.locator("a.qa-copy-answer").first.click()
    page.wait_for_function("() => [...document.querySelectorAll('a.qa-copy-answer')].some(a => a.textContent === 'Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<a " not in copied and "<div" not in copied and "\nSources\n[1] “" in copied
    text, _ = copied.split("\n\nSources\n")
    assert "[1]" in text and text.split() == page.locator(".qa-answer").first.inner_text().split()


def test_empty_and_long_questions_stay_in_the_box(page_and_requests) -> None:
    page, _, _ = page_and_requests
    answers = page.locator(".qa-timing").count()
    page.fill("#qa-question textarea", "   ")
    page.click("#qa-ask")
    page.wait_for_function("() => document.querySelector('#qa-question textarea').placeholder.startsWith('Type a question first')")
    assert page.evaluate("document.activeElement === document.querySelector('#qa-question textarea')")
    long = "What did NATO say? " + "x" * 5000
    page.fill("#qa-question textarea", long)  # a paste: nothing cuts it short
    page.click("#qa-ask")
    page.wait_for_function("() => document.querySelectorAll('.qa-notfound').length > 0 && document.body.innerText.includes('5,019 characters')")
    assert "Not asked. The question is 5,019 characters long; the limit is 2,000" in page.locator(".qa-notfound").last.inner_text()
    assert page.input_value("#qa-question textarea") == long  # kept, to be shortened
    assert page.locator(".qa-timing").count() == answers
    page.fill("#qa-question textarea", "")


def test_a_question_sent_while_one_is_composed_is_asked_next(page_and_requests) -> None:
    page, _, _ = page_and_requests
    done = page.locator("a.qa-copy-answer").count()
    first, second = "What did NATO say about Taiwan?", "What did Stoltenberg say about China?"
    page.fill("#qa-question textarea", first)
    page.click("#qa-ask")
    page.wait_for_function("() => document.querySelector('#qa-question textarea').value === ''")
    assert "Answering" in page.locator("#qa-notice").inner_text()
    page.fill("#qa-question textarea", second)
    page.locator("#qa-question textarea").press("Enter")
    page.wait_for_function("() => document.querySelector('#qa-notice').innerText.includes('waits in the box')", timeout=5_000)
    assert page.input_value("#qa-question textarea") == second  # not dropped, not erased
    page.wait_for_function("(n) => document.querySelectorAll('a.qa-copy-answer').length >= n + 2", arg=done, timeout=240_000)
    page.wait_for_timeout(300)
    shown = [m.inner_text() for m in page.locator("#qa-chat .message.user, #qa-chat [data-testid='user']").all()]
    asked = [text for n, text in enumerate(shown) if n == 0 or text != shown[n - 1]]  # a message matches twice
    assert asked[-2:] == [first, second] and page.input_value("#qa-question textarea") == ""
    page.screenshot(path=str(ARTIFACTS / "asked-while-composing.png"), full_page=True)


def test_an_active_filter_is_said_by_the_box(page_and_requests) -> None:
    page, _, _ = page_and_requests
    assert not page.locator("#qa-filter-row").is_visible()
    page.get_by_text("Filters", exact=True).click()
    page.locator("#qa-from input").click()
    page.get_by_role("option", name="2017").click()
    page.wait_for_selector("#qa-filter-row", state="visible")
    assert "Searching statements dated 2017–2023 only" in page.locator("#qa-filter-row").inner_text()
    page.screenshot(path=str(ARTIFACTS / "filter-line.png"), full_page=True)
    page.click("#qa-clear-filters")
    page.wait_for_selector("#qa-filter-row", state="hidden")
    assert page.input_value("#qa-from input") == "2013"


def test_the_chat_trash_icon_clears_the_source_panel(page_and_requests) -> None:
    page, _, _ = page_and_requests
    page.locator(".qa-answer a.qa-cite").first.click()
    page.wait_for_selector("#qa-source mark.qa-hl")
    page.locator("#qa-chat button[aria-label='Clear']").click()
    page.wait_for_function("(t) => document.querySelector('#qa-source').innerText.includes(t)", arg="Click a citation such as [1]")
    assert EMPTY_PANEL.startswith('<div class="qa-panel qa-empty">Click a citation such as')
    assert page.locator("#qa-chat .message").count() == 0


def test_the_page_requested_nothing_outside_loopback(page_and_requests) -> None:
    _, requests, _ = page_and_requests
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts and hosts <= {"127.0.0.1"}, hosts
