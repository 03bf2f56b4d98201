"""The browser UI: wiring only. Handlers live in ``qa.chat``, HTML in ``qa.render``.

    python app.py [--host 127.0.0.1] [--port 7860]

Nothing leaves the machine: analytics are off, there is no share link, and the page loads
only from this server. The app takes no files: Gradio's upload route is closed, and its
temporary files stay in the project's cache folder.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator

from qa.config import Settings, cache_root

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Read by gradio at import: where it would keep uploads and other temporary files.
os.environ.setdefault("GRADIO_TEMP_DIR", str(cache_root() / "gradio"))

import gradio as gr  # after the environment it reads at import
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from embeddings.errors import QAError
from qa import chat
from qa.engine import Engine

log = logging.getLogger("app")

#: Questions answered at once; more wait in Gradio's queue. Retrieval, declines and extractive
#: answers run side by side; only the model itself takes one question at a time (its own lock,
#: in qa.generators), so a decline never waits behind answers being written.
ANSWERING = 32
#: Largest upload Gradio would accept, were its upload route open (it is closed: NoUploads).
MAX_FILE_SIZE = "1kb"

#: A page load waits this long for changed files to be indexed before it shows the corpus.
PAGE_WAIT_SECONDS = 5.0

# The source panel listens for clicks on any citation link on the page (delegated from the
# document, so links in old messages and in the panel itself work too) and passes the link's
# reference to Python through the panel's own click event, with a count of clicks: the same
# citation clicked again is then a new value, and the page scrolls its words back into view.
# It also copies: an answer's plain text (its "Copy answer" link) and a quote (its button).
# Its "Back to the answer" button (shown where the panel stands under the chat) goes back to
# the citation that opened it, and focuses it, so the keyboard goes on from there too.
PANEL_JS = """
let clicks = 0;
let opener = null;
const copyText = (text) => {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Served to another machine over plain http, the page has no clipboard API.
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.left = '-9999px';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
  return Promise.resolve();
};
const copied = (node, label) => {
  node.textContent = 'Copied';
  setTimeout(() => { node.textContent = label; }, 2000);
};
document.addEventListener('click', (event) => {
  const answer = event.target.closest('a.qa-copy-answer');
  if (answer) {
    event.preventDefault();
    copyText(decodeURIComponent(answer.getAttribute('href').slice('#copy='.length))).then(() => copied(answer, 'Copy answer'));
    return;
  }
  const link = event.target.closest('a.qa-cite');
  if (!link) return;
  event.preventDefault();
  if (link.closest('#qa-chat')) opener = {node: link, href: link.getAttribute('href')};
  clicks += 1;
  trigger('click', {ref: link.getAttribute('href') + String.fromCharCode(30) + clicks});
});
const back = () => {
  const chat = document.getElementById('qa-chat');
  if (!chat) return;
  let link = opener && opener.node.isConnected ? opener.node : null;
  // The chat may have drawn its messages anew since: the same link is found by its value.
  if (!link && opener) link = [...chat.querySelectorAll('a.qa-cite')].reverse().find((a) => a.getAttribute('href') === opener.href);
  if (!link) {
    chat.scrollIntoView({block: 'start'});
    return;
  }
  link.scrollIntoView({block: 'center'});
  link.focus({preventScroll: true});
};
element.addEventListener('click', (event) => {
  if (event.target.closest('.qa-back')) {
    back();
    return;
  }
  const button = event.target.closest('.qa-copy');
  if (!button) return;
  copyText(button.dataset.quote).then(() => copied(button, 'Copy quote'));
});
watch('value', () => {
  // Scroll the document box only: scrolling the window would move the chat away.
  const mark = element.querySelector('mark.qa-hl');
  const doc = element.querySelector('.qa-doc');
  if (mark && doc) {
    const m = mark.getBoundingClientRect();
    const d = doc.getBoundingClientRect();
    doc.scrollTop += m.top - d.top - Math.max(8, (doc.clientHeight - m.height) / 2);
  }
  // Stacked under the chat (a narrow window), the panel is brought into view by its heading,
  // so its title, date and speaker are seen with the quote.
  const chat = document.getElementById('qa-chat');
  const top = element.getBoundingClientRect().top;
  if (chat && top >= chat.getBoundingClientRect().bottom && (top < 0 || top > window.innerHeight * 0.6)) {
    element.scrollIntoView({block: 'start'});
  }
});
"""

# Runs in the page when a question is sent, before (and apart from) the answer: an empty box
# gets a hint and keeps the focus; a question sent while an answer is composed is told it waits.
SEND_JS = """
(question) => {
  const box = document.querySelector('#qa-question textarea');
  if (!question || !question.trim()) {
    if (box) {
      const placeholder = box.placeholder;
      box.placeholder = 'Type a question first, then press Enter or Ask.';
      box.classList.add('qa-hint');
      box.focus();
      const restore = () => { box.placeholder = placeholder; box.classList.remove('qa-hint'); };
      box.addEventListener('input', restore, {once: true});
      setTimeout(restore, 5000);
    }
    return [];
  }
  const busy = document.querySelector('#qa-notice .qa-busy');
  if (busy) busy.textContent = 'Your next question waits in the box: it is asked as soon as this answer is done.';
  return [];
}
"""

CSS = """
.qa-answer { line-height: 1.55; }
.qa-draft { color: var(--body-text-color-subdued); }
a.qa-cite { text-decoration: none; font-weight: 600; color: var(--color-accent); cursor: pointer; }
a.qa-cite:hover { text-decoration: underline; }
ol.qa-sources { margin: .6em 0 0 0; padding-left: 0; list-style: none; font-size: .85em; border-top: 1px solid var(--border-color-primary); padding-top: .4em; }
ol.qa-sources li { margin: .15em 0; }
ul.qa-points { margin: .1em 0 .2em 1.2em; padding-left: 0; list-style: none; }
.qa-statement { color: var(--body-text-color-subdued); }
a.qa-also { font-weight: 400; }
.qa-opening { font-weight: 400; font-style: italic; color: var(--body-text-color-subdued); }
.qa-timing { font-size: .75em; color: var(--body-text-color-subdued); margin-top: .4em; }
.qa-notfound { border-left: 4px solid #d97706; background: rgba(217,119,6,.08); padding: .5em .8em; border-radius: 4px; }
.qa-panel h3 { margin-top: 0; }
/* The way back from a source to its answer, only where the panel stands under the chat (Gradio
   stacks the chat's two columns below 768 px): finger-sized, and in view while the panel is read. */
#qa-source .qa-back { display: none; }
/* Gradio's overflow: hidden on its (never scrolled) container would make the button stick to
   that box instead of the window; clip cuts the same overflow without being a scroll box. Outside
   any @media rule: Gradio scopes those to elements inside the container. */
.gradio-container { overflow: clip !important; }
@media (max-width: 767px) {
  #qa-source .qa-back { display: block; position: sticky; top: 0; z-index: 1; width: 100%; min-height: 44px; margin: 0 0 .7em 0; padding: .5em .8em; text-align: left; font-weight: 600; color: var(--color-accent); background: var(--background-fill-primary); border: 1px solid var(--border-color-primary); border-radius: 6px; cursor: pointer; }
}
.qa-panel table.qa-facts, .qa-panel table.qa-facts tr { font-size: .85em; border-collapse: collapse; margin-bottom: .6em; border: none !important; width: auto; }
.qa-panel table.qa-facts th, .qa-panel table.qa-facts td { border: none !important; padding: 1px 12px 1px 0; background: none !important; }
.qa-panel table.qa-facts th { text-align: left; color: var(--body-text-color-subdued); font-weight: 500; }
.qa-quote { border-left: 3px solid var(--color-accent); margin: .4em 0; padding: .3em .7em; font-style: italic; }
.qa-copy { font-size: .8em; padding: 2px 10px; border-radius: 4px; border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); cursor: pointer; }
.qa-doc { white-space: pre-wrap; max-height: 52vh; overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .7em; margin-top: .7em; font-size: .9em; line-height: 1.5; }
mark.qa-hl { background: #fde68a; color: #111; padding: 1px 0; border-radius: 2px; }
.qa-empty { color: var(--body-text-color-subdued); }
.qa-warning { border-left: 4px solid #d97706; background: rgba(217,119,6,.08); padding: .4em .7em; border-radius: 4px; }
.qa-also-line { margin-left: 1.2em; }
a.qa-copy-answer { color: var(--body-text-color-subdued); text-decoration: underline dotted; cursor: pointer; }
#qa-notice, #qa-filter-line { font-size: .85em; color: var(--body-text-color-subdued); }
#qa-notice:not(:has(.qa-busy)) { display: none; }
#qa-question textarea.qa-hint::placeholder { color: #b45309; opacity: 1; }
/* The documents table fits its window: its columns wrap between words, in the page's own font
   (only a word longer than its column, a file name, is broken). On a phone the columns would be
   too narrow for whole words: the table keeps a width that holds them and scrolls sideways. */
#qa-corpus, #qa-corpus * { font-family: var(--font) !important; }
#qa-corpus .cell-wrap { white-space: normal; overflow-wrap: break-word; }
@media (max-width: 767px) {
  #qa-corpus .table-container { overflow-x: auto; }
  #qa-corpus .table-wrap { min-width: 660px; }
}
"""


class NoUploads:
    """ASGI middleware: the app has no file inputs, so Gradio's upload route answers 404."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith("/gradio_api/upload"):
            await PlainTextResponse("this app takes no file uploads", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def launch_options() -> dict[str, object]:
    """What ``demo.launch`` is given besides host and port, here and in the tests' server."""
    return {
        "css": CSS,
        "show_error": False,
        "max_file_size": MAX_FILE_SIZE,
        # Each question being answered holds a thread while it waits for the model.
        "max_threads": 2 * ANSWERING,
        "app_kwargs": {"middleware": [Middleware(NoUploads)]},
    }


def build(engine: Engine) -> gr.Blocks:
    """The Blocks app over one shared, read-only engine.

    What it shows of the corpus (heading, year and document filters, examples, the documents
    table) is read from the engine again on each page load, and the documents table each time
    its tab is opened: the engine may load a new index while it serves.
    """
    years = chat.years(engine)
    offered = chat.suggestions(engine)

    def submit(message: str, history: list, year_from: int | None, year_to: int | None, doc_ids: list[str] | None) -> Iterator[tuple]:
        filters = chat.Filters(year_from, year_to, tuple(doc_ids or ()))
        update = None
        for update in chat.submit(engine, message, history or [], filters):
            yield update.messages, *(gr.skip() if value is None else value for value in (update.box, update.notice))
        if update is None:
            # An empty box (the page hints): a generator that yields nothing would empty the chat.
            yield gr.skip(), gr.skip(), gr.skip()

    def show_source(evt: gr.EventData) -> str:
        ref = getattr(evt, "ref", None)
        return chat.show_source(engine, ref) if ref else gr.skip()

    def filter_view(year_from: int | None, year_to: int | None, doc_ids: list[str] | None) -> tuple:
        line = chat.filter_summary(engine, chat.Filters(year_from, year_to, tuple(doc_ids or ())))
        return gr.Row(visible=bool(line)), line

    def filter_choices(year_from: int | None, year_to: int | None, doc_ids: list[str] | None) -> tuple:
        """The filters' choices as the corpus now is, keeping what is chosen where it still exists."""
        now = chat.years(engine)
        choices = chat.document_choices(engine)
        ids = {doc_id for _, doc_id in choices}
        first, last = chat.year_bounds(engine)
        return (
            gr.Dropdown(choices=now, value=year_from if year_from in now else first),
            gr.Dropdown(choices=now, value=year_to if year_to in now else last),
            gr.Dropdown(choices=choices, value=[d for d in doc_ids or () if d in ids], multiselect=True),
        )

    def page_load() -> tuple:
        # Files changed since the last question start their update now; the page waits a
        # moment for it (a few files take a second or two), then shows the corpus as indexed.
        engine.refresh(wait=PAGE_WAIT_SECONDS)
        now = chat.years(engine)
        first, last = chat.year_bounds(engine)
        offer = chat.suggestions(engine)
        return (
            chat.header_markdown(engine),
            gr.Dropdown(choices=now, value=first),
            gr.Dropdown(choices=now, value=last),
            gr.Dropdown(choices=chat.document_choices(engine), value=[], multiselect=True),
            gr.Textbox(placeholder=offer.placeholder),
            gr.Dataset(samples=[[q] for q in offer.examples], visible=bool(offer.examples)),
            chat.corpus_rows(engine),
        )

    def ask(question: str, history: list[str] | None = None, year_from: int | None = None, year_to: int | None = None) -> dict:
        """Answer one question; the same JSON object as `python -m qa ask --json`."""
        return chat.api_answer(engine, question, history, year_from, year_to)

    def ask_stream(
        question: str, history: list[str] | None = None, year_from: int | None = None, year_to: int | None = None
    ) -> Iterator[dict]:
        """Stream {"partial", "quotes"} objects while composing (the quotes first), then the final answer object."""
        yield from chat.api_stream(engine, question, history, year_from, year_to)

    with gr.Blocks(title="Statements Q&A") as demo:
        header = gr.Markdown(chat.header_markdown(engine))
        with gr.Tabs():
            with gr.Tab("Chat"), gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    # Messages are HTML made by qa.render (user text escaped): no markdown, so a
                    # question's ![image](http://...) stays text and fetches nothing. No copy
                    # button: it copies a message's HTML; answers carry a "Copy answer" link.
                    chatbot = gr.Chatbot(
                        label="Conversation", height=520, buttons=[], elem_id="qa-chat", render_markdown=False, latex_delimiters=[]
                    )
                    with gr.Row():
                        # No max_length: the browser would cut a long paste silently; the
                        # question is refused whole, with its length, and kept to edit.
                        box = gr.Textbox(placeholder=offered.placeholder, show_label=False, scale=5, max_lines=4, elem_id="qa-question")
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask")
                    notice = gr.HTML("", elem_id="qa-notice", padding=False)
                    with gr.Row(visible=False, elem_id="qa-filter-row") as filter_row:
                        filter_line = gr.Markdown("", elem_id="qa-filter-line")
                        clear_filters = gr.Button("Clear filters", size="sm", scale=0, elem_id="qa-clear-filters")
                    examples = gr.Dataset(
                        components=[box],
                        samples=[[q] for q in offered.examples],
                        label="Try",
                        visible=bool(offered.examples),
                        elem_id="qa-examples",
                    )
                    with gr.Accordion("Filters", open=False) as filters_box:
                        with gr.Row():
                            year_from = gr.Dropdown(years, value=years[0] if years else None, label="From year", elem_id="qa-from")
                            year_to = gr.Dropdown(years, value=years[-1] if years else None, label="To year", elem_id="qa-to")
                        doc_ids = gr.Dropdown(
                            chat.document_choices(engine), multiselect=True, label="Only these documents (empty: all)", elem_id="qa-docs"
                        )
                    clear = gr.Button("New conversation", size="sm")
                with gr.Column(scale=2):
                    panel = gr.HTML(chat.EMPTY_PANEL, js_on_load=PANEL_JS, elem_id="qa-source", padding=True)
            with gr.Tab("Documents") as documents_tab:
                table = gr.Dataframe(
                    chat.corpus_rows(engine),
                    headers=["Date", "Title", "Speaker", "Type", "Source file"],
                    interactive=False,
                    wrap=True,
                    # Type holds words such as "conference": at 10% a phone's table cut them.
                    column_widths=["13%", "35%", "18%", "14%", "20%"],
                    elem_id="qa-corpus",
                )

        filters = [year_from, year_to, doc_ids]
        quick = {"api_visibility": "private", "show_progress": "hidden", "queue": False}
        # Registered first, so it reads the box before the answer's first step empties it.
        gr.on([box.submit, send.click], None, [box], None, js=SEND_JS, trigger_mode="multiple", **quick)
        # One event for Enter and Ask, deferred while it runs: a question sent while an answer
        # is composed waits in the box and is asked when that answer is done (not dropped).
        gr.on(
            [box.submit, send.click],
            submit,
            [box, chatbot, *filters],
            [chatbot, box, notice],
            trigger_mode="always_last",
            api_visibility="private",
            show_progress="hidden",
        ).then(lambda: chat.header_markdown(engine), None, header, **quick)
        examples.click(lambda sample: sample[0], examples, box, **quick)

        panel.click(show_source, None, panel, api_visibility="private", show_progress="hidden")
        clear.click(lambda: ([], chat.EMPTY_PANEL, ""), None, [chatbot, panel, notice], **quick)
        # The chat's own trash icon clears its messages; the panel showed one of their sources.
        chatbot.clear(lambda: (chat.EMPTY_PANEL, ""), None, [panel, notice], **quick)

        gr.on([c.change for c in filters], filter_view, filters, [filter_row, filter_line], **quick)
        clear_filters.click(lambda: (*chat.year_bounds(engine), []), None, filters, **quick)
        filters_box.expand(filter_choices, filters, filters, **quick)
        documents_tab.select(lambda: chat.corpus_rows(engine), None, table, **quick)
        demo.load(page_load, None, [header, year_from, year_to, doc_ids, box, examples, table], **quick)

        gr.api(ask, api_name="ask")
        gr.api(ask_stream, api_name="ask_stream")
    demo.queue(default_concurrency_limit=ANSWERING, max_size=4 * ANSWERING)
    return demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the statements Q&A chat in the browser.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        engine = Engine(Settings.from_env())
        engine.warm_up()
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    demo = build(engine)
    demo.launch(server_name=args.host, server_port=args.port, share=False, **launch_options())
    return 0


if __name__ == "__main__":
    sys.exit(main())
