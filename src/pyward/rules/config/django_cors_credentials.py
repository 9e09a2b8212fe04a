"""PWC537: django-cors-headers allowing every origin with credentials."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule


class DjangoCorsAllowAllWithCredentials(DjangoRule):
    """
    ## What it does
    Reports deployed settings of django-cors-headers with `CORS_ALLOW_ALL_ORIGINS = True` (or its
    old name `CORS_ORIGIN_ALLOW_ALL`) together with `CORS_ALLOW_CREDENTIALS = True`.

    ## Why is this bad?
    With both, django-cors-headers answers every origin with
    `Access-Control-Allow-Origin: <that origin>` and `Access-Control-Allow-Credentials: true`:
    any web site a logged-in user visits can read the user's data from the API with the user's
    cookies.

    ## Example
    ```python
    INSTALLED_APPS = ["corsheaders"]
    CORS_ALLOW_ALL_ORIGINS = True
    CORS_ALLOW_CREDENTIALS = True
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["corsheaders"]
    CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    CORS_ALLOW_CREDENTIALS = True
    ```

    ## References
    - https://github.com/adamchainz/django-cors-headers#configuration
    """

    meta = RuleMeta(
        code="PWC537",
        name="django-cors-allow-all-with-credentials",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(942,),
        summary="CORS allows every origin to make credentialed requests",
    )
    fix_hint = 'List the trusted origins in CORS_ALLOWED_ORIGINS instead of allowing all'

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("CORS_ALLOW_CREDENTIALS") or not view.value("CORS_ALLOW_CREDENTIALS"):
            return
        for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
            if view.is_set(name) and view.known(name) and view.value(name):
                yield self.finding(
                    view.span(name),
                    f"every origin may send credentialed requests: {setting_text(view, name)} with "
                    f"{setting_text(view, 'CORS_ALLOW_CREDENTIALS')}",
                )
