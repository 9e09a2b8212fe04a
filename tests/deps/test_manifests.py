"""Every manifest format: exact (name, specifier, version, file, line) lists, markers, includes,
line numbers in TOML, and broken input that must give problems, never exceptions."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyward.deps.manifests import TargetEnv, manifest_kind, parse_manifest, read_environment
from pyward.deps.manifests.environment import EnvironmentError_
from pyward.deps.manifests.pyproject import poetry_constraint
from pyward.deps.manifests.tomllines import TomlLocator
from pyward.deps.types import Dependency, ManifestResult

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "deps" / "manifests"
PY311_LINUX = replace(
    TargetEnv.for_python("3.11.7"), sys_platform="linux", platform_system="Linux", os_name="posix"
)

Row = tuple[str, str, str | None, str, int]


def parse(rel: str, target: TargetEnv | str | None = PY311_LINUX) -> ManifestResult:
    path = FIX / rel
    return parse_manifest(rel, path, path.read_text(encoding="utf-8"), target=target)


def rows(result: ManifestResult) -> list[Row]:
    return [(d.name, d.specifier, d.version, d.file, d.line) for d in result.dependencies]


def by_name(result: ManifestResult, name: str) -> Dependency:
    (dep,) = [d for d in result.dependencies if d.name == name]
    return dep


# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("requirements.in", "requirements"),
        ("dev.in", "requirements"),
        ("MANIFEST.in", None),
        ("Makefile.in", None),
        ("config.h.in", None),
        ("pyproject.toml", "pyproject"),
        ("Pipfile", "pipfile"),
        ("Pipfile.lock", "pipfile.lock"),
        ("poetry.lock", "poetry.lock"),
        ("pdm.lock", "pdm.lock"),
        ("uv.lock", "uv.lock"),
        ("pylock.toml", "pylock"),
        ("pylock.dev.toml", "pylock"),
        ("pylock.toml.bak", None),
        ("environment.yml", "conda"),
        ("environment.yaml", "conda"),
        ("setup.cfg", "setup.cfg"),
        ("setup.py", "setup.py"),
        ("sub/dir/poetry.lock", "poetry.lock"),
        ("notes.txt", None),
        ("main.py", None),
    ],
)
def test_manifest_kind(name: str, kind: str | None) -> None:
    assert manifest_kind(name) == kind


def test_requirements_with_includes_hashes_markers_urls() -> None:
    result = parse("req/requirements.txt")
    assert rows(result) == [
        ("certifi", "==2017.4.17", "2017.4.17", "req/base.txt", 2),
        ("idna", "==2.6", "2.6", "req/nested/common.txt", 1),
        ("cryptography", "==3.2", "3.2", "req/constraints.txt", 1),
        ("requests", "==2.19.0", "2.19.0", "req/requirements.txt", 5),
        ("flask", "<2.0,>=1.0", None, "req/requirements.txt", 6),
        ("Django", "==3.2.1", "3.2.1", "req/requirements.txt", 7),
        ("urllib3", "==1.24.1", "1.24.1", "req/requirements.txt", 8),
        ("tomli", "==2.0.1", "2.0.1", "req/requirements.txt", 13),
        ("pyjwt", "", None, "req/requirements.txt", 14),
        ("click", "", None, "req/requirements.txt", 15),
        ("mylib", "", None, "req/requirements.txt", 16),
        ("black", "", None, "req/requirements.txt", 17),
        ("requests", "==2.19.0", "2.19.0", "req/requirements.txt", 18),
        ("six", "", None, "req/requirements.txt", 19),
        ("jinja2", "==2.10", "2.10", "req/requirements.txt", 20),
        ("numpy", "===1.26.4", "1.26.4", "req/requirements.txt", 23),
        ("pyyaml", "==5.*", None, "req/requirements.txt", 24),
    ]
    assert result.included == ("req/base.txt", "req/nested/common.txt", "req/constraints.txt")
    assert by_name(result, "cryptography").group == "constraint"
    assert by_name(result, "Django").extras == ("argon2", "bcrypt")
    assert by_name(result, "urllib3").hashes == ("sha256:aaaa", "sha256:bbbb")
    assert by_name(result, "pyjwt").url == "https://github.com/jpadilla/pyjwt/archive/refs/tags/2.8.0.zip"
    click = by_name(result, "click")
    assert (click.url, click.editable) == ("git+https://github.com/pallets/click.git@8.1.7#egg=click", True)
    assert by_name(result, "mylib").url == "./vendor/mylib"
    assert by_name(result, "black").url == "git+https://github.com/psf/black.git@24.1.0#egg=black"
    assert by_name(result, "tomli").marker == 'python_version >= "3.6"'
    assert [(p.file, p.line) for p in result.problems] == [("req/nested/common.txt", 2)]
    assert "include loop" in result.problems[0].message
    assert all(d.source == "requirements" and not d.locked for d in result.dependencies)


def test_requirements_markers_follow_the_target() -> None:
    old = parse("req/requirements.txt", target="3.7")
    names = [d.name for d in old.dependencies]
    assert "importlib-metadata" in names and "pywin32" not in names
    assert by_name(old, "importlib-metadata").line == 12
    windows = parse("req/requirements.txt", target=replace(PY311_LINUX, sys_platform="win32"))
    assert by_name(windows, "pywin32").line == 11
    assert "importlib-metadata" not in [d.name for d in windows.dependencies]


def test_requirements_default_target_is_the_running_python() -> None:
    result = parse("req/requirements.txt", target=None)
    names = {d.name for d in result.dependencies}
    assert ("importlib-metadata" in names) == (sys.version_info < (3, 8))
    assert ("pywin32" in names) == (sys.platform == "win32")


def test_requirements_problems() -> None:
    result = parse("broken/requirements.txt")
    assert rows(result) == [
        ("good", "==1.0", "1.0", "broken/requirements.txt", 1),
        ("ok", "==2", "2", "broken/self.txt", 2),
    ]
    problems = [(p.file, p.line, p.message.split(":")[0].split(" '")[0]) for p in result.problems]
    assert problems == [
        ("broken/requirements.txt", 2, "invalid requirement"),
        ("broken/requirements.txt", 3, "included file"),
        ("broken/requirements.txt", 4, "unknown pip option"),
        ("broken/requirements.txt", 5, "invalid requirement"),
        ("broken/self.txt", 1, "include loop"),
    ]
    assert "not found" in result.problems[1].message


def test_requirements_continuations_comments_and_options(tmp_path: Path) -> None:
    text = (
        "# comment only\n"
        "--extra-index-url https://example.org/simple  # private\n"
        "--find-links ./wheels\n"
        "requests \\\n"
        "    >=2.0 \\\n"
        "    ,<3  # range\n"
        "flask==2.0.0 --hash=sha256:abc\n"
        "pkg#notacomment==1.0\n"
        "--requirement=other.txt\n"
        "-rother.txt\n"
        "-e ./local[extra1]\n"
        "https://example.org/dist/foo-1.0.tar.gz\n"
        "./wheels/bar-2.0-py3-none-any.whl\n"
        "baz ; python_version >= '3'\n"
        "url-pkg @ https://example.org/u.zip ; sys_platform == 'nonexistent'\n"
    )
    (tmp_path / "other.txt").write_text("idna==3.7\n", encoding="utf-8")
    path = tmp_path / "requirements.txt"
    result = parse_manifest("requirements.txt", path, text, target=PY311_LINUX)
    assert [(d.name, d.specifier, d.line, d.url, d.editable) for d in result.dependencies] == [
        ("requests", "<3,>=2.0", 4, None, False),
        ("flask", "==2.0.0", 7, None, False),
        ("idna", "==3.7", 1, None, False),
        ("local", "", 11, "./local", True),
        ("foo", "", 12, "https://example.org/dist/foo-1.0.tar.gz", False),
        ("bar", "", 13, "./wheels/bar-2.0-py3-none-any.whl", False),
        ("baz", "", 14, None, False),
    ]
    assert result.dependencies[3].extras == ("extra1",)
    assert result.dependencies[2].file == "other.txt"
    assert [(p.line, p.message.split(" '")[0]) for p in result.problems] == [(8, "invalid requirement")]


def test_requirements_editable_project_dir_is_named_after_it(tmp_path: Path) -> None:
    project = tmp_path / "my-project"
    project.mkdir()
    text = "-e .\n--editable=./lib\n-ehttps://x.org/q.git#egg=q\n"
    result = parse_manifest("requirements.txt", project / "requirements.txt", text)
    assert [(d.name, d.url, d.editable, d.version) for d in result.dependencies] == [
        ("my-project", ".", True, None),
        ("lib", "./lib", True, None),
        ("q", "https://x.org/q.git#egg=q", True, None),
    ]


def test_requirements_includes_missing_and_remote(tmp_path: Path) -> None:
    text = "-r missing.txt\n-c https://example.org/c.txt\n-r\n"
    result = parse_manifest("requirements.txt", tmp_path / "requirements.txt", text)
    assert [(p.line, p.message.split(" '")[0].split(" needs")[0]) for p in result.problems] == [
        (1, "included file"),
        (2, "included file"),
        (3, "-r"),
    ]
    assert result.dependencies == ()


def test_pyproject_all_tables() -> None:
    result = parse("pyproject.toml")
    assert rows(result) == [
        ("requests", "==2.19.0", "2.19.0", "pyproject.toml", 9),
        ("flask", ">=2.0", None, "pyproject.toml", 10),
        ("attrs", "", None, "pyproject.toml", 12),
        ("pytest", "==7.0.0", "7.0.0", "pyproject.toml", 16),
        ("coverage", ">=6", None, "pyproject.toml", 16),
        ("sphinx", "==4.0.0", "4.0.0", "pyproject.toml", 18),
        ("ruff", "==0.1.0", "0.1.0", "pyproject.toml", 22),
        ("mypy", ">=1.0", None, "pyproject.toml", 25),
        ("hatchling", ">=1.18", None, "pyproject.toml", 2),
        ("setuptools-scm", "==8.0.4", "8.0.4", "pyproject.toml", 2),
        ("numpy", ">=1.24.2,<2.0.0", None, "pyproject.toml", 30),
        ("pandas", ">=1.5.3,<1.6.0", None, "pyproject.toml", 31),
        ("scipy", "==1.10.1", "1.10.1", "pyproject.toml", 32),
        ("black", "", None, "pyproject.toml", 33),
        ("legacy", "^1.0 || ^2.0", None, "pyproject.toml", 35),
        ("pytest-cov", "", None, "pyproject.toml", 38),
        ("zope.interface", ">=5.0,<6.0", None, "pyproject.toml", 39),
    ]
    assert [d.group for d in result.dependencies][:9] == [
        "main", "main", "main", "test", "test", "docs", "lint", "dev", "build-system",
    ]  # fmt: skip
    assert by_name(result, "black").url == "git+https://github.com/psf/black.git@24.1.0"
    assert by_name(result, "pandas").extras == ("performance",)
    assert result.problems == ()
    # tomli has python = "<3.11": present for 3.10, absent for 3.11
    assert by_name(parse("pyproject.toml", target="3.10"), "tomli").specifier == ">=2.0,<3.0"


def test_pyproject_dependency_group_problems() -> None:
    text = (
        "[dependency-groups]\n"
        "a = [{ include-group = 'b' }]\n"
        "b = [{ include-group = 'a' }, 'six']\n"
        "c = [{ include-group = 'nope' }]\n"
    )
    result = parse_manifest("pyproject.toml", None, text)
    assert rows(result) == [("six", "", None, "pyproject.toml", 3)]
    messages = sorted((p.line, p.message) for p in result.problems)
    assert messages[0][0] == 2 and "loop" in messages[0][1]
    assert messages[1] == (4, "dependency group 'c' includes unknown group 'nope'")


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^1.2", ">=1.2,<2.0"),
        ("^0", ">=0,<1"),
        ("^0.0", ">=0.0,<0.1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.4", "~=1.4"),
        ("1.2.3", "==1.2.3"),
        ("=1.0", "==1.0"),
        ("1.2.*", "==1.2.*"),
        ("*", ""),
        (">= 1.2 < 2.0", ">=1.2,<2.0"),
        (">=1.2.3, <1.5 !=1.4.1", ">=1.2.3,<1.5,!=1.4.1"),
    ],
)
def test_poetry_constraints(poetry: str, pep440: str) -> None:
    assert poetry_constraint(poetry) == pep440


def test_poetry_or_constraint_is_refused() -> None:
    with pytest.raises(ValueError, match="no PEP 440 equivalent"):
        poetry_constraint("^1.0 || ^2.0")


def test_poetry_lock() -> None:
    result = parse("poetry.lock")
    assert rows(result) == [
        ("certifi", "==2023.7.22", "2023.7.22", "poetry.lock", 4),
        ("requests", "==2.25.0", "2.25.0", "poetry.lock", 14),
        ("mylib", "", None, "poetry.lock", 28),
    ]
    mylib = by_name(result, "mylib")
    assert (mylib.url, mylib.editable, mylib.locked) == ("../mylib", True, True)
    assert by_name(result, "certifi").hashes == (
        "sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9",
    )
    assert all(d.locked and d.source == "poetry.lock" for d in result.dependencies)


def test_pipfile() -> None:
    result = parse("Pipfile")
    assert rows(result) == [
        ("requests", "==2.19.0", "2.19.0", "Pipfile", 7),
        ("flask", "", None, "Pipfile", 8),
        ("django", ">=3.0", None, "Pipfile", 9),
        ("mylib", "", None, "Pipfile", 11),
        ("pytest", "==7.0.0", "7.0.0", "Pipfile", 14),
    ]
    assert by_name(result, "pytest").group == "develop"
    assert by_name(result, "mylib").editable
    windows = parse("Pipfile", target=replace(PY311_LINUX, sys_platform="win32"))
    assert by_name(windows, "pywin32").line == 10


def test_pipfile_lock() -> None:
    result = parse("Pipfile.lock")
    assert rows(result) == [
        ("certifi", "==2023.7.22", "2023.7.22", "Pipfile.lock", 13),
        ("requests", "==2.19.0", "2.19.0", "Pipfile.lock", 24),
        ("pytest", "==7.0.0", "7.0.0", "Pipfile.lock", 31),
    ]
    assert [d.group for d in result.dependencies] == ["default", "default", "develop"]


def test_pdm_lock() -> None:
    result = parse("pdm.lock")
    assert rows(result) == [
        ("jinja2", "==2.10", "2.10", "pdm.lock", 11),
        ("markupsafe", "==2.1.3", "2.1.3", "pdm.lock", 24),
        ("mytool", "", None, "pdm.lock", 29),
    ]
    assert by_name(result, "mytool").url == "git+https://github.com/example/mytool.git@0123abc"


def test_uv_lock_skips_the_project_itself() -> None:
    result = parse("uv.lock")
    assert rows(result) == [
        ("idna", "==2.6", "2.6", "uv.lock", 13),
        ("urllib3", "==1.24.1", "1.24.1", "uv.lock", 19),
        ("fork", "", None, "uv.lock", 27),
    ]
    assert by_name(result, "fork").url == "git+https://github.com/example/fork?rev=main#deadbeef"
    assert by_name(result, "urllib3").hashes == ("sha256:3333",)


def test_pylock() -> None:
    result = parse("pylock.toml")
    assert rows(result) == [
        ("attrs", "==23.1.0", "23.1.0", "pylock.toml", 7),
        ("pillow", "==8.1.0", "8.1.0", "pylock.toml", 22),
        ("local-pkg", "", None, "pylock.toml", 27),
    ]
    assert by_name(result, "attrs").hashes == ("sha256:4444",)
    windows = parse("pylock.toml", target=replace(PY311_LINUX, sys_platform="win32"))
    assert by_name(windows, "pywin32").line == 17


def test_conda_environment() -> None:
    result = parse("environment.yml")
    assert rows(result) == [
        ("numpy", "==1.26.4", "1.26.4", "environment.yml", 7),
        ("pandas", "==2.1.0", "2.1.0", "environment.yml", 8),
        ("scipy", ">=1.10", None, "environment.yml", 9),
        ("torch", "==2.1.*", None, "environment.yml", 11),
        ("requests", "==2.19.0", "2.19.0", "environment.yml", 14),
        ("flask", ">=2.0", None, "environment.yml", 15),
        ("tool", "", None, "environment.yml", 16),
    ]
    assert [d.group for d in result.dependencies] == ["conda"] * 4 + ["pip"] * 3
    assert result.problems == ()


def test_conda_environment_problems() -> None:
    text = "name: x\ndependencies:\n  - numpy\n\t- bad\n  not a list item\n"
    result = parse_manifest("environment.yml", None, text)
    assert rows(result) == [("numpy", "", None, "environment.yml", 3)]
    assert [p.line for p in result.problems] == [4, 5]


def test_setup_cfg() -> None:
    result = parse("setup.cfg")
    assert rows(result) == [
        ("requests", "==2.19.0", "2.19.0", "setup.cfg", 7),
        ("click", ">=7", None, "setup.cfg", 8),
        ("setuptools_scm", "==6.0", "6.0", "setup.cfg", 10),
        ("PyYAML", "==5.3", "5.3", "setup.cfg", 14),
        ("pytest", "==7.0.0", "7.0.0", "setup.cfg", 15),
    ]
    assert [d.group for d in result.dependencies] == ["main", "main", "setup", "yaml", "test"]


def test_setup_py_is_read_not_run() -> None:
    result = parse("setup.py")
    assert rows(result) == [
        ("requests", "==2.19.0", "2.19.0", "setup.py", 4),
        ("idna", ">=2.5", None, "setup.py", 5),
        ("urllib3", "==1.24.1", "1.24.1", "setup.py", 12),
        ("rich", "==13.0.0", "13.0.0", "setup.py", 7),
        ("wheel", "", None, "setup.py", 18),
    ]
    assert [(p.line, p.message) for p in result.problems] == [(19, "tests_require cannot be read statically")]
    windows = parse("setup.py", target=replace(PY311_LINUX, sys_platform="win32"))
    assert by_name(windows, "colorama").line == 16


def test_setup_py_star_kwargs() -> None:
    text = (
        "from setuptools import setup\n"  # 1
        "REQ = ['six==1.0']\n"  # 2
        "kw = dict(name='x', install_requires=REQ)\n"  # 3
        "meta = {'extras_require': {'a': ['idna>=2']}, 'name': 'y'}\n"  # 4
        "setup(**kw)\n"  # 5
        "setup(**meta)\n"  # 6
        "setup(**compute())\n"  # 7
    )
    result = parse_manifest("setup.py", None, text)
    assert [(d.name, d.line, d.group) for d in result.dependencies] == [("six", 2, "main"), ("idna", 4, "a")]
    assert [(p.line, p.message) for p in result.problems] == [
        (7, "setup(**...) arguments cannot be read statically")
    ]


def test_setup_py_never_executes(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\nfrom setuptools import setup\nsetup(install_requires=['six==1.0'])\n"
    result = parse_manifest("setup.py", tmp_path / "setup.py", text)
    assert rows(result) == [("six", "==1.0", "1.0", "setup.py", 4)]
    assert not marker.exists()


def test_pyproject_pdm_and_uv_dev_dependencies() -> None:
    text = (
        "[tool.pdm.dev-dependencies]\n"  # 1
        "test = [\n"  # 2
        "    'pytest==7.4.0',\n"  # 3
        "]\n"  # 4
        "lint = ['ruff']\n"  # 5
        "[tool.uv]\n"  # 6
        "dev-dependencies = ['mypy==1.8.0']\n"  # 7
    )
    result = parse_manifest("pyproject.toml", None, text)
    assert rows(result) == [
        ("pytest", "==7.4.0", "7.4.0", "pyproject.toml", 3),
        ("ruff", "", None, "pyproject.toml", 5),
        ("mypy", "==1.8.0", "1.8.0", "pyproject.toml", 7),
    ]
    assert [d.group for d in result.dependencies] == ["test", "lint", "dev"]


# ----------------------------------------------------------------------------------------------
# TOML line finding


def test_toml_locator_lines() -> None:
    text = (
        "# top\n"  # 1
        'title = """\n'  # 2
        "[not.a.table]\n"  # 3 (inside a multi-line string)
        '"""\n'  # 4
        "[project]\n"  # 5
        "optional-dependencies.dev = ['a', 'a', \"b\"]\n"  # 6
        "dependencies = [\n"  # 7
        "  'x',\n"  # 8
        "  'x',\n"  # 9
        "]\n"  # 10
        '[ tool . "poetry" ]\n'  # 11
        "dependencies = { requests = '^2' }\n"  # 12
        "[[package]]\n"  # 13
        "name = 'one'\n"  # 14
        "[[package]]\n"  # 15
        "\n"  # 16
        "name = 'two'\n"  # 17
    )
    loc = TomlLocator(text)
    assert loc.section(("not", "a", "table")) is None
    assert loc.array_item_lines(("project",), "dependencies", ["x", "x"]) == [8, 9]
    assert loc.array_item_lines(("project", "optional-dependencies"), "dev", ["a", "a", "b"]) == [6, 6, 6]
    assert loc.key_line(("tool", "poetry", "dependencies"), "requests") == 12
    assert loc.key_line(("package",), "name", 0) == 14
    assert loc.key_line(("package",), "name", 1) == 17
    assert loc.best_key_line(("package",), "version", 1) == 15


