"""``--fix``: exact before/after on a requirements file and a pyproject, dry-run diff, atomic
writes, lock files left alone, and the CLI path against the real PyPA data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pyward.deps import fix as fixmod
from pyward.deps.fix import apply_fixes

REQUIREMENTS_BEFORE = """\
# app requirements
--index-url https://pypi.org/simple
requests==2.19.0  # http client
Django[argon2]==3.2.1 ; python_version >= "3.8"
urllib3==1.24.1 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb  # from pip-compile
flask>=1.0,<2.0
jinja2 \\
  ==2.10
pyyaml==6.0.1
six==1.16.0
"""

REQUIREMENTS_AFTER = """\
# app requirements
--index-url https://pypi.org/simple
requests==2.31.0  # http client
Django[argon2]==3.2.25 ; python_version >= "3.8"
urllib3==1.26.18  # from pip-compile
flask>=1.0,<2.0
jinja2 \\
  ==2.11.3
pyyaml==6.0.1
six==1.16.0
"""

TARGETS = {
    "requests": "2.31.0",
    "django": "3.2.25",
    "urllib3": "1.26.18",
    "flask": "2.2.5",
    "jinja2": "2.11.3",
    "pyyaml": "5.4",  # older than the pin: never a downgrade
}

PYPROJECT_BEFORE = """\
[build-system]
requires = ["setuptools==65.5.0", "wheel"]

[project]
name = "demo"
dependencies = [
    "requests==2.19.0",  # keep this comment
    'Django[argon2] == 3.2.1; python_version >= "3.8"',
    "flask>=1.0,<2.0",
]

[project.optional-dependencies]
yaml = ['pyyaml==6.0.1']

[dependency-groups]
dev = [{ include-group = "test" }, "jinja2==2.10"]
test = ["pytest"]

[tool.poetry.dependencies]
python = "^3.10"
urllib3 = "1.24.1"   # poetry exact pin
certifi = { version = "==2017.4.17", optional = true }
idna = "^2.5"
"""

PYPROJECT_AFTER = """\
[build-system]
requires = ["setuptools==65.5.1", "wheel"]

[project]
name = "demo"
dependencies = [
    "requests==2.31.0",  # keep this comment
    'Django[argon2] == 3.2.25; python_version >= "3.8"',
    "flask>=1.0,<2.0",
]

[project.optional-dependencies]
yaml = ['pyyaml==6.0.1']

[dependency-groups]
dev = [{ include-group = "test" }, "jinja2==2.11.3"]
test = ["pytest"]

