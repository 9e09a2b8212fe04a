"""Rule discovery: every module under :mod:`pyward.rules` plus the ``pyward.rules`` entry points.

A rule is a subclass of :class:`pyward.rules.base.Rule` with a ``meta`` attribute defined in the
module being scanned (imported base classes are not rules). Codes must be unique.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib.machinery import PathFinder, all_suffixes
from types import ModuleType
from typing import Any

from pyward.analysis.base import Analysis
from pyward.rules.base import Rule, RuleMeta


class RegistryError(Exception):
    pass


def _rules_in_module(module: ModuleType) -> list[type[Rule]]:
    found: list[type[Rule]] = []
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Rule)
            and value.__module__ == module.__name__
            and "meta" in vars(value)
        ):
            found.append(value)
    return found


def _module_name(filename: str, suffixes: Sequence[str]) -> str | None:
    """``inspect.getmodulename`` without importing :mod:`inspect` (longest suffix first)."""
    for suffix in suffixes:
        if filename.endswith(suffix):
            return filename[: -len(suffix)]
    return None


def _submodules(paths: Sequence[str], prefix: str) -> Iterator[tuple[str, bool]] | None:
    """``(name, is_package)`` of the modules in the package directories ``paths``, in the order of
    :func:`pkgutil.iter_modules` (sorted file names, the first of a name wins); None when a path is
    not a plain directory (a zip file...), which only :mod:`pkgutil` knows how to list."""
    listings: list[tuple[str, list[str]]] = []
    for path in paths:
        try:
            listings.append((path, sorted(os.listdir(path))))
        except OSError:
            if os.path.exists(path):
                return None
    suffixes = sorted(all_suffixes(), key=len, reverse=True)

    def generate() -> Iterator[tuple[str, bool]]:
        yielded: set[str] = set()
        for path, names in listings:
            for filename in names:
                modname = _module_name(filename, suffixes)
                if modname == "__init__" or modname in yielded:
                    continue
                is_package = False
                full = os.path.join(path, filename)
                if not modname and "." not in filename and os.path.isdir(full):
                    try:
                        contents = os.listdir(full)
                    except OSError:
                        contents = []
                    if not any(_module_name(c, suffixes) == "__init__" for c in contents):
                        continue
                    modname, is_package = filename, True
                if modname and "." not in modname:
                    yielded.add(modname)
                    yield prefix + modname, is_package

    return generate()


def _walk_package(package_name: str) -> Iterable[ModuleType]:
    """The package and every module below it, imported in :func:`pkgutil.walk_packages` order
    (a package, then its contents, then its next sibling) without the cost of :mod:`pkgutil`."""
    package = importlib.import_module(package_name)
    yield package
    yield from _walk_below(package, package_name + ".", set())


def _walk_below(package: ModuleType, prefix: str, seen: set[str]) -> Iterator[ModuleType]:
    paths = [p for p in getattr(package, "__path__", None) or [] if p not in seen]
    seen.update(paths)
    listing = _submodules(paths, prefix)
    if listing is None:
        import pkgutil

        for info in pkgutil.walk_packages(paths, prefix=prefix):
            yield importlib.import_module(info.name)
        return
    for name, is_package in listing:
        module = importlib.import_module(name)
        yield module
        if is_package:
            yield from _walk_below(module, name + ".", seen)


def _declares_group(group: str) -> bool:
    """False only when no distribution :mod:`importlib.metadata` would find can declare entry
    points in ``group``: no ``entry_points.txt`` of a ``*.dist-info``/``*.egg-info`` directory on
    ``sys.path`` (or of an ``*.egg``'s ``EGG-INFO``) mentions it. Anything unusual (a zip file on the
    path, another finder that supplies distributions, an unreadable file) answers True, so that
    :mod:`importlib.metadata` itself decides."""
    try:
        for finder in sys.meta_path:
            if finder is not PathFinder and hasattr(finder, "find_distributions"):
                return True
        for entry in sys.path:
            root = os.fspath(entry) or "."
            try:
                children = os.listdir(root)
            except OSError:
                if os.path.isfile(root):
                    return True
                continue
            base_is_egg = os.path.basename(root).lower().endswith(".egg")
            for child in children:
                low = child.lower()
                if low.endswith((".dist-info", ".egg-info")) or (base_is_egg and low == "egg-info"):
                    try:
                        with open(os.path.join(root, child, "entry_points.txt"), "rb") as f:
                            text = f.read().decode("utf-8")
                    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
                        continue
                    if group in text:
                        return True
    except Exception:
        return True
    return False


def entry_points(group: str) -> Iterable[Any]:
    """``importlib.metadata.entry_points(group=group)``. Scanning every installed distribution's
    metadata with :mod:`importlib.metadata` costs more than the rest of start-up together, so it is
    asked only when some distribution's ``entry_points.txt`` names the group."""
    if not _declares_group(group):
        return ()
    from importlib.metadata import entry_points as metadata_entry_points

    return metadata_entry_points(group=group)


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. Raises :class:`RegistryError` on duplicate codes."""
    rules: dict[str, type[Rule]] = {}
    modules: list[ModuleType] = list(_walk_package("pyward.rules"))
    plugin_classes: list[type[Rule]] = []
    for ep in entry_points(group="pyward.rules"):
        try:
            loaded = ep.load()
        except Exception as exc:
            raise RegistryError(f"cannot load third-party rules from entry point {ep.name!r}: {exc}") from exc
        if isinstance(loaded, ModuleType):
            modules.append(loaded)
        elif isinstance(loaded, type) and issubclass(loaded, Rule):
            plugin_classes.append(loaded)
        else:
            raise RegistryError(f"entry point {ep.name!r} is neither a module nor a Rule class")
    candidates = [rule for module in modules for rule in _rules_in_module(module)] + plugin_classes
    for rule in candidates:
        code = rule.meta.code
        if code in rules and rules[code] is not rule:
            raise RegistryError(
                f"duplicate rule code {code}: {rules[code].__module__} and {rule.__module__}"
            )
        rules[code] = rule
    return tuple(sorted(rules.values(), key=lambda r: r.meta.code))


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    for rule in all_rules():
        if rule.meta.code == code or code in rule.meta.aliases:
            return rule
    return None


def meta_by_code() -> dict[str, RuleMeta]:
    table: dict[str, RuleMeta] = {}
    for rule in all_rules():
        table[rule.meta.code] = rule.meta
        for alias in rule.meta.aliases:
            table.setdefault(alias, rule.meta)
    return table


def bandit_map() -> dict[str, list[str]]:
    """Bandit test id -> pyward codes."""
    table: dict[str, list[str]] = {}
    for rule in all_rules():
        for bid in rule.meta.bandit:
            table.setdefault(bid, []).append(rule.meta.code)
    return table


def load_analysis_class(path: str) -> type[Analysis]:
    module_name, _, attr = path.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, attr)
    if not (isinstance(cls, type) and issubclass(cls, Analysis)):
        raise RegistryError(f"{path} is not an Analysis")
    return cls


def group_by_analysis(rules: Sequence[type[Rule]]) -> dict[str, list[type[Rule]]]:
    groups: dict[str, list[type[Rule]]] = {}
    for rule in rules:
        if rule.analysis:
            groups.setdefault(rule.analysis, []).append(rule)
    return groups


def code_selected(code: str, select: Sequence[str], ignore: Sequence[str], default_enabled: bool) -> bool:
    """Ruff-like selection: the most specific (longest) matching prefix among select/ignore wins,
    an ignore winning ties. With no ``select``, every default-enabled rule is selected. Rules that
    are off by default are enabled only by naming their exact code."""

    def best(prefixes: Sequence[str]) -> int:
        lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)]
        return max(lengths, default=-1)

    sel = [p.upper() for p in select]
    ign = [p.upper() for p in ignore]
    if not default_enabled:
        chosen = len(code) if code in sel else -1
    elif not sel:
        chosen = 0
    else:
        chosen = best(sel)
    if chosen < 0:
        return False
    return chosen > best(ign)
