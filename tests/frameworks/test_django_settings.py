"""Settings resolution: roles, chains, list mutations, conditionals, imports, and bad input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import run_scan

from pyward.model import Finding
from pyward.settings import Settings as PywardSettings


def scan(tmp_path: Path, files: dict[str, str], select: tuple[str, ...] = ("PWC5",)) -> list[Finding]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    report = run_scan([tmp_path], root=tmp_path, settings=PywardSettings(select=select))
    internal = [d for d in report.diagnostics if d.code == "PWX004"]
    assert internal == [], internal
    return sorted(report.findings, key=lambda f: f.sort_key())


def where(findings: list[Finding], code: str) -> list[tuple[str, int]]:
    return [(f.span.path, f.span.line) for f in findings if f.code == code]


def roles(findings: list[Finding]) -> dict[str, str]:
    return {f.span.path: str(f.properties["role"]) for f in findings if f.code == "PWC599"}


PKG = {"proj/__init__.py": "", "proj/settings/__init__.py": ""}


def test_roles_from_pointers_and_names(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.local")\n',
            "proj/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.server")\n',
            "proj/settings/common.py": "INSTALLED_APPS = []\nMIDDLEWARE = []\n",
            "proj/settings/local.py": "from .common import *\nDEBUG = True\n",
            "proj/settings/server.py": "from .common import *\nDEBUG = False\n",
            "proj/settings/ci.py": "from .common import *\n",
            "proj/settings/staging.py": "from .common import *\n",
        },
        select=("PWC599",),
    )
    assert roles(findings) == {
        "proj/settings/common.py": "base",
        "proj/settings/local.py": "development",
        "proj/settings/server.py": "production",
        "proj/settings/ci.py": "development",
        "proj/settings/staging.py": "production",
    }


def test_chain_overrides_and_list_mutations(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            "proj/settings/base.py": (
                "DEBUG = True\n"
                "INSTALLED_APPS = ['django.contrib.auth']\n"
                "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n"
                "X_FRAME_OPTIONS = 'SAMEORIGIN'\n"
            ),
            "proj/settings/prod.py": (
                "from .base import *\n"
                "DEBUG = False\n"
                "MIDDLEWARE.insert(0, 'django.middleware.security.SecurityMiddleware')\n"
                "MIDDLEWARE += ['django.middleware.csrf.CsrfViewMiddleware']\n"
                "MIDDLEWARE.append('django.middleware.clickjacking.XFrameOptionsMiddleware')\n"
                "MIDDLEWARE.remove('django.middleware.common.CommonMiddleware')\n"
            ),
        },
        select=("PWC501", "PWC502", "PWC503", "PWC514", "PWC515"),
    )
    # DEBUG is overridden; the middleware are all added; X_FRAME_OPTIONS comes from base.
    assert [(f.code, f.span.path, f.span.line) for f in findings] == [
        ("PWC515", "proj/settings/base.py", 4)
    ]
    assert findings[0].properties["settings_modules"] == ["proj.settings.prod"]
    assert findings[0].properties["chains"] == {"proj.settings.prod": ["proj.settings.prod", "proj.settings.base"]}
    assert "set in `proj.settings.base` line 4" in findings[0].message


def test_parent_module_values_are_not_mutated_by_children(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            "proj/settings/base.py": "INSTALLED_APPS = []\nMIDDLEWARE = []\n",
            "proj/settings/prod.py": "from .base import *\nMIDDLEWARE.append('django.middleware.csrf.CsrfViewMiddleware')\n",
            "proj/settings/live.py": "from .base import *\n",
        },
        select=("PWC502",),
    )
    # prod's append must not leak into live, which imports the same base.
    assert where(findings, "PWC502") == [("proj/settings/base.py", 2)]
    assert findings[0].properties["settings_modules"] == ["proj.settings.live"]


def test_conditionals(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "settings.py": (
                "import os\n"
                "INSTALLED_APPS = []\n"
                "DEBUG = os.getenv('DEBUG', '0') == '1'\n"
                "if DEBUG:\n"
                "    ALLOWED_HOSTS = ['*']\n"
                "else:\n"
                "    ALLOWED_HOSTS = ['example.com']\n"
                "if os.path.exists('/etc/cors'):\n"
                "    CORS_ALLOW_ALL_ORIGINS = True\n"
                "CORS_ALLOW_CREDENTIALS = True\n"
                "SECURE_SSL_REDIRECT = 'SSL' not in os.environ\n"
            ),
        },
        select=("PWC514", "PWC530", "PWC537"),
    )
    # DEBUG is False on defaults; the else branch is taken; the CORS branch is undecidable.
    assert findings == []


def test_try_import_handler_and_all(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/defaults.py": "__all__ = ['DEBUG']\nDEBUG = True\nALLOWED_HOSTS = ['*']\n",
            "app/settings.py": (
                "from app.defaults import *\n"
                "INSTALLED_APPS = []\n"
                "try:\n"
                "    from .local_settings import *\n"
                "except ImportError:\n"
                "    DEBUG = False\n"
            ),
        },
        select=("PWC514", "PWC530"),
    )
    # The handler runs (no local_settings.py); ALLOWED_HOSTS is not exported by __all__.
    assert findings == []


def test_settings_package_module_in_effect(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/settings/__init__.py": "from .base import *\nDEBUG = True\n",
            "site/settings/base.py": "INSTALLED_APPS = []\nALLOWED_HOSTS = ['a.com']\n",
            "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
        },
        select=("PWC514", "PWC599"),
    )
    assert where(findings, "PWC514") == [("site/settings/__init__.py", 2)]
    assert roles(findings) == {"site/settings/__init__.py": "in-effect", "site/settings/base.py": "base"}


def test_not_settings_modules_are_ignored(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "config.py": "DEBUG = True\nSECRET_KEY = 'x'\n",  # a Flask-style config: no Django setting names
            "constants.py": "ALLOWED_HOSTS = ['*']\n",  # one Django-looking name, not a settings module
        },
    )
    assert findings == []


def test_bad_input_does_not_crash(tmp_path: Path) -> None:
    deep = "(" * 50 + "1" + ")" * 50
    findings = scan(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/settings_a.py": "from p.settings_b import *\nINSTALLED_APPS = []\nMIDDLEWARE = []\n",
            "p/settings_b.py": "from p.settings_a import *\nINSTALLED_APPS = []\n",
            "p/settings.py": (
                "INSTALLED_APPS = [*undefined, 'x']\n"
                f"SECURE_HSTS_SECONDS = {deep} + 'a'\n"
                "MIDDLEWARE = ['x'] * 10**9\n"
                "SECRET_KEY = f'{undefined!r:>10}'\n"
                "ALLOWED_HOSTS = [h for h in 'abc']\n"
                "DEBUG, X = 1\n"
                "DATABASES = {}\n"
                "DATABASES['default']['NAME'] = 'x'\n"
                "for i in range(3):\n"
                "    MIDDLEWARE.append(i)\n"
                "globals().update({'DEBUG': True})\n"
            ),
        },
        select=("PWC5",),
    )
    assert all(f.code.startswith("PWC5") for f in findings)


def test_merged_finding_names_every_module(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            "proj/settings/base.py": "INSTALLED_APPS = []\nALLOWED_HOSTS = ['*']\n",
            "proj/settings/prod.py": "from .base import *\n",
            "proj/settings/live.py": "from .base import *\n",
        },
        select=("PWC530",),
    )
    assert len(findings) == 1
    assert findings[0].properties["settings_modules"] == ["proj.settings.live", "proj.settings.prod"]
    assert "`proj.settings.live` (production), `proj.settings.prod` (production)" in findings[0].message


def test_dynamic_globals_make_unset_settings_unknown(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            "proj/settings/base.py": (
                "from proj.loader import load\n"
                "INSTALLED_APPS = ['django.contrib.sessions']\n"
                "SESSION_COOKIE_SECURE = False\n"
                "globals().update(load())\n"
                "MIDDLEWARE = []\n"
            ),
            "proj/settings/prod.py": "from .base import *\n",
        },
    )
    # Nothing about settings the dynamic update may set (SECRET_KEY, ALLOWED_HOSTS, and the cookie
    # flag assigned before it); MIDDLEWARE, assigned after the update, is judged.
    assert sorted((f.code, f.span.path, f.span.line) for f in findings if f.code != "PWC599") == [
        ("PWC501", "proj/settings/base.py", 5),
        ("PWC502", "proj/settings/base.py", 5),
        ("PWC503", "proj/settings/base.py", 5),
    ]
    role = next(f for f in findings if f.code == "PWC599" and f.span.path.endswith("prod.py"))
    assert role.properties["dynamic_globals"] is True


def test_example_and_test_folders_are_development(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "tests/settings.py": "INSTALLED_APPS = []\nDEBUG = True\nSECRET_KEY = 'x'\n",
            "example/example/__init__.py": "",
            "example/example/settings.py": "INSTALLED_APPS = []\nDEBUG = True\n",
            "example/example/wsgi.py": (
                'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")\n'
            ),
            "django/conf/global_settings.py": "INSTALLED_APPS = []\nMIDDLEWARE = []\nALLOWED_HOSTS = []\n",
        },
    )
    assert sorted((f.code, f.span.path) for f in findings) == [
        ("PWC599", "example/example/settings.py"),
        ("PWC599", "tests/settings.py"),
    ]
    assert roles(findings) == {"example/example/settings.py": "development", "tests/settings.py": "development"}


def test_string_flags_are_low_and_explained(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "settings.py": (
                "import os\n"
                "INSTALLED_APPS = ['django.contrib.sessions']\n"
                "SESSION_COOKIE_SECURE = os.getenv('SECURE', 'False')\n"
                "SESSION_COOKIE_HTTPONLY = os.getenv('HTTPONLY', '')\n"
            ),
        },
        select=("PWC511", "PWC512"),
    )
    by_code = {f.code: f for f in findings}
    assert set(by_code) == {"PWC511", "PWC512"}
    # 'False' is truthy: the cookie is Secure at run time, check --deploy still rejects it.
    assert by_code["PWC511"].severity.label == "low"
    assert "non-empty string" in by_code["PWC511"].message
    # '' is falsy: HttpOnly really is off.
    assert by_code["PWC512"].severity.label == "medium"


_FRAGMENTS = [
    "import os\n",
    "import environ\n",
    "from decouple import config, Csv\n",
    "env = environ.Env(DEBUG=(bool, False))\n",
    "from .base import *\n",
    "from .missing import *\n",
    "try:\n    from .local import *\nexcept ImportError:\n    pass\n",
    "DEBUG = os.getenv('DEBUG', 'False')\n",
    "DEBUG = env('DEBUG')\n",
    "DEBUG = config('DEBUG', default=True, cast=bool)\n",
    "ALLOWED_HOSTS = config('HOSTS', default='a,b', cast=Csv())\n",
    "ALLOWED_HOSTS = env.list('HOSTS', default=['*'])\n",
    "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n",
    "MIDDLEWARE += ['x']\n",
    "MIDDLEWARE.insert(0, 'y')\n",
    "MIDDLEWARE.remove('nope')\n",
    "MIDDLEWARE = MIDDLEWARE * 3\n",
    "INSTALLED_APPS = ['django.contrib.sessions'] + INSTALLED_APPS\n",
    "if DEBUG:\n    SECRET_KEY = 'x'\nelse:\n    SECRET_KEY = os.environ['K']\n",
    "if 'X' in os.environ:\n    SECURE_SSL_REDIRECT = True\n",
    "SECURE_HSTS_SECONDS = int(os.getenv('HSTS', 'abc'))\n",
    "SECURE_PROXY_SSL_HEADER = ('HTTP_X', 'https', 3)\n",
    "DATABASES = {'default': {}}\nDATABASES['default']['NAME'] = 1\n",
    "X, *Y = MIDDLEWARE\n",
    "globals().update({})\n",
    "for i in range(2):\n    MIDDLEWARE.append(i)\n",
    "SECRET_KEY_FALLBACKS = [None, 1, 'django-insecure-x']\n",
    "CSRF_TRUSTED_ORIGINS = ['*', 'http://*.a', 1]\n",
    "SECURE_REFERRER_POLICY = 5\n",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY = ['a']\n",
    "PASSWORD_HASHERS = [None]\n",
    "CSRF_FAILURE_VIEW = 'proj.settings.base'\n",
    "SECURE_CSP = {'a': CSP}\n",
    "TEMPLATES = [1, {'OPTIONS': 2}]\n",
    "def f():\n    return 1\n",
    "SESSION_COOKIE_SAMESITE = f()\n",
]


@given(
    base=st.lists(st.sampled_from(_FRAGMENTS), max_size=8),
    prod=st.lists(st.sampled_from(_FRAGMENTS), max_size=8),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_settings_never_crash(tmp_path: Path, base: list[str], prod: list[str]) -> None:
    root = tmp_path / f"case{abs(hash((tuple(base), tuple(prod)))) % 10**8}"
    scan(
        root,
        {
            **PKG,
            "proj/settings/base.py": "INSTALLED_APPS = []\n" + "".join(base),
            "proj/settings/prod.py": "from .base import *\n" + "".join(prod),
        },
    )


def test_samesite_variants(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "settings.py": (
                "INSTALLED_APPS = ['django.contrib.sessions']\n"
                "SESSION_COOKIE_SAMESITE = 'None'\n"
                "CSRF_COOKIE_SAMESITE = None\n"
                "LANGUAGE_COOKIE_SAMESITE = 'Strict'\n"
            ),
        },
        select=("PWC534",),
    )
    assert [(f.span.line, f.severity.label) for f in findings] == [(2, "medium"), (3, "low")]


def test_import_failure_in_imported_module_stays_there(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            **PKG,
            # base star-imports a module that is not there, outside any try: ignored
            "proj/settings/base.py": "from .secrets import *\nINSTALLED_APPS = []\nDEBUG = True\n",
            # prod's try imports base (found): the handler must not run
            "proj/settings/prod.py": (
                "try:\n    from .base import *\nexcept ImportError:\n    DEBUG = False\n"
            ),
        },
        select=("PWC514",),
    )
    assert where(findings, "PWC514") == [("proj/settings/base.py", 3)]


def test_env_string_trap_variants(tmp_path: Path) -> None:
    findings = scan(
        tmp_path,
        {
            "settings.py": (
                "import os\n"
                "import environ\n"
                "from decouple import config\n"
                "env = environ.Env()\n"
                "INSTALLED_APPS = []\n"
                "DEBUG = os.environ.get('DEBUG', False)\n"  # set to 'False' -> truthy
                "CORS_ALLOW_ALL_ORIGINS = env('CORS_ALL', default=False)\n"  # smart cast: bool
                "CORS_ALLOW_CREDENTIALS = config('CORS_CRED', default=False)\n"  # no cast: string
                "CORS_ORIGIN_ALLOW_ALL = config('CORS_OLD', default=False, cast=bool)\n"
                "DEBUG_PROPAGATE_EXCEPTIONS = env.str('PROPAGATE', default='')\n"
            ),
        },
        select=("PWC539",),
    )
    assert [f.span.line for f in findings] == [6, 8, 10]
