"""PWC515: X_FRAME_OPTIONS not DENY."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import XFRAME_MIDDLEWARE, setting_text
from pyward.rules.config.base import DjangoRule


class DjangoXFrameOptionsNotDeny(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `XFrameOptionsMiddleware` with `X_FRAME_OPTIONS`
    set to anything but `"DENY"` (Django's `security.W019`; the default is `"DENY"`).

    ## Why is this bad?
    `SAMEORIGIN` lets every page of the site frame every other page; a page that displays
    user-controlled content in a frame can then be used for clickjacking against the rest of the
    site. Use `DENY` unless the site really frames itself, and exempt only those views.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
    X_FRAME_OPTIONS = "SAMEORIGIN"
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.clickjacking.XFrameOptionsMiddleware"]
    X_FRAME_OPTIONS = "DENY"
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/clickjacking/
    """

    meta = RuleMeta(
        code="PWC515",
        name="django-x-frame-options-not-deny",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(1021,),
        summary="X-Frame-Options is not DENY",
    )
    fix_hint = "Set X_FRAME_OPTIONS = 'DENY'; mark the views that must be framed with @xframe_options_sameorigin"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W019",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if view.middleware_present(XFRAME_MIDDLEWARE) is not True or not view.known("X_FRAME_OPTIONS"):
            return
        if view.value("X_FRAME_OPTIONS") != "DENY":
            yield self.finding(
                view.span("X_FRAME_OPTIONS"),
                f"frames are allowed: {setting_text(view, 'X_FRAME_OPTIONS')} (not 'DENY')",
            )
