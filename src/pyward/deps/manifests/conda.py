"""Conda ``environment.yml``: the ``pip:`` section and conda packages that have PyPI names.

Only the small YAML subset these files use is read (no PyYAML needed): top-level ``key:`` lines,
block lists (``- item``), the nested ``- pip:`` list, flow lists (``[a, b]``), quotes and comments.
Anything else is reported as a problem rather than guessed.

Conda specs: ``name==1.2.3`` and ``name=1.2.3=build`` are exact; ``name=1.2`` is conda's fuzzy
match (``1.2.*``); ``name>=1.2`` keeps its range; ``channel::name`` drops the channel. Conda
packages that are not Python distributions on PyPI (``python`` itself, C libraries, compilers,
``_``-prefixed meta packages) are skipped; a few conda names that differ from PyPI are translated.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from pyward.deps.manifests.common import Collector, exact_version
from pyward.deps.types import Dependency

#: Conda packages that are not PyPI distributions.
NOT_PYPI = frozenset(
    {
        "python",
        "pip",
        "openssl",
        "ca-certificates",
        "certifi-conda",
        "zlib",
        "xz",
        "bzip2",
        "sqlite",
        "tk",
        "readline",
        "ncurses",
        "tzdata",
        "ld_impl_linux-64",
        "mkl",
        "mkl-service",
        "intel-openmp",
        "openblas",
        "blas",
        "cudatoolkit",
        "cudnn",
        "nccl",
        "cuda",
        "cuda-toolkit",
        "gcc",
        "gxx",
        "gfortran",
        "make",
        "cmake",
        "ninja",
        "git",
        "curl",
        "nodejs",
        "r-base",
        "pkg-config",
        "icu",
        "expat",
        "krb5",
        "lz4-c",
        "zstd",
        "yaml",
        "jpeg",
        "libpng",
        "freetype",
        "fontconfig",
        "pcre",
        "pcre2",
        "gettext",
        "glib",
        "hdf5",
        "proj",
        "geos",
        "gdal",
        "qt",
        "ffmpeg",
        "graphviz",
    }
)
#: Conda package name -> PyPI name where they differ.
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "py-opencv": "opencv-python",
    "msgpack-python": "msgpack",
    "tensorflow-base": "tensorflow",
    "matplotlib-base": "matplotlib",
    "pytables": "tables",
    "python-graphviz": "graphviz",
    "pyqt": "PyQt5",
    "typing_extensions": "typing-extensions",
}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _strip_comment(line: str) -> str:
    out, quote = [], ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            break
        out.append(ch)
    return "".join(out).rstrip()


def parse_conda(c: Collector, text: str) -> None:
    lines = text.splitlines()
    in_deps = False
    deps_indent = -1
    pip_indent: int | None = None  # indent of the "- pip:" item while inside its list
    for number, raw in enumerate(lines, 1):
        line = _strip_comment(raw)
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            c.problem(number, "tab in indentation (YAML does not allow it)")
            continue
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if indent == 0 and not body.startswith("-"):
            m = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.*)$", body)
            if not m:
                c.problem(number, f"not understood: {body!r}")
                in_deps = False
                continue
            in_deps = m.group(1) == "dependencies"
            pip_indent = None
            rest = m.group(2)
            if in_deps and rest.startswith("["):
                for item in _flow_list(rest):
                    _conda_spec(c, item, number)
                in_deps = False
            continue
        if not in_deps:
            continue
        if not body.startswith("-"):
            c.problem(number, f"expected a list item under dependencies: {body!r}")
            continue
        item = body[1:].strip()
        if pip_indent is not None and indent <= pip_indent:
            pip_indent = None
        if pip_indent is not None:
            _pip_spec(c, _unquote(item), number)
            continue
        if deps_indent < 0:
            deps_indent = indent
        m = re.match(r"^pip\s*:\s*(.*)$", item)
        if m:
            if m.group(1).startswith("["):
                for sub in _flow_list(m.group(1)):
                    _pip_spec(c, sub, number)
            else:
                pip_indent = indent
            continue
        _conda_spec(c, _unquote(item), number)


def _flow_list(text: str) -> list[str]:
    inner = text.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        return []
    return [_unquote(p) for p in inner[1:-1].split(",") if p.strip()]


def _pip_spec(c: Collector, item: str, line: int) -> None:
    if not item or item.startswith("-"):
        if item.startswith(("-r", "--requirement")):
            c.problem(line, f"pip option {item!r} in environment.yml is not followed")
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(git|hg|svn|bzr)\+", item) or item.startswith((".", "/")):
        from pyward.deps.manifests.requirements import _name_from_location

        c.deps.append(
            Dependency(
                _name_from_location(item), file=c.file, line=line, url=item, source=c.source, group="pip"
            )
        )
        return
    c.add_pep508(item, line, group="pip")


def _conda_spec(c: Collector, item: str, line: int) -> None:
    spec = item.split("::", 1)[1] if "::" in item else item
    spec = spec.strip()
    m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", spec)
    if not m:
        c.problem(line, f"not a conda package spec: {item!r}")
        return
    name, rest = m.group(1), m.group(2).strip()
    lower = name.lower()
    if lower in NOT_PYPI or lower.startswith(("lib", "_", "r-")) or lower.endswith(("-ng", "_impl")):
        return
    name = CONDA_TO_PYPI.get(lower, name)
    specifier = ""
    version: str | None = None
    if rest:
        if rest.startswith("==") and "=" not in rest[2:]:
            specifier = "==" + rest[2:].strip()
        elif rest.startswith("=") and not rest.startswith("=="):
            parts = rest[1:].split("=")
            ver = parts[0].strip()
            if len(parts) >= 2:  # name=version=build: exact
                specifier = f"=={ver}"
            elif ver.endswith("*"):
                specifier = f"=={ver.rstrip('.*')}.*"
            else:  # conda's fuzzy "=1.2" means 1.2.*
                specifier = f"=={ver}.*"
        elif " " in rest:  # "numpy 1.26.4 py311_0" (match spec with spaces)
            parts = rest.split()
            specifier = (
                f"=={parts[0]}"
                if len(parts) >= 2
                else (parts[0] if parts[0][:1] in "<>=!~" else f"=={parts[0]}.*")
            )
        else:
            specifier = rest if rest[:1] in "<>!~" else f"=={rest}"
        specifier = specifier.replace("|", ",") if "|" not in specifier else specifier
        try:
            specifier = str(SpecifierSet(specifier))
        except InvalidSpecifier:
            c.problem(line, f"cannot read the version of conda package {item!r}")
            return
        version = exact_version(specifier)
    c.deps.append(
        Dependency(
            name, specifier=specifier, version=version, file=c.file, line=line, source=c.source, group="conda"
        )
    )
