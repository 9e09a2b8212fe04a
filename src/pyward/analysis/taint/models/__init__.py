"""Library models for the taint engine, as data.

Every module in this package may define ``SOURCES``, ``SINKS``, ``SANITIZERS``, ``GUARDS``,
``PROPAGATORS``, ``TYPES``, ``SUBTYPES``, ``ALIASES``, ``PARAM_TYPES`` and ``ENTRY_POINTS``
tuples of the matching :mod:`pyward.analysis.taint.spec` classes. :func:`load_spec` imports every
module of the package (no registration needed) and concatenates them in module-name order.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Any

from pyward.analysis.taint import spec as s

_TABLES: dict[str, type[Any]] = {
    "SOURCES": s.Source,
    "SINKS": s.Sink,
    "SANITIZERS": s.Sanitizer,
    "GUARDS": s.Guard,
    "PROPAGATORS": s.Propagator,
    "TYPES": s.TypeOf,
    "SUBTYPES": s.Subtype,
    "ALIASES": s.Alias,
    "PARAM_TYPES": s.ParamType,
    "ENTRY_POINTS": s.EntryPoint,
}


class ModelError(Exception):
    """A model module declares something of the wrong type."""


@lru_cache(maxsize=1)
def load_spec() -> s.Spec:
    """Every model of this package merged into one :class:`~pyward.analysis.taint.spec.Spec`."""
    collected: dict[str, list[Any]] = {name: [] for name in _TABLES}
    origins: dict[str, str] = {}
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        for table, cls in _TABLES.items():
            values = getattr(module, table, ())
            for value in values:
                if not isinstance(value, cls):
                    raise ModelError(f"{module.__name__}.{table}: {value!r} is not a {cls.__name__}")
                collected[table].append(value)
                origins.setdefault(repr(value), module.__name__)
    return s.Spec(
        sources=tuple(collected["SOURCES"]),
        sinks=tuple(collected["SINKS"]),
        sanitizers=tuple(collected["SANITIZERS"]),
        guards=tuple(collected["GUARDS"]),
        propagators=tuple(collected["PROPAGATORS"]),
        types=tuple(collected["TYPES"]),
        subtypes=tuple(collected["SUBTYPES"]),
        aliases=tuple(collected["ALIASES"]),
        param_types=tuple(collected["PARAM_TYPES"]),
        entry_points=tuple(collected["ENTRY_POINTS"]),
        origins=origins,
    )