def test_pyproject_dotted_and_inline_tables_point_at_the_right_lines() -> None:
    text = (
        "[project]\n"
        "name = 'x'\n"
        "optional-dependencies.dev = [\n"
        "  'pytest==7.0',\n"
        "]\n"
        "[tool.poetry]\n"
        "name = 'x'\n"
        "dependencies = { python = '^3.8', requests = '2.0.0' }\n"
    )
    result = parse_manifest("pyproject.toml", None, text, target=PY311_LINUX)
    assert rows(result) == [
        ("pytest", "==7.0", "7.0", "pyproject.toml", 4),
        ("requests", "==2.0.0", "2.0.0", "pyproject.toml", 8),
    ]


# ----------------------------------------------------------------------------------------------
# broken input: problems, never exceptions

GARBAGE = [
    "",
    "\x00\x01\x02binary\x00",
    "[[[[",
    "= = =",
    "{",
    '{"default": [1, 2]}',
    "dependencies:\n  - [",
    "setup(install_requires=)",
    "\ufeffrequests==1.0\n",
    "x" * 5000,
    "[project]\ndependencies = 'requests'\n",
    "[[package]]\nversion = 1\n",
    "[tool.poetry.dependencies]\nrequests = 3\n",
    "numpy===,,1.26.4\n",  # packaging raises InvalidSpecifier, not InvalidRequirement
]
KINDS = ["requirements.txt", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "pdm.lock",
         "uv.lock", "pylock.toml", "environment.yml", "setup.cfg", "setup.py"]  # fmt: skip


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(name: str, text: str, tmp_path: Path) -> None:
    result = parse_manifest(name, tmp_path / name, text)
    assert isinstance(result, ManifestResult)
    for problem in result.problems:
        assert problem.file == name and problem.message


