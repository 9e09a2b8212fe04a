"""Helpers shared by the PWA2xx pattern rules (crypto, TLS, randomness, secrets)."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

from pyward.analysis.context import NOT_CONSTANT, FileContext

HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "ws_connect"}
)


def imports_any(ctx: FileContext, prefixes: tuple[str, ...]) -> bool:
    """Whether the file imports a module (or a name from a module) under one of ``prefixes``."""
    return ctx.imports_under(prefixes)


def is_false(ctx: FileContext, expr: ast.AST | None) -> bool:
    """``False`` or ``0`` (literally, or through a module-level constant)."""
    if expr is None:
        return False
    value = ctx.const_value(expr)
    return value is not NOT_CONSTANT and not isinstance(value, str) and value is not None and value == 0


def const(ctx: FileContext, expr: ast.AST | None) -> Any:
    return ctx.const_value(expr) if expr is not None else NOT_CONSTANT


def receiver_call_name(ctx: FileContext, call: ast.Call) -> str | None:
    """For ``X(...).method(...)``, the qualified name of ``X``."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        return ctx.call_name(func.value)
    return None


def terminal_name(expr: ast.AST) -> str | None:
    """The last identifier of a name, attribute, or subscript with a string key."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(identifier: str) -> list[str]:
    """``apiKey`` / ``API_KEY`` / ``api-key`` → ``["api", "key"]``."""
    return [w.lower() for w in _WORD_SPLIT.split(identifier) if w]


def mask(secret: str) -> str:
    """Enough of a secret to find it, never the secret: ``AKIA…(20 chars)``."""
    shown = 4 if len(secret) >= 16 else 2 if len(secret) >= 10 else 0
    return f"{secret[:shown]}…({len(secret)} chars)"


_PASSWORD_TOKENS = frozenset({"password", "passwd", "pwd", "pw", "passphrase", "pass", "passcode"})
_PASSWORD_SUBSTRINGS = ("password", "passwd", "passphrase")
#: A last word that makes a name describe *something about* a secret, not the secret itself.
NON_SECRET_SUFFIXES = frozenset(
    {
        "len", "length", "size", "count", "num", "number", "index", "idx", "type", "types", "name",
        "names", "field", "fields", "label", "prompt", "hint", "policy", "regex", "pattern", "min",
        "max", "url", "uri", "path", "file", "dir", "header", "param", "params", "id", "ids", "column",
        "col", "attr", "attribute", "key", "format", "fmt", "template", "expiry", "expires", "ttl",
        "timeout", "age", "delay", "interval", "at", "date", "time", "enabled", "required", "valid",
        "changed", "reset", "updated", "created", "error", "errors", "message", "msg", "help", "text",
        "class", "cls", "widget", "form", "input", "validator", "manager", "provider", "backend",
        "strength", "hasher", "hashers", "salt_len", "mode", "style", "hash", "hashed", "digest",
        "encrypted", "env", "var", "setting", "settings", "option", "options", "store", "storage",
        "endpoint", "location", "service", "scope", "scopes", "flag", "state", "status", "kind", "char",
        "chars", "start", "end", "pos", "prefix", "suffix", "sep", "separator", "delimiter", "version",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)
def is_password_name(identifier: str) -> bool:
    low = identifier.lower()
    ws = words(identifier)
    if not ws:
        return False
    if ws[-1] in NON_SECRET_SUFFIXES and len(ws) > 1:
        return False
    return any(w in _PASSWORD_TOKENS for w in ws) or any(s in low for s in _PASSWORD_SUBSTRINGS)


_DERIVED = frozenset({"len", "bool", "type", "id", "isinstance", "hasattr", "getattr", "callable"})


def mentions_password(expr: ast.AST) -> str | None:
    """The first password-like name read inside ``expr`` (``password.encode()``, ``salt + pw``)."""
    stack: list[ast.AST] = [expr]
    seen = 0
    while stack and seen < 200:
        node = stack.pop()
        seen += 1
        name: str | None = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
            if name in ("encode", "decode", "strip", "lower", "upper", "hexdigest", "digest"):
                name = None
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            name = node.slice.value
        if name is not None and is_password_name(name):
            return name
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in _DERIVED:
                continue  # len(password), bool(password): a fact about it, not the password
            stack.extend(node.args)
            if isinstance(node.func, ast.Attribute):
                stack.append(node.func.value)
            continue
        if isinstance(node, (ast.Lambda, ast.FunctionDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return None


_SECURITY_WORDS = frozenset(
    {
        "token", "password", "passwd", "pwd", "passphrase", "passcode", "secret", "salt", "nonce",
        "otp", "totp", "hotp", "csrf", "xsrf", "sessionid", "sessid", "apikey", "credential",
        "credentials", "cookie", "iv", "pw", "pin",
    }
)  # fmt: skip
_KEY_QUALIFIERS = frozenset(
    {"api", "secret", "private", "signing", "encryption", "session", "access", "auth", "aes", "hmac",
     "crypto", "master", "license", "activation", "reset", "invite", "recovery", "encrypt"}
)  # fmt: skip
_PURPOSE_WORDS = frozenset(
    {"reset", "verification", "verify", "activation", "activate", "confirmation", "confirm", "invite",
     "invitation", "recovery", "magic", "login", "auth", "2fa", "mfa", "sms", "unlock", "one", "signup"}
)  # fmt: skip
_PURPOSE_OBJECTS = frozenset(
    {"code", "link", "url", "key", "pin", "id", "hash", "string", "number", "digits"}
)


@lru_cache(maxsize=4096)
def is_security_name(identifier: str) -> bool:
    """Whether a name denotes a security value (token, password, salt, session id, reset code...)."""
    ws = words(identifier)
    if not ws:
        return False
    joined = "".join(ws)
    if any(s in joined for s in ("sessionid", "sessionkey", "sessid", "csrftoken", "apikey")):
        return True
    last = ws[-1]
    if "key" in ws and any(w in _KEY_QUALIFIERS for w in ws) and last == "key":
        return True
    if last in _PURPOSE_OBJECTS and any(w in _PURPOSE_WORDS for w in ws[:-1]):
        return True
    if len(ws) > 1 and last in NON_SECRET_SUFFIXES:
        return False
    if any(w in _SECURITY_WORDS for w in ws):
        return True
    if "secretar" in joined:  # secretary, secretariat
        return False
    return any(s in joined for s in ("password", "passwd", "secret")) or joined.endswith("token")


def imported_names(ctx: FileContext) -> frozenset[str]:
    """Every local name bound by an import anywhere in the file (``md5`` after
    ``from hashlib import md5``, ``h`` after ``import hashlib as h``)."""
    cached: frozenset[str] | None = ctx.__dict__.get("_pwa2_imported_names")
    if cached is None:
        names: set[str] = set()
        index = ctx.semantic.nodes_by_type
        for node in (*index.get(ast.Import, ()), *index.get(ast.ImportFrom, ())):
            assert isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names:
                if alias.asname:
                    names.add(alias.asname)
                elif isinstance(node, ast.Import):
                    names.add(alias.name.split(".")[0])
                else:
                    names.add(alias.name)
        cached = frozenset(names)
        ctx.__dict__["_pwa2_imported_names"] = cached
    return cached


def may_be_imported_call(ctx: FileContext, call: ast.Call) -> bool:
    """Cheap pre-check: can ``call.func`` resolve to something imported? (A bare name must be an
    imported name; an attribute chain must start from one.)"""
    node: ast.expr = call.func
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in imported_names(ctx)
