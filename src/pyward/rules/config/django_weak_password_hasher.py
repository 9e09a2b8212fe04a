"""PWC532: a weak password hasher first in PASSWORD_HASHERS."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

WEAK_HASHERS = {
    "django.contrib.auth.hashers.MD5PasswordHasher": "salted MD5",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher": "unsalted MD5",
    "django.contrib.auth.hashers.SHA1PasswordHasher": "salted SHA-1",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher": "unsalted SHA-1",
    "django.contrib.auth.hashers.CryptPasswordHasher": "crypt(3)",
}


class DjangoWeakPasswordHasher(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose first `PASSWORD_HASHERS` entry — the one used to hash
    every new and upgraded password — is MD5, SHA-1 (salted or not) or `crypt`, or a project
    subclass of one of them. Weak hashers later in the list (kept to verify old hashes) are not
    reported. Test settings commonly put MD5 first for speed; they are not checked.

    ## Why is this bad?
    These are single fast hash rounds: a leaked password table can be cracked at billions of
    guesses per second (unsalted ones with precomputed tables). Django's default PBKDF2, or
    Argon2/scrypt/bcrypt, are deliberately slow.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#how-django-stores-passwords
    """

    meta = RuleMeta(
        code="PWC532",
        name="django-weak-password-hasher",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(916,),
        summary="Passwords are hashed with a fast, weak algorithm",
    )
    fix_hint = 'Put Argon2PasswordHasher or PBKDF2PasswordHasher first; keep weak hashers later only to upgrade old hashes'

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        hashers = view.list_value("PASSWORD_HASHERS")
        if not view.is_set("PASSWORD_HASHERS") or not hashers or not isinstance(hashers[0], str):
            return
        first = hashers[0]
        weak = WEAK_HASHERS.get(first)
        if weak is None:
            for name, label in WEAK_HASHERS.items():
                if view.is_subclass(first, name):
                    weak = f"{label}, through {first}"
                    break
        if weak is not None:
            yield self.finding(
                view.span("PASSWORD_HASHERS"),
                f"new passwords are hashed with {weak}: {first.rsplit('.', 1)[-1]} is first in "
                f"PASSWORD_HASHERS ({view.where('PASSWORD_HASHERS')})",
            )