@pytest.mark.parametrize("name", KINDS)
def test_binary_file_is_a_problem(name: str) -> None:
    result = parse_manifest(name, None, "PK\x03\x04\x00\x00binary")
    assert result.dependencies == ()
    assert [p.message for p in result.problems] == ["binary file, not a text manifest"]


@pytest.mark.parametrize(
    "name", ["pyproject.toml", "poetry.lock", "Pipfile", "pdm.lock", "uv.lock", "pylock.toml"]
)
def test_invalid_toml_is_a_problem_at_its_line(name: str) -> None:
    result = parse_manifest(name, None, "[a]\nb = 1\nc = = 2\n")
    assert result.dependencies == ()
    assert [(p.line, p.message.startswith("invalid TOML")) for p in result.problems] == [(3, True)]


def test_invalid_json_lock_is_a_problem() -> None:
    result = parse_manifest("Pipfile.lock", None, '{\n  "default": {\n    "x": \n}')
    assert [p.line for p in result.problems] == [4]


def test_setup_py_syntax_error_is_a_problem() -> None:
    result = parse_manifest("setup.py", None, "setup(\n  install_requires=[\n")
    assert len(result.problems) == 1 and "cannot be parsed" in result.problems[0].message


def test_bad_target_python_is_a_problem() -> None:
    result = parse_manifest("requirements.txt", None, "six\n", target="three")
    assert result.dependencies == () and "not a Python version" in result.problems[0].message


