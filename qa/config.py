"""Settings: one frozen dataclass, with a comment on every default.

Only entry points (the CLI, app.py) build Settings, from flags and environment variables;
library code receives them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def cache_root() -> Path:
    """The project's cache folder: ``$QA_CACHE_DIR``, else ``.cache`` in the repository."""
    return Path(os.environ.get("QA_CACHE_DIR", REPO_ROOT / ".cache"))


@dataclass(frozen=True)
class Settings:
    """Everything a user may want to change, in one place."""

    # The product's own corpus: the five NATO–Japan statements, with their sidecar metadata.
    corpus_dir: Path = REPO_ROOT / "corpus" / "documents"
    # Where the index of corpus_dir lives; built there on first use.
    index_dir: Path = field(default_factory=lambda: cache_root() / "index")
    # Where prepared models (converted checkpoints) are kept between runs.
    models_dir: Path = field(default_factory=lambda: cache_root() / "models")
    # Build or refresh the index of corpus_dir when missing or stale; off when --index names one.
    auto_index: bool = True
    # Quotes `search` returns: enough to compare, few enough to read.
    k: int = 5
    # Quotes handed to the generator: small models blend sources when given more.
    answer_quotes: int = 3
    # Longest question accepted, in characters; longer ones are refused with a message. Each
    # earlier question sent as history is held to the same limit.
    max_question_chars: int = 2000
    # Earlier questions of a conversation that are read for follow-ups (the latest ones); a
    # follow-up only ever borrows from the one before, so older turns are dropped unread.
    max_history_turns: int = 8
    # Answer composer: "extractive" (default), "transformers", "llama-cpp" (also called "xllamacpp", its
    # package), "openai" or "extractive". extractive is the default: on the dev halves of the five
    # question sets the model's lead sentence answered no question the quotes did not (64/78
    # either way), verification kept it in 5 answers of 91, and it cost seconds per answer
    # (README, Generators). The model remains one setting away, prepared by `qa prepare`.
    generator: str = "extractive"
    # Which packaged model the local generators run (see qa.models.MODELS).
    model: str = "qwen2.5-0.5b"
    # transformers runs the model with int8 Linear layers (2.6x faster decoding here) or bf16.
    int8: bool = True
    # OpenAI-compatible server for generator="openai", e.g. http://127.0.0.1:8080/v1.
    openai_url: str = ""
    # Model name sent to that server.
    openai_model: str = "local"
    # Tokens the generator may write: two short sentences; more only copies quotes, slowly.
    # One sentence: the quotes follow it in their own words.
    max_new_tokens: int = 64
    # The stronger embedder: "gemma" indexes every passage with EmbeddingGemma too, takes its
    # ranking in turns with the first stage's, and re-orders each question's candidate quotes
    # with it (prepared by `qa prepare`; skipped when absent); "none" uses MiniLM and BM25
    # alone (faster to index, weaker on paraphrase: see embeddings.gemma).
    rescorer: str = "gemma"
    # Candidate quotes the re-scorer orders per question (each costs ~30 ms on 2 cores, and under
    # load every question's quotes wait for the re-scoring of those asked before it).
    rescore_candidates: int = 8
    # CPU threads for torch; None lets torch decide (all cores).
    threads: int | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then QA_* environment variables, then explicit overrides (non-None only)."""
        settings = cls()
        env = {
            "corpus_dir": os.environ.get("QA_CORPUS_DIR"),
            "index_dir": os.environ.get("QA_INDEX_DIR"),
            "generator": os.environ.get("QA_GENERATOR"),
            "model": os.environ.get("QA_MODEL"),
            "openai_url": os.environ.get("QA_OPENAI_URL"),
            "openai_model": os.environ.get("QA_OPENAI_MODEL"),
            "int8": {"0": False, "1": True}.get(os.environ.get("QA_INT8", ""), None),
            "rescorer": os.environ.get("QA_RESCORER"),
        }
        values = {k: v for k, v in {**env, **overrides}.items() if v is not None}
        for key in ("corpus_dir", "index_dir", "models_dir"):
            if key in values:
                values[key] = Path(str(values[key])).expanduser()
        return replace(settings, **values)  # type: ignore[arg-type]
