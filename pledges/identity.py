"""Contacts, keyed hashes and tokens.

A phone or email is normalised, then hashed with HMAC-SHA256 under the server
secret: the same person gets the same hash, but nobody can test a contact against
the table without the secret. Private-link tokens are stored only as keyed hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from functools import lru_cache

from pledges.messages import PledgeError
from pledges.tunables import tunables

_PHONE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d would take ٨ or ８ as well
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,64}")  # always fullmatch: "$" would let a final newline through
_ROW_LINK = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_\-]{24})")


def _secret() -> bytes:
    from civic.settings import get_settings

    settings = get_settings()
    return _secret_for(settings.secret_key, str(settings.data_dir))


@lru_cache(maxsize=8)
def _secret_for(secret_key: str | None, data_dir: str) -> bytes:
    """The server secret, read once per (configured key, data dir) instead of per hash."""
    from civic.settings import Settings

    return Settings(secret_key=secret_key, data_dir=data_dir).server_secret()


def keyed_hash(purpose: str, value: str, *, secret: bytes | None = None) -> str:
    """HMAC-SHA256 of ``purpose:value``; the purpose keeps hash domains apart."""
    key = secret if secret is not None else _secret()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_contact(raw: str) -> str | None:
    """A canonical phone (11 digits) or lower-case email; None when empty.

    Full-width characters, spaces, dashes and a +86/0086 prefix are removed first,
    so ``+86 138-0013-8000`` and ``13800138000`` are the same person.
    """
    limit = tunables()["limits"]["contact_max"]
    if len(raw or "") > limit * 4:  # do not even normalise absurd input
        raise PledgeError("contact_too_long")
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return None
    if len(text) > limit:
        raise PledgeError("contact_too_long")
    if "@" in text:
        email = text.lower().replace(" ", "")
        if not _EMAIL.fullmatch(email):
            raise PledgeError("contact_invalid")
        local, domain = email.split("@", 1)
        if domain in ("gmail.com", "googlemail.com"):
            local = local.split("+", 1)[0].replace(".", "")
            if not local:  # "+x@gmail.com" would fold into one shared, invalid address
                raise PledgeError("contact_invalid")
        return f"{local}@{domain}"
    digits = re.sub(r"[\s\-()]", "", text)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if not _PHONE.fullmatch(digits):
        raise PledgeError("contact_invalid")
    return digits


def dedup_hash(*, contact: str | None, browser_token: str | None) -> str:
    """The per-person key of a signature: the contact if given, else the browser token."""
    if contact:
        return keyed_hash("contact", contact)
    if browser_token and _TOKEN.fullmatch(browser_token):
        return keyed_hash("browser", browser_token)
    raise PledgeError("no_identity")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """Keyed hash of a private-link token; malformed tokens are rejected outright."""
    if not token or not _TOKEN.fullmatch(token):
        raise PledgeError("token_invalid")
    return keyed_hash("token", token)


def new_submission_key() -> str:
    """The idempotency key of one signing submission, made when the form is shown."""
    return secrets.token_urlsafe(24)


def token_for_submission(key: str) -> str:
    """The private-link token of the signature a submission makes, derived from its key.

    A retry of the same submission therefore finds the signature the first attempt
    stored (by its token hash) and returns the same link, without the key or the token
    ever being stored.
    """
    if not key or not _TOKEN.fullmatch(key):
        raise PledgeError("no_identity")
    mac = hmac.new(_secret(), f"submission-link:{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def row_link(purpose: str, row_id: int, nonce: str) -> str:
    """A link token ``<id>.<mac>`` for one row (reminder confirm/unsubscribe/check-in); nothing stored."""
    mac = hmac.new(_secret(), f"{purpose}:{row_id}:{nonce}".encode(), hashlib.sha256).digest()
    return f"{row_id}." + base64.urlsafe_b64encode(mac[:18]).decode()


def parse_row_link(token: str) -> tuple[int, str] | None:
    """(row id, the whole token) of a well-formed row link, else None."""
    match = _ROW_LINK.fullmatch(token or "")
    return (int(match.group(1)), token) if match else None


def row_link_matches(token: str, purpose: str, row_id: int, nonce: str) -> bool:
    return hmac.compare_digest(token.encode(), row_link(purpose, row_id, nonce).encode())


def new_ref() -> str:
    """A short public reference for a signature (no 0/O/1/I to avoid misreading)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))  # 50 bits: collisions negligible
