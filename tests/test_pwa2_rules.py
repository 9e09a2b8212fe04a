"""PWA2xx pattern rules: properties the fixture files cannot state line by line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import FIXTURES, run_scan

from pyward.rules.ast._pwa2_util import is_security_name, mask
from pyward.rules.ast._secrets import is_secret_name, known_format, placeholder_reason
from pyward.settings import Settings

SECRET_FIXTURES = sorted((FIXTURES / "rules").glob("PWA24*/*.py"))


def _literals_on_line(source: str, line: int) -> list[str]:
    values: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and getattr(node, "lineno", 0) == line:
            if isinstance(node.value, str):
                values.append(node.value)
            elif isinstance(node.value, bytes):
                values.append(node.value.decode("latin-1"))
    return values


@pytest.mark.parametrize("path", SECRET_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_secret_messages_never_contain_the_secret(path: Path) -> None:
    report = run_scan([path], root=path.parent, settings=Settings(select=("PWA240", "PWA241")))
    source = path.read_text(encoding="utf-8")
    assert report.findings
    for finding in report.findings:
        for value in _literals_on_line(source, finding.span.line):
            if len(value) < 4 or value == "admin" or f"`{value}`" in finding.message:
                continue  # too short to matter, the user name, or the name the message quotes
            assert value not in finding.message, finding.message
            credential = value.partition(" ")[2]
            assert not credential or credential not in finding.message, finding.message


def test_mask_shows_at_most_a_prefix() -> None:
    assert mask("hunter2") == "…(7 chars)"
    assert mask("AKIAIJG88RWIS0J2H0Y2") == "AKIA…(20 chars)"
    assert "RWIS0J2H0Y2" not in mask("AKIAIJG88RWIS0J2H0Y2")
    assert mask("abcdefghij") == "ab…(10 chars)"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("DB_PASSWORD", "password"),
        ("dbPassword", "password"),
        ("api-key", "api key"),
        ("clientSecret", "secret"),
        ("GITHUB_TOKEN", "token"),
        ("private_key", "private key"),
        ("token_type", None),
        ("PASSWORD_MIN_LENGTH", None),
        ("password_field", None),
        ("SESSION_KEY", None),
        ("passport", None),
        ("secretary", None),
        ("key", None),
    ],
)
def test_secret_names(name: str, kind: str | None) -> None:
    assert is_secret_name(name) == kind


@pytest.mark.parametrize(
    ("value", "not_secret"),
    [
        ("", True),
        ("<your-api-key>", True),
        ("***", True),
        ("xxxxxxxx", True),
        ("${DB_PASSWORD}", True),
        ("%(password)s", True),
        ("NextToken", True),
        ("X-Api-Key", True),
        ("Bearer", True),
        ("changeme", False),
        ("hunter2", False),
        ("s3cr3t-Pa55w0rd", False),
    ],
)
def test_placeholders(value: str, not_secret: bool) -> None:
    assert (placeholder_reason(value, "password") is not None) is not_secret


def test_known_formats_ignore_documented_examples_and_bare_headers() -> None:
    assert known_format("AKIAIOSFODNN7EXAMPLE") is None
    assert known_format("-----BEGIN RSA PRIVATE KEY-----") is None
    found = known_format("key: AKIAIJG88RWIS0J2H0Y2 (prod)")
    assert found is not None and found[0] == "AWS access key id"


@pytest.mark.parametrize(
    ("name", "security"),
    [
        ("reset_token", True),
        ("session_id", True),
        ("verificationCode", True),
        ("salt", True),
        ("token_count", False),
        ("password_length", False),
        ("tokens", False),
        ("delay", False),
        ("user_id", False),
    ],
)
def test_security_names_for_randomness(name: str, security: bool) -> None:
    assert is_security_name(name) is security


def test_nosec_with_bandit_ids_suppresses_the_mapped_rules(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import hashlib\n"
        "import requests\n"
        'requests.get("https://x.example.com", verify=False)  # nosec B501\n'
        'requests.get("https://x.example.com", verify=False)  # nosec B105\n'
        'DB_PASSWORD = "hunter2-Sup3r"  # nosec B105\n'
        "hashlib.md5(b'x')  # nosec B324\n"
        "hashlib.md5(b'x')\n",
        encoding="utf-8",
    )
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWA2",)))
    assert sorted((f.span.line, f.code) for f in report.findings) == [(4, "PWA220"), (7, "PWA201")]


def test_secrets_in_tests_can_be_left_out_per_path(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_login.py").write_text('PASSWORD = "hunter2-Sup3r"\n', encoding="utf-8")
    (tmp_path / "app.py").write_text('PASSWORD = "hunter2-Sup3r"\n', encoding="utf-8")
    settings = Settings(select=("PWA240",), per_path_ignores=(("tests/**", ("PWA240",)),))
    report = run_scan([tmp_path], root=tmp_path, settings=settings)
    assert [(f.span.path, f.code) for f in report.findings] == [("app.py", "PWA240")]


def test_weak_hash_confidence_follows_the_named_purpose(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import hashlib\n"
        "def generate_etag(data):\n"
        "    return hashlib.md5(data).hexdigest()\n"
        "def sign(document):\n"
        "    return hashlib.md5(document).hexdigest()\n"
        "cache_key = hashlib.sha1(b'x').hexdigest()\n",
        encoding="utf-8",
    )
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWA201",)))
    got = sorted((f.span.line, f.confidence.name) for f in report.findings)
    assert got == [(3, "LOW"), (5, "MEDIUM"), (6, "LOW")]