[tool.poetry.dependencies]
python = "^3.10"
urllib3 = "1.26.18"   # poetry exact pin
certifi = { version = "==2022.12.7", optional = true }
idna = "^2.5"
"""


def test_requirements_before_after(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(REQUIREMENTS_BEFORE, encoding="utf-8")
    result = apply_fixes([path], TARGETS, dry_run=False)
    assert path.read_text(encoding="utf-8") == REQUIREMENTS_AFTER
    assert result.changed == [path]
    assert result.messages == [
        f"{path}:5: removed the --hash values of urllib3 (they were for 1.24.1); regenerate them, e.g. with "
        "`pip-compile --generate-hashes` or `pip hash`, before installing with --require-hashes",
        f"{path}:8: flask>=1.0,<2.0 excludes the fixed version 2.2.5 of flask; widen it by hand",
    ]


def test_pyproject_before_after(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT_BEFORE, encoding="utf-8")
    targets = {**TARGETS, "setuptools": "65.5.1", "certifi": "2022.12.7", "idna": "3.7"}
    result = apply_fixes([path], targets, dry_run=False)
    assert path.read_text(encoding="utf-8") == PYPROJECT_AFTER
    assert result.changed == [path]
    assert result.messages == [
        f"{path} [project] dependencies: 'flask>=1.0,<2.0' excludes the fixed version 2.2.5; widen it by hand",
        f"{path} [tool.poetry.dependencies] idna = '^2.5' is a range; poetry re-resolves it with "
        "`poetry update idna` (widen it by hand if it excludes 3.7)",
    ]


def test_dry_run_changes_nothing_and_shows_the_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "requirements.txt"
    path.write_text("requests==2.19.0\nsix==1.16.0\n", encoding="utf-8")
    result = apply_fixes([path], {"requests": "2.31.0"}, dry_run=True)
    assert path.read_text(encoding="utf-8") == "requests==2.19.0\nsix==1.16.0\n"
    assert result.changed == [path]
    assert result.diff == (
        "--- a/requirements.txt\n"
        "+++ b/requirements.txt\n"
        "@@ -1,2 +1,2 @@\n"
        "-requests==2.19.0\n"
        "+requests==2.31.0\n"
        " six==1.16.0\n"
    )


def test_diff_marks_a_missing_final_newline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "requirements.txt"
    path.write_text("requests==2.19.0", encoding="utf-8")
    result = apply_fixes([path], {"requests": "2.31.0"}, dry_run=True)
    assert result.diff.endswith(
        "-requests==2.19.0\n\\ No newline at end of file\n+requests==2.31.0\n\\ No newline at end of file\n"
    )


def test_crlf_bom_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"\xef\xbb\xbfrequests==2.19.0\r\nsix\r\n")
    path.chmod(0o640)
    apply_fixes([path], {"requests": "2.31.0"}, dry_run=False)
    assert path.read_bytes() == b"\xef\xbb\xbfrequests==2.31.0\r\nsix\r\n"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("requests==2.19.0\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixmod.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        apply_fixes([path], {"requests": "2.31.0"}, dry_run=False)
    assert path.read_text(encoding="utf-8") == "requests==2.19.0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]


def test_lock_files_and_other_manifests_are_not_edited(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock_text = '[[package]]\nname = "requests"\nversion = "2.19.0"\n'
    lock.write_text(lock_text, encoding="utf-8")
    uv = tmp_path / "uv.lock"
    uv.write_text('version = 1\n[[package]]\nname = "requests"\nversion = "2.19.0"\n', encoding="utf-8")
    cfg = tmp_path / "setup.cfg"
    cfg.write_text("[options]\ninstall_requires =\n    requests==2.19.0\n", encoding="utf-8")
    result = apply_fixes([lock, uv, cfg], {"requests": "2.31.0"}, dry_run=False)
    assert lock.read_text(encoding="utf-8") == lock_text
    assert result.changed == [] and result.diff == ""
    assert result.messages == [
        f"{lock}: lock files are not edited; re-lock with `poetry lock` (after raising the requirement where "
        "it is declared, if it excludes the fix) to get requests 2.31.0 (line 2)",
        f"{cfg}: not rewritten automatically (setup.cfg); change it by hand to requests 2.31.0 (line 3)",
        f"{uv}: lock files are not edited; re-lock with `uv lock` (after raising the requirement where "
        "it is declared, if it excludes the fix) to get requests 2.31.0 (line 3)",
    ]


def test_invalid_pyproject_is_reported_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project\ndependencies = ['requests==2.19.0']\n", encoding="utf-8")
    result = apply_fixes([path], {"requests": "2.31.0"}, dry_run=False)
    assert result.changed == []
    assert len(result.messages) == 1 and "invalid TOML" in result.messages[0]


def test_cli_fix_with_the_pypa_data(
    tmp_path: Path, pypa_db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyward.cli import main

    root = tmp_path / "proj"
    root.mkdir()
    req = root / "requirements.txt"
    req.write_text("requests==2.19.0  # http\nsix==1.16.0\n", encoding="utf-8")
    monkeypatch.chdir(root)
    code = main(["deps", "--db", str(pypa_db_path), "--fix", "--dry-run", "--no-cache", "."])
    out = capsys.readouterr().out
    assert req.read_text(encoding="utf-8") == "requests==2.19.0  # http\nsix==1.16.0\n"
    assert "-requests==2.19.0  # http\n+requests==2.31.0  # http\n" in out
    assert code == 1
    # PYSEC-2018-28 (fixed 2.20.0) and PYSEC-2023-74 (fixed 2.31.0) affect 2.19.0: 2.31.0 fixes both
    code = main(["deps", "--db", str(pypa_db_path), "--fix", "--no-cache", "."])
    assert req.read_text(encoding="utf-8") == "requests==2.31.0  # http\nsix==1.16.0\n"
    assert code == 0


def test_pdm_and_uv_dev_dependencies_are_fixed(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        "[tool.pdm.dev-dependencies]\ntest = [\n  'pytest==7.0.0',  # tests\n]\n"
        '[tool.uv]\ndev-dependencies = ["jinja2==2.10", "ruff"]\n',
        encoding="utf-8",
    )
    result = apply_fixes([path], {"pytest": "7.2.0", "jinja2": "2.11.3"}, dry_run=False)
    assert path.read_text(encoding="utf-8") == (
        "[tool.pdm.dev-dependencies]\ntest = [\n  'pytest==7.2.0',  # tests\n]\n"
        '[tool.uv]\ndev-dependencies = ["jinja2==2.11.3", "ruff"]\n'
    )
    assert result.messages == []