# ----------------------------------------------------------------------------------------------
# installed environments


def test_read_environment_of_the_running_python() -> None:
    from importlib import metadata

    result = read_environment(sys.executable)
    packaging = [d for d in result.dependencies if d.normalized == "packaging"]
    assert [d.version for d in packaging] == [metadata.version("packaging")]
    assert packaging[0].locked and packaging[0].source == "installed"
    assert packaging[0].file.endswith("METADATA")


def test_read_environment_of_a_venv(tmp_path: Path) -> None:
    import subprocess
    import sysconfig

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    info = Path(purelib) / "fakepkg-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: FakePkg\nVersion: 1.2.3\n", encoding="utf-8")
    # a .pth file that would run code if site processing were enabled
    marker = tmp_path / "pth-ran"
    (Path(purelib) / "evil.pth").write_text(
        f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')\n"
    )
    result = read_environment(str(python))
    assert [(d.name, d.version) for d in result.dependencies] == [("FakePkg", "1.2.3")]
    assert not marker.exists()
    assert sysconfig.get_paths()["purelib"] != purelib


def test_read_environment_errors(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError_, match="no such interpreter"):
        read_environment(str(tmp_path / "nope"))
    script = tmp_path / "fake-python"
    script.write_text("#!/bin/sh\necho not json\n")
    script.chmod(0o755)
    if sys.platform != "win32":
        with pytest.raises(EnvironmentError_, match="did not print a distribution list"):
            read_environment(str(script))


# ----------------------------------------------------------------------------------------------
# property: any text, any kind -> a result, never an exception

_FIXTURE_TEXTS = [
    (p.name, p.read_text(encoding="utf-8"))
    for p in sorted(FIX.rglob("*"))
    if p.is_file() and p.parent.name != "broken"
]
_PIECES = st.sampled_from(
    [*"[]{}\"'=,#\\\n -.;:@^~*<>!0123456789azI\t", "[[package]]\n", "- pip:\n", "-r x\n"]
)


@st.composite
def mutated_manifest(draw: st.DrawFn) -> tuple[str, str]:
    name, text = draw(st.sampled_from(_FIXTURE_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:i] + draw(_PIECES) + text[i:]
        else:
            text = text[:i] + text[i + draw(st.integers(1, 8)) :]
    return name, text


@settings(max_examples=300, deadline=None)
@given(mutated_manifest())
def test_mutated_manifests_never_raise(case: tuple[str, str]) -> None:
    name, text = case
    result = parse_manifest(name, FIX / name, text)
    assert all(d.line >= 1 for d in result.dependencies)
