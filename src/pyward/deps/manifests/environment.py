"""The distributions installed for an interpreter (``pyward deps --python PATH`` / ``--env``).

The interpreter runs a tiny script with ``-S`` (so no ``.pth`` file or ``sitecustomize`` of the
environment runs) and ``-E`` (no ``PYTHON*`` variables); the script works out the site-packages
directories itself (virtual environments included, from their ``pyvenv.cfg``) and lists the
``importlib.metadata`` distributions found there as JSON. Nothing of the installed packages is
imported.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pyward.deps.types import Dependency, ManifestProblem, ManifestResult

_SCRIPT = r"""
import json, os, sys, site
# -S skipped site's virtual-environment handling (which would also run .pth files); redo its
# path part: a pyvenv.cfg beside the executable or one level up marks a venv prefix.
prefixes = [sys.prefix]
user_site = True
exe_dir = os.path.dirname(os.path.abspath(sys.executable))
for conf in (os.path.join(exe_dir, "pyvenv.cfg"), os.path.join(os.path.dirname(exe_dir), "pyvenv.cfg")):
    if os.path.isfile(conf):
        system = "false"
        with open(conf, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() == "include-system-site-packages":
                    system = value.strip().lower()
        prefixes = [os.path.dirname(conf)] + ([sys.prefix] if system == "true" else [])
        user_site = system == "true"
        break
paths = []
try:
    paths.extend(site.getsitepackages(prefixes))
except Exception:
    pass
try:
    if user_site and site.check_enableusersite():
        paths.append(site.getusersitepackages())
except Exception:
    pass
if not paths:
    paths = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
seen = set()
paths = [p for p in paths if not (p in seen or seen.add(p))]
from importlib import metadata
out = []
for dist in metadata.distributions(path=paths):
    try:
        name = dist.metadata["Name"]
    except Exception:
        name = None
    path = getattr(dist, "_path", None)
    out.append({"name": name, "version": dist.version, "path": str(path) if path else None})
json.dump({"executable": sys.executable, "paths": paths, "dists": out}, sys.stdout)
"""


class EnvironmentError_(RuntimeError):
    """The interpreter could not be run or gave an answer that is not understood."""


def read_environment(python: str | None, *, timeout: float = 60.0) -> ManifestResult:
    import sys

    exe = python or sys.executable
    try:
        proc = subprocess.run(
            [exe, "-S", "-E", "-c", _SCRIPT],
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise EnvironmentError_(f"no such interpreter: {exe}") from None
    except PermissionError:
        raise EnvironmentError_(f"cannot run {exe}: permission denied") from None
    except OSError as exc:
        raise EnvironmentError_(f"cannot run {exe}: {exc.strerror or exc}") from None
    except subprocess.TimeoutExpired:
        raise EnvironmentError_(f"{exe} did not answer within {timeout:.0f} s") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EnvironmentError_(
            f"{exe} exited with code {proc.returncode}: {err[-1] if err else 'no output'}"
        )
    try:
        doc = json.loads(proc.stdout.decode("utf-8"))
        dists = doc["dists"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise EnvironmentError_(
            f"{exe} did not print a distribution list (is it a Python 3.8+ interpreter?)"
        ) from None
    deps: list[Dependency] = []
    problems: list[ManifestProblem] = []
    where_default = f"{exe} (installed)"
    seen: set[tuple[str, str]] = set()
    for item in dists:
        if not isinstance(item, dict):
            continue
        name, version, path = item.get("name"), item.get("version"), item.get("path")
        shown = (
            (Path(path) / "METADATA").as_posix()
            if isinstance(path, str) and path.endswith(".dist-info")
            else (path if isinstance(path, str) else where_default)
        )
        if not isinstance(name, str) or not name:
            problems.append(ManifestProblem(shown, 0, "installed distribution without a name"))
            continue
        if not isinstance(version, str) or not version:
            problems.append(ManifestProblem(shown, 0, f"installed distribution {name} has no version"))
            continue
        key = (name.lower(), version)
        if key in seen:
            continue
        seen.add(key)
        deps.append(
            Dependency(
                name=name,
                specifier=f"=={version}",
                version=version,
                file=shown,
                line=1,
                source="installed",
                group="installed",
                locked=True,
            )
        )
    deps.sort(key=lambda d: (d.normalized, d.version or ""))
    return ManifestResult(tuple(deps), tuple(problems))
