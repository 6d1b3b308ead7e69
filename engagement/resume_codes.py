"""Short resume codes: random characters plus a keyed check.

A code is ``random_chars`` random symbols followed by ``check_chars`` symbols of an
HMAC over them, keyed with the server secret. A typo or a made-up code fails the
check before any database look-up; the database stores only a keyed digest of
the code, never the code itself. Pure functions: the secret is passed in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from engagement.questionnaire import tunables


class ResumeCodeError(ValueError):
    """The code is malformed or forged; ``str(err)`` is the Chinese message to show."""


def _cfg() -> tuple[str, int, int]:
    cfg = tunables()["resume"]
    return cfg["alphabet"], int(cfg["random_chars"]), int(cfg["check_chars"])


def _check(body: str, secret: bytes) -> str:
    alphabet, _, n_check = _cfg()
    digest = hmac.new(secret, b"selfcheck-resume:" + body.encode(), hashlib.sha256).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:n_check])


def _group(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_code(secret: bytes) -> str:
    alphabet, n_random, _ = _cfg()
    body = "".join(secrets.choice(alphabet) for _ in range(n_random))
    return _group(body + _check(body, secret))


def normalise(code: str) -> str:
    """Upper case, separators and spaces removed."""
    return re.sub(r"[\s\-–—_.]", "", str(code or "")).upper()


def verify(code: str, secret: bytes) -> str:
    """The canonical code if it is well formed and its check matches; else ResumeCodeError."""
    from engagement import messages

    alphabet, n_random, n_check = _cfg()
    text = normalise(code)
    if len(text) != n_random + n_check or any(ch not in alphabet for ch in text):
        raise ResumeCodeError(messages.RESUME_BAD_FORMAT)
    body, check = text[:n_random], text[n_random:]
    if not hmac.compare_digest(check, _check(body, secret)):
        raise ResumeCodeError(messages.RESUME_FORGED)
    return _group(text)


def digest(code: str, secret: bytes) -> str:
    """What the database stores for a code."""
    return hmac.new(secret, b"selfcheck-store:" + normalise(code).encode(), hashlib.sha256).hexdigest()
