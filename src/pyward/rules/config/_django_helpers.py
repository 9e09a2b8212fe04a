"""Small helpers shared by the Django rules (not a rule module)."""

from __future__ import annotations

from typing import Any

from pyward.frameworks.django import SettingsView

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
    """``NAME = value (where)`` for messages."""
    if view.is_set(name):
        return f"{name} = {show(view.value(name))} ({view.where(name)})"
    return f"{name} {view.where(name)}"
