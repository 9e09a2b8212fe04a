"""Base classes of the framework configuration rules (``PWC5xx``-``PWC7xx``).

:class:`ConfigRule` is the family base: it names the analysis that produces the findings (by
default the Django one; a rule of another framework sets its own ``analysis`` path) and scans its
documentation examples as a settings file.

:class:`DjangoRule` is what a Django rule subclasses. The Django analysis
(:class:`pyward.frameworks.django.DjangoAnalysis`) resolves the settings in effect and calls, for
every enabled rule:

- :meth:`DjangoRule.check_settings` once per settings module that is checked (production and
  in-effect modules; development modules too when ``production_only`` is False) with a
  :class:`~pyward.frameworks.django.SettingsView`;
- :meth:`DjangoRule.check_project` once, with the facts of every file (views, ``csrf_exempt``
  usages) and the settings modules with their roles.

One module per rule under ``pyward/rules/config/django_*.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from pyward.model import Finding
from pyward.rules.base import Rule

if TYPE_CHECKING:
    from pyward.frameworks.django import SettingsView


class ConfigRule(Rule):
    """A framework configuration rule."""

    analysis: ClassVar[str] = "pyward.frameworks.django:DjangoAnalysis"
    example_filename: ClassVar[str] = "settings.py"


class DjangoRule(ConfigRule):
    """A Django settings or views rule, run by :class:`pyward.frameworks.django.DjangoAnalysis`."""

    #: Checked only for production/in-effect settings modules (``check --deploy`` semantics).
    production_only: ClassVar[bool] = True
    #: The ``manage.py check --deploy`` ids this rule is the equivalent of (documentation only;
    #: the authoritative mapping is ``pyward.frameworks.django.DJANGO_CHECK_MAP``).
    django_ids: ClassVar[tuple[str, ...]] = ()
    #: One line on how to fix a finding; attached to findings that carry no fix of their own.
    fix_hint: ClassVar[str] = ""

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        return iter(())

    def check_project(
        self, facts: Sequence[Any], index: Any, settings: Mapping[str, Any]
    ) -> Iterator[Finding]:
        return iter(())
