"""Settings from the environment (``CLAIMTRACK_*`` and the openai client's own variables).

Precedence for every setting: command-line option, then environment variable, then the default here.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["llm", "rules"]

DEFAULT_DB = Path("claimtrack.duckdb")


class Settings(BaseSettings):
    """claimtrack's own settings, read from ``CLAIMTRACK_<NAME>`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="CLAIMTRACK_", extra="ignore")

    db: Path = Field(DEFAULT_DB, description="The DuckDB file (CLAIMTRACK_DB).")
    lock_timeout: float = Field(
        30.0,
        ge=0,
        description="Seconds a writer waits for another process's lock before exiting 75.",
    )
    max_article_bytes: int = Field(
        2_000_000,
        gt=0,
        description="Articles whose text is larger than this many bytes (UTF-8) are refused.",
    )
    ingest_batch_size: int = Field(
        500, gt=0, description="Articles written per transaction while ingesting."
    )
    chunk_tokens: int = Field(
        3000, ge=200, description="Articles longer than this (in tokens) are split for the LLM."
    )
    model: str | None = Field(None, description="The LLM model name (CLAIMTRACK_MODEL).")
    embeddings_model: str | None = Field(
        None,
        description="Where tracking retrieval gets the vectors whose nearest items it adds to "
        "the lexical ones (CLAIMTRACK_EMBEDDINGS_MODEL): not set, sentence vectors computed on "
        "this machine (wordllama, no network); a model name, that embeddings model on the "
        "OpenAI-compatible endpoint; 'none', no vectors (lexical retrieval only).",
    )
    llm_mode: str | None = Field(None, description="The instructor mode (CLAIMTRACK_LLM_MODE).")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with command-line values (those not None) on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]


def llm_configured() -> bool:
    """True when the openai client has somewhere to go: an API key or a base URL."""
    return bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def default_backend() -> Backend:
    """``llm`` when an endpoint is configured, else the offline ``rules`` backend."""
    return "llm" if llm_configured() else "rules"


def current_user() -> str:
    """Who is deciding: $CLAIMTRACK_USER, else the login name (the CLI and the review queue)."""
    name = os.environ.get("CLAIMTRACK_USER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no login name in some containers
            name = "unknown"
    return f"user:{name}"
