"""Small helpers shared by the Django rules (not a rule module)."""

from __future__ import annotations

from typing import Any

from pyward.frameworks.django import SettingsView
from pyward.model import Finding, Severity
from pyward.rules.base import Rule

SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
XFRAME_MIDDLEWARE = "django.middleware.clickjacking.XFrameOptionsMiddleware"
SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


def show(value: Any) -> str:
    """A value as the user wrote it, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def has_security_middleware(view: SettingsView) -> bool | None:
    return view.middleware_present(SECURITY_MIDDLEWARE)


def setting_text(view: SettingsView, name: str) -> str:
    """``NAME = value (where)`` for messages; a string where Django tests ``is True`` is explained."""
    if view.is_set(name):
        value = view.value(name)
        note = ""
        binding = view.binding(name)
        if binding is not None and binding.env is not None:
            note += f", the default of {binding.env.text}"
        return f"{name} = {show(value)} ({view.where(name)}{note})"
    return f"{name} {view.where(name)}"


def truthy_string(view: SettingsView, name: str) -> str | None:
    """For a flag Django's check wants ``is True``: a message when the value is a non-empty string.

    At run time Django only tests such flags for truth, so the protection *is* on (whatever the
    string says, ``"False"`` included); ``check --deploy`` still rejects it because it is not
    ``True``. Rules report this at low severity with this explanation.
    """
    value = view.value(name)
    if isinstance(value, str) and value:
        return (
            f"{setting_text(view, name)} is a non-empty string: Django treats it as on at run time "
            "(even 'False'), but check --deploy requires the bool True; use a real bool"
        )
    return None


STRING_FLAG_SEVERITY = Severity.LOW


def flag_not_true(rule: Rule, view: SettingsView, name: str, problem: str, suffix: str = "") -> Finding:
    """The finding for a security flag that is known and not ``True``: a truthy string is explained
    at low severity (see :func:`truthy_string`), anything else is ``"<problem>: <setting><suffix>"``."""
    note = truthy_string(view, name)
    if note is not None:
        return rule.finding(view.span(name), note, severity=STRING_FLAG_SEVERITY)
    return rule.finding(view.span(name), f"{problem}: {setting_text(view, name)}{suffix}")
