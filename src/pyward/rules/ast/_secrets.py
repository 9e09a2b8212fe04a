"""What a secret looks like: names that hold one, values that are one, and values that are not."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from pyward.rules.ast._pwa2_util import NON_SECRET_SUFFIXES, words

_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "pw", "passphrase", "passcode", "secret", "token", "credential",
     "credentials", "apikey", "secretkey", "privatekey", "accesskey"}
)  # fmt: skip
_KEY_QUALIFIERS = frozenset(
    {"api", "secret", "private", "signing", "encryption", "access", "auth", "master", "aes", "hmac",
     "client", "app", "consumer", "license", "crypt", "encrypt", "decrypt", "jwt", "webhook"}
)  # fmt: skip


@lru_cache(maxsize=4096)
def is_secret_name(identifier: str) -> str | None:
    """The kind of secret a name holds ("password", "token", "api key"...), else None."""
    ws = words(identifier)
    if not ws or len(identifier) > 80:
        return None
    last = ws[-1]
    joined = "".join(ws)
    if last == "key" and any(w in _KEY_QUALIFIERS for w in ws[:-1]):
        return " ".join(ws[-2:])
    if len(ws) > 1 and last in NON_SECRET_SUFFIXES:
        return None
    for w in reversed(ws):
        if w in _SECRET_WORDS:
            return {"pwd": "password", "pw": "password", "passwd": "password"}.get(w, w)
    if "secretar" in joined:
        return None
    for sub in ("password", "passwd", "secret"):
        if sub in joined:
            return "password" if sub.startswith("pass") else sub
    if joined.endswith("token"):
        return "token"
    return None


_PLACEHOLDER_WORDS = frozenset(
    {"none", "null", "nil", "todo", "tbd", "fixme", "placeholder", "redacted", "hidden", "masked",
     "undefined", "unset", "n/a", "na", "example", "sample", "xxx", "secret_here", "replace_me",
     "replaceme", "your_password", "your_token", "your_secret", "dummy", "fake", "test", "testing"}
)  # fmt: skip
_NOT_SECRETS = frozenset(
    {"yes", "no", "true", "false", "on", "off", "enabled", "disabled", "required", "optional"}
)
_PLACEHOLDER_RE = re.compile(
    r"""^(?:
        <[^<>]*>            # <your-key>
      | \{[^{}]*\}          # {password} / {}
      | \$\{?[A-Za-z_][\w]*\}?  # $SECRET / ${SECRET}
      | %\(?\w*\)?s         # %s / %(password)s
      | (.)\1+              # ***, xxxxx, ....., -----
      | \[[^\[\]]*\]        # [REDACTED]
      | \{\{[^{}]*\}\}      # {{ secret }}
    )$""",
    re.X | re.S,
)
_PRIVATE_NAME_RE = re.compile(r"^_[a-z][a-z_]*$")
_SENTINEL_RE = re.compile(r"^[A-Z][A-Z_]{3,}$")
_IDENTIFIER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[_.:-][A-Za-z0-9]+)*$")


def placeholder_reason(value: str, kind: str) -> str | None:
    """Why ``value`` is not a real secret (empty, placeholder, a field/header name...), else None."""
    v = value.strip()
    if not v:
        return "empty"
    if not any(c.isalnum() for c in v):
        return "punctuation"
    low = v.lower()
    if low in _NOT_SECRETS:
        return "a flag value"
    if _PRIVATE_NAME_RE.match(v):
        return "a private identifier (a session or dict key name)"
    if _SENTINEL_RE.match(v):
        return "an all-caps sentinel"
    if kind == "token" and len(v) < 8:
        return "too short for a token (a lexer token or an identifier)"
    if _PLACEHOLDER_RE.match(v) or low in _PLACEHOLDER_WORDS:
        return "placeholder"
    if "your" in low and any(w in low for w in ("key", "token", "password", "secret", "pass")):
        return "placeholder"
    if low.startswith(("http://", "https://", "/", "./", "../", "~/")) and "@" not in low:
        return "a path or URL"
    if v.count(" ") >= 2 and not _looks_random(v):
        return "prose"
    if (
        _IDENTIFIER_RE.match(v)
        and not any(c.isdigit() for c in v)
        and (
            low not in ("password", "passwd", "pass", "secret", "admin", "root")
            or is_secret_name(low) != kind
        )
    ):
        ws = words(v)
        if (
            any(
                w in ("password", "passwd", "pwd", "secret", "token", "key", "auth", "bearer", "basic")
                for w in ws
            )
            or "token" in low
            or "password" in low
            or "secret" in low
        ):
            return "an identifier (a field, header or key name)"
    if low in ("bearer", "basic", "digest", "jwt", "oauth", "oauth2", "hmac", "mac", "refresh", "access"):
        return "a scheme name"
    return None


def entropy(value: str) -> float:
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_random(value: str) -> bool:
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )
    return len(value) >= 16 and " " not in value and classes >= 2 and entropy(value) >= 3.5


def looks_random(value: str) -> bool:
    """High-entropy, token-like: at least 16 characters, two character classes, ~3.5 bits/char."""
    return _looks_random(value)


@dataclass(frozen=True)
class KnownFormat:
    name: str
    pattern: re.Pattern[str]
    hints: tuple[str, ...]  # every match contains one of these, for a cheap prefilter


KNOWN_FORMATS: tuple[KnownFormat, ...] = (
    KnownFormat(
        "AWS access key id",
        re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
        ("AKIA", "ASIA", "ABIA", "ACCA"),
    ),
    KnownFormat(
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])"),
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    KnownFormat(
        "GitHub fine-grained token", re.compile(r"github_pat_[A-Za-z0-9_]{60,255}"), ("github_pat_",)
    ),
    KnownFormat("GitLab token", re.compile(r"(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}"), ("glpat-",)),
    KnownFormat(
        "Slack token",
        re.compile(r"(?<![A-Za-z0-9])xox[abposr]-(?:[0-9A-Za-z]+-){1,4}[0-9A-Za-z]{6,}"),
        ("xox",),
    ),
    KnownFormat(
        "Slack webhook URL",
        re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}"),
        ("hooks.slack.com",),
    ),
    KnownFormat(
        "Stripe live key", re.compile(r"(?<![A-Za-z0-9])(?:sk|rk)_live_[0-9A-Za-z]{20,}"), ("_live_",)
    ),
    KnownFormat(
        "Google API key",
        re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        ("AIza",),
    ),
    KnownFormat(
        "private key (PEM)",
        re.compile(
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*"
            r"(?:[A-Za-z0-9-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=\s]{64,}"
        ),
        ("PRIVATE KEY",),
    ),
    KnownFormat(
        "JSON Web Token",
        re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}"),
        ("eyJ",),
    ),
)


#: Every hint of every known format, for one search before trying the formats one by one.
_ANY_HINT = re.compile("|".join(re.escape(h) for fmt in KNOWN_FORMATS for h in fmt.hints))

_URL_CREDENTIALS = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://([^\s:/@'\"]+):([^\s/@'\"]+)@[^\s/@'\"]+")
_DOC_PASSWORDS = frozenset({"password", "pass", "passwd", "pwd", "secret", "pw", "mypassword", "changeit"})


def _plain(text: str) -> str:
    """``p%C3%A4ssword`` / ``pässword`` → ``password``: how a sample password is spelled in tests."""
    decoded = unicodedata.normalize("NFKD", unquote(text))
    return "".join(c for c in decoded if not unicodedata.combining(c)).lower()


def url_credentials(value: str) -> str | None:
    """The password of a ``scheme://user:password@host`` URL, when it is not a placeholder."""
    if "://" not in value or "@" not in value:
        return None
    for m in _URL_CREDENTIALS.finditer(value):
        password = m.group(2)
        if _plain(password) in _DOC_PASSWORDS or placeholder_reason(password, "password") is not None:
            continue
        if password.startswith(("$", "%", "{", "<")) or any(c.isspace() for c in _plain(password)):
            continue
        return password
    return None


def known_format(value: str) -> tuple[str, str] | None:
    """(format name, matched text) for the first known credential format found in ``value``."""
    if len(value) < 12:
        return None
    password = url_credentials(value)
    if password is not None:
        return "password in a URL", password
    if len(value) < 20 or _ANY_HINT.search(value) is None:
        return None
    for fmt in KNOWN_FORMATS:
        if any(h in value for h in fmt.hints):
            m = fmt.pattern.search(value)
            if m and "EXAMPLE" not in m.group(0):
                return fmt.name, m.group(0)
    return None
