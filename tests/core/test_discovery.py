from __future__ import annotations

from pathlib import Path

from pyward.discovery import discover
from pyward.model import FileKind


def _touch(root: Path, *names: str) -> None:
    for name in names:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x = 1\n")


def _paths(root: Path, **kw: object) -> list[tuple[str, str]]:
    d = discover([root], root, **kw)  # type: ignore[arg-type]
    return [(f.path, f.kind.value) for f in d.files]


def test_default_excludes_and_kinds(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "app/views.py",
        "app/templates/index.html",
        "requirements.txt",
        ".flaskenv",
        ".git/hooks/x.py",
        "node_modules/a/b.py",
        "build/lib/c.py",
        ".tox/py/d.py",
        "venv_custom/lib/e.py",
        "pkg.egg-info/f.py",
        "__pycache__/g.py",
        "notes.md",
    )
    (tmp_path / "venv_custom" / "pyvenv.cfg").write_text("home = /usr\n")
    got = _paths(tmp_path)
    assert ("app/views.py", "python") in got
    assert ("app/templates/index.html", "template") in got
    assert (".flaskenv", "config") in got
    assert not [p for p, _ in got if p.startswith((".git", "node_modules", "build", ".tox", "venv_custom", "pkg.egg", "__pycache__"))]
    assert "notes.md" not in [p for p, _ in got]


def test_gitignore_nested_and_negation(tmp_path: Path) -> None:
    _touch(tmp_path, "a.py", "gen/b.py", "sub/c.py", "sub/keep.py", "sub/deeper/d.py")
    (tmp_path / ".gitignore").write_text("gen/\n")
    (tmp_path / "sub" / ".gitignore").write_text("*.py\n!keep.py\n")
    got = [p for p, _ in _paths(tmp_path)]
    assert got == ["a.py", "sub/keep.py"]
    got = [p for p, _ in _paths(tmp_path, respect_gitignore=False)]
    assert "gen/b.py" in got and "sub/deeper/d.py" in got


def test_exclude_globs_and_explicit_files(tmp_path: Path) -> None:
    _touch(tmp_path, "a.py", "tests/fixtures/x.py", "tests/t.py", "gen/z.py")
    (tmp_path / ".gitignore").write_text("gen/\n")
    got = [p for p, _ in _paths(tmp_path, exclude=["tests/fixtures"])]
    assert got == ["a.py", "tests/t.py"]
    # An explicitly named file is scanned even if ignored or excluded.
    d = discover([tmp_path / "gen" / "z.py"], tmp_path, exclude=["gen"])
    assert [f.path for f in d.files] == ["gen/z.py"]


def test_setup_py_is_python_and_manifest(tmp_path: Path) -> None:
    _touch(tmp_path, "setup.py")
    kinds = {k for p, k in _paths(tmp_path) if p == "setup.py"}
    assert FileKind.PYTHON.value in kinds


def test_split_requirements_folder(tmp_path: Path) -> None:
    _touch(tmp_path, "requirements/base.txt", "requirements/prod.txt", "docs/notes.txt", "requirements-dev.txt")
    manifests = [p for p, k in _paths(tmp_path) if k == "manifest"]
    assert manifests == ["requirements-dev.txt", "requirements/base.txt", "requirements/prod.txt"]
