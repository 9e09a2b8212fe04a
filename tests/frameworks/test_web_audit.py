"""Flask, FastAPI/Starlette, cookie and template audits: models checked against the real libraries
where they are installed, severities, and the tolerant template reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import run_scan

from pyward.frameworks.templates import split_filters, tokenize
from pyward.frameworks.webcommon import (
    flask_cors_is_regex,
    permissive_origin_probe,
    weak_secret_reason,
)
from pyward.model import Severity
from pyward.settings import Settings


def _scan(tmp_path: Path, files: dict[str, str], select: tuple[str, ...]) -> list[tuple[str, int, str, Severity]]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=select))
    return sorted(
        (f.span.path, f.span.line, f.code, f.severity) for f in (*report.findings, *report.diagnostics)
    )


# --------------------------------------------------------------------------------------------
# secret keys


@pytest.mark.parametrize(
    "value",
    ["dev", "Super Secret Key", "changeme", "", "short-key", "aaaaaaaaaaaaaaaaaaaaaaaa",
     "my-super-secret-key-for-the-app", b'_5#y2L"F4Q8z\n\xec]/', "hard to guess string",
     "192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf"],
)
def test_weak_secret_values(value: str | bytes) -> None:
    assert weak_secret_reason(value) is not None


@pytest.mark.parametrize(
    "value", ["f3a9c2e17b5d48e0a6c4b2d9e8f7a1c3", "Zq8#vT2!mK9@pL4$wX7^", b"\x8f\x12\xa0\x33\x91\xfe\x07\x5c\x10\x6d\xe2\x44\x9b\xc8\x71\x02"]
)
def test_random_secret_values(value: str | bytes) -> None:
    assert weak_secret_reason(value) is None


def test_debug_run_severity_depends_on_main_guard(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n",
            "script.py": (
                "from flask import Flask\napp = Flask(__name__)\n"
                "if __name__ == '__main__':\n    app.run(debug=True)\n"
            ),
        },
        ("PWC603",),
    )
    assert found == [
        ("app.py", 3, "PWC603", Severity.HIGH),
        ("script.py", 4, "PWC603", Severity.LOW),
    ]


def test_env_file_severity_by_name(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            ".flaskenv": "FLASK_DEBUG=true\n",
            ".env": "FLASK_DEBUG=yes\n",
            ".env.production": "export FLASK_DEBUG='1'\n",
            ".env.local": "FLASK_DEBUG=false\n",
            ".env.production.example": "FLASK_DEBUG=1\n",
        },
        ("PWC604",),
    )
    assert found == [
        (".env", 1, "PWC604", Severity.LOW),
        (".env.production", 1, "PWC604", Severity.HIGH),
        (".env.production.example", 1, "PWC604", Severity.LOW),
        (".flaskenv", 1, "PWC604", Severity.MEDIUM),
    ]


def test_flask_debug_flag_matches_flask() -> None:
    """Our reading of FLASK_DEBUG is Flask's get_debug_flag."""
    helpers = pytest.importorskip("flask.helpers")
    from pyward.frameworks.flask import _env_line

    for value in ["1", "true", "yes", "0", "false", "no", "False", "on", "development"]:
        mp = pytest.MonkeyPatch()
        mp.setenv("FLASK_DEBUG", value)
        try:
            expected = helpers.get_debug_flag()
        finally:
            mp.undo()
        parsed = _env_line(f"FLASK_DEBUG={value}")
        assert parsed is not None
        ours = bool(parsed[1].strip()) and parsed[1].strip().lower() not in ("0", "false", "no")
        assert ours == expected, value


# --------------------------------------------------------------------------------------------
# CORS models against the real libraries


def _flask_cors_response(origins: object, origin: str) -> tuple[str | None, str | None]:
    flask = pytest.importorskip("flask")
    flask_cors = pytest.importorskip("flask_cors")
    app = flask.Flask("probe")
    kwargs = {"supports_credentials": True}
    if origins is not None:
        kwargs["origins"] = origins
    flask_cors.CORS(app, **kwargs)

    @app.get("/")
    def index() -> str:
        return "ok"

    response = app.test_client().get("/", headers={"Origin": origin, "Cookie": "session=x"})
    return (
        response.headers.get("Access-Control-Allow-Origin"),
        response.headers.get("Access-Control-Allow-Credentials"),
    )


def test_flask_cors_default_origins_echo_any_origin_with_credentials() -> None:
    """PWC645's premise: CORS(app, supports_credentials=True) reflects every origin."""
    assert _flask_cors_response(None, "https://evil.invalid") == ("https://evil.invalid", "true")
    assert _flask_cors_response("*", "https://evil.invalid") == ("https://evil.invalid", "true")


@pytest.mark.parametrize(
    "pattern",
    [r"https://app\.example\.com", r"https://.*\.example\.com", r"https://.*example\.com$", r".*"],
)
def test_flask_cors_regex_probe_is_really_accepted(pattern: str) -> None:
    """Every origin permissive_origin_probe reports is echoed back by the real Flask-CORS."""
    probe = permissive_origin_probe(pattern, fullmatch=False)
    assert probe is not None
    assert flask_cors_is_regex(pattern)
    assert _flask_cors_response([pattern], probe) == (probe, "true")


