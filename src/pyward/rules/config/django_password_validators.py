"""PWC533: no password validation."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule


class DjangoPasswordValidatorsEmpty(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that install `django.contrib.auth` but leave
    `AUTH_PASSWORD_VALIDATORS` empty or unset (Django's default is an empty list;
    `startproject` writes four validators).

    ## Why is this bad?
    Users can then choose `123`, their user name or `password` as their password, and the
    auth forms, `createsuperuser` and `changepassword` accept it.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
    AUTH_PASSWORD_VALIDATORS = []
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#password-validation
    """

    meta = RuleMeta(
        code="PWC533",
        name="django-password-validators-empty",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(521,),
        summary="No password strength validation is configured",
    )
    fix_hint = "Configure AUTH_PASSWORD_VALIDATORS (startproject's four validators are a good start)"

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        apps = view.list_value("INSTALLED_APPS")
        if apps is None or "django.contrib.auth" not in apps or not view.known("AUTH_PASSWORD_VALIDATORS"):
            return
        if not view.value("AUTH_PASSWORD_VALIDATORS"):
            yield self.finding(
                view.span("AUTH_PASSWORD_VALIDATORS"),
                f"passwords are not validated: AUTH_PASSWORD_VALIDATORS is empty "
                f"({view.where('AUTH_PASSWORD_VALIDATORS')})",
            )
