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

EXAMPLES = [
    "What did NATO say about North Korea in 2017?",
    "How did NATO's message on North Korea change between 2013 and 2023?",
    "What did Abe propose during the courtesy call?",
    "What did Stoltenberg say about China?",
    "What did NATO say about North Korea in 2015?",
]

# The source panel listens for clicks on any citation link on the page (delegated from the
# document, so links in old messages and in the panel itself work too) and passes the link's
# reference to Python through the panel's own click event.
PANEL_JS = """
document.addEventListener('click', (event) => {
  const link = event.target.closest('a.qa-cite');
  if (!link) return;
  event.preventDefault();
  trigger('click', {ref: link.getAttribute('href')});
});
element.addEventListener('click', (event) => {
  const button = event.target.closest('.qa-copy');
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.quote).then(() => { button.textContent = 'Copied'; });
});
watch('value', () => {
  const mark = element.querySelector('mark.qa-hl');
  if (mark) mark.scrollIntoView({block: 'center', behavior: 'instant'});
});
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
.qa-panel table.qa-facts, .qa-panel table.qa-facts tr { font-size: .85em; border-collapse: collapse; margin-bottom: .6em; border: none !important; width: auto; }
.qa-panel table.qa-facts th, .qa-panel table.qa-facts td { border: none !important; padding: 1px 12px 1px 0; background: none !important; }
.qa-panel table.qa-facts th { text-align: left; color: var(--body-text-color-subdued); font-weight: 500; }
.qa-quote { border-left: 3px solid var(--color-accent); margin: .4em 0; padding: .3em .7em; font-style: italic; }
.qa-copy { font-size: .8em; padding: 2px 10px; border-radius: 4px; border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); cursor: pointer; }
.qa-doc { white-space: pre-wrap; max-height: 52vh; overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .7em; margin-top: .7em; font-size: .9em; line-height: 1.5; }
mark.qa-hl { background: #fde68a; color: #111; padding: 1px 0; border-radius: 2px; }
.qa-empty { color: var(--body-text-color-subdued); }
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
    """The Blocks app over one shared, read-only engine."""
    facts = engine.facts
    years = sorted({d.year for d in facts.dates})
    first, last = (years[0], years[-1]) if years else (None, None)

    def respond(message: str, history: list, year_from: int | None, year_to: int | None, doc_ids: list[str] | None) -> Iterator[list]:
        filters = chat.Filters(year_from, year_to, tuple(doc_ids or ()))
        yield from chat.respond(engine, message, history or [], filters)

    def ask(question: str, history: list[str] | None = None, year_from: int | None = None, year_to: int | None = None) -> dict:
        """Answer one question; the same JSON object as `python -m qa ask --json`."""
        return chat.api_answer(engine, question, history, year_from, year_to)

    def ask_stream(
        question: str, history: list[str] | None = None, year_from: int | None = None, year_to: int | None = None
    ) -> Iterator[dict]:
        """Stream {"partial", "quotes"} objects while composing (the quotes first), then the final answer object."""
        yield from chat.api_stream(engine, question, history, year_from, year_to)

    with gr.Blocks(title="Statements Q&A") as demo:
        gr.Markdown(
            f"### Ask the statements\nAnswers come only from the {facts.n_documents} documents indexed here ({facts.span()}); "
            "every claim cites the exact words it rests on. Click a citation to see them in their document."
        )
        with gr.Tabs():
            with gr.Tab("Chat"), gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    # Messages are HTML made by qa.render (user text escaped): no markdown, so a
                    # question's ![image](http://...) stays text and fetches nothing.
                    chatbot = gr.Chatbot(
                        label="Conversation", height=520, buttons=["copy"], elem_id="qa-chat", render_markdown=False, latex_delimiters=[]
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask about the statements, e.g. What did NATO say about North Korea in 2017?",
                            show_label=False,
                            scale=5,
                            max_lines=4,
                            max_length=engine.settings.max_question_chars + 1,
                            elem_id="qa-question",
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="qa-ask")
                    gr.Examples(EXAMPLES, inputs=box, label="Try")
                    with gr.Accordion("Filters", open=False):
                        with gr.Row():
                            year_from = gr.Dropdown(years, value=first, label="From year", elem_id="qa-from")
                            year_to = gr.Dropdown(years, value=last, label="To year", elem_id="qa-to")
                        doc_ids = gr.Dropdown(chat.document_choices(engine), multiselect=True, label="Only these documents (empty: all)")
                    clear = gr.Button("New conversation", size="sm")
                with gr.Column(scale=2):
                    panel = gr.HTML(chat.EMPTY_PANEL, js_on_load=PANEL_JS, elem_id="qa-source", padding=True)
            with gr.Tab("Documents"):
                gr.Dataframe(
                    chat.corpus_rows(engine),
                    headers=["Date", "Title", "Speaker", "Type", "Source file"],
                    interactive=False,
                    wrap=True,
                    elem_id="qa-corpus",
                )

        inputs = [box, chatbot, year_from, year_to, doc_ids]
        for trigger in (box.submit, send.click):
            trigger(respond, inputs, chatbot, api_visibility="private", show_progress="hidden").then(
                lambda: "", None, box, api_visibility="private", show_progress="hidden", queue=False
            )

        def show_source(evt: gr.EventData) -> str:
            ref = getattr(evt, "ref", None)
            return chat.show_source(engine, ref) if ref else gr.skip()

        panel.click(show_source, None, panel, api_visibility="private", show_progress="hidden")
        clear.click(lambda: ([], chat.EMPTY_PANEL), None, [chatbot, panel], api_visibility="private", queue=False)
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