@pytest.mark.parametrize("pattern", [r"https://app\.example\.com$", r"https://[a-z]+\.example\.com$"])
def test_flask_cors_anchored_regex_has_no_probe(pattern: str) -> None:
    assert permissive_origin_probe(pattern, fullmatch=False) is None
    assert _flask_cors_response([pattern], "https://app.example.com.evil.invalid")[0] is None


@pytest.mark.parametrize(
    ("pattern", "permissive"),
    [
        (r"https://.*", True),
        (r"https://.*example\.com", True),
        (r"https://.*\.example\.com", False),
        (r"https://[a-z]+\.example\.com", False),
        (r"http://localhost:\d+", False),
    ],
)
def test_starlette_regex_fullmatch(pattern: str, permissive: bool) -> None:
    assert (permissive_origin_probe(pattern, fullmatch=True) is not None) is permissive


def test_werkzeug_pin_off_is_exact() -> None:
    """PWC605 matches Werkzeug: only the exact string 'off' disables the PIN."""
    debug = pytest.importorskip("werkzeug.debug")
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("WERKZEUG_DEBUG_PIN", "off")
        assert debug.get_pin_and_cookie_name(object()) == (None, None)  # type: ignore[arg-type]
        mp.setenv("WERKZEUG_DEBUG_PIN", "OFF")
        assert debug.get_pin_and_cookie_name(object())[0] is not None  # type: ignore[arg-type]
    finally:
        mp.undo()


# --------------------------------------------------------------------------------------------
# templates


def test_broken_template_is_a_diagnostic_and_the_rest_is_checked(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        {
            "templates/a.html": "<p>{{ name </p>\n<p>{{ bio|safe }}</p>\n{% autoescape off %}\n{# x\n",
            "templates/b.html": "{% endautoescape %}\n",
        },
        ("PWC702", "PWX020"),
    )
    codes = [(p, line, c) for p, line, c, _ in found]
    assert codes == [
        ("templates/a.html", 1, "PWX020"),
        ("templates/a.html", 2, "PWC702"),
        ("templates/a.html", 3, "PWX020"),
        ("templates/a.html", 4, "PWX020"),
        ("templates/b.html", 1, "PWX020"),
    ]


def test_split_filters_respects_quotes_and_calls() -> None:
    assert split_filters('a|default:"x|y"|safe') == ["a", 'default:"x|y"', "safe"]
    assert split_filters("f(a|b)|e") == ["f(a|b)", "e"]


_TEMPLATE_CHARS = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{#", "#}", "<form", "</form>", "<input", ">", "<!--", "-->", '"', "'",
     "method=post", "|safe", " ", "\n", "x", "{% csrf_token %}", "{% autoescape off %}",
     "{% endautoescape %}", "{% block a %}", "{% endblock %}", "{% include 'b' %}"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEMPLATE_CHARS, max_size=60).map("".join))
def test_tokenizer_never_raises(text: str) -> None:
    tokens, problems = tokenize(text)
    for token in tokens:
        assert token.line >= 1
    for line, _col, _msg in problems:
        assert line >= 1


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEMPLATE_CHARS, max_size=40).map("".join))
def test_template_analysis_never_raises(text: str) -> None:
    from pyward.frameworks.templates import TemplateAnalysis
    from pyward.model import FileKind
    from pyward.registry import all_rules

    rules = [r for r in all_rules() if r.meta.code in ("PWC701", "PWC702", "PWC703", "PWC704", "PWX020")]
    analysis = TemplateAnalysis(rules, Settings())
    out = analysis.analyze_text("t.html", "/t.html", FileKind.TEMPLATE, text)
    assert all(f.span.line >= 1 for f in out.findings)


def test_filter_safe_is_not_an_escaping_hole(tmp_path: Path) -> None:
    """``{% filter safe %}`` is not reported: Django rejects it and Jinja escapes the block's
    variables before ``safe`` applies (checked with the installed engines)."""
    jinja2 = pytest.importorskip("jinja2")
    rendered = jinja2.Environment(autoescape=True).from_string(
        "{% filter safe %}{{ x }}{% endfilter %}"
    ).render(x="<script>")
    assert rendered == "&lt;script&gt;"
    unescaped = jinja2.Environment(autoescape=True).from_string(
        "{% autoescape false %}{{ x }}{% endautoescape %}"
    ).render(x="<script>")
    assert unescaped == "<script>"  # what PWC703 reports
    found = _scan(
        tmp_path,
        {"templates/a.html": "{% filter safe %}{{ x }}{% endfilter %}\n{% autoescape false %}{{ x }}{% endautoescape %}\n"},
        ("PWC702", "PWC703"),
    )
    assert [(line, code) for _p, line, code, _s in found] == [(2, "PWC703")]


def test_flask_autoescape_selection_matches_flask() -> None:
    """PWC606's premise, from the installed Flask: which template names are autoescaped."""
    flask = pytest.importorskip("flask")
    from pyward.frameworks.flask import AUTOESCAPED_SUFFIXES, HTML_TEMPLATE_SUFFIXES

    app = flask.Flask("probe")
    for suffix in HTML_TEMPLATE_SUFFIXES:
        assert not app.select_jinja_autoescape(f"page{suffix}"), suffix
    for suffix in AUTOESCAPED_SUFFIXES:
        assert app.select_jinja_autoescape(f"page{suffix}"), suffix
