"""Rule discovery: every module under :mod:`pyward.rules` plus the ``pyward.rules`` entry points.

A rule is a subclass of :class:`pyward.rules.base.Rule` with a ``meta`` attribute defined in the
module being scanned (imported base classes are not rules). Codes must be unique.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType

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


def _walk_package(package_name: str) -> Iterable[ModuleType]:
    package = importlib.import_module(package_name)
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=package_name + "."):
        yield importlib.import_module(info.name)


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
