"""Turning file bytes into an ``ast.Module``, or into a clear reason why not.

Bytes are decoded as Python does (BOM, PEP 263 coding cookie, UTF-8 default). ``ast.parse`` is the
front end; when it fails, the version-independent fallback (:mod:`pyward.parsing.fallback`) is tried
so that syntax newer than the running interpreter is still analysed.
"""

from __future__ import annotations

import ast
import importlib
import io
import tokenize
import warnings
from dataclasses import dataclass

#: Files larger than this are not parsed (a diagnostic says so). Generated 20 MB files parse fine,
#: so the limit is generous; it exists so one pathological file cannot exhaust memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ParseResult:
    tree: ast.Module | None
    source: str | None
    #: Why the file could not be parsed (None on success).
    error: str | None = None
    error_line: int = 0
    fallback: bool = False


def decode_source(data: bytes) -> str:
    """Decode Python source bytes like the interpreter does. Raises ``SyntaxError`` or
    ``UnicodeDecodeError``/``LookupError`` with a useful message."""
    if b"\0" in data:
        raise ValueError("file contains NUL bytes (binary file?)")
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def parse_python(data: bytes, filename: str) -> ParseResult:
    """Decode and parse; never raises."""
    if len(data) > MAX_FILE_BYTES:
        return ParseResult(None, None, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        source = decode_source(data)
    except SyntaxError as exc:  # bad coding cookie
        return ParseResult(None, None, f"cannot decode: {exc.msg}", exc.lineno or 0)
    except (UnicodeDecodeError, LookupError) as exc:
        return ParseResult(None, None, f"cannot decode: {exc}")
    except ValueError as exc:
        return ParseResult(None, None, str(exc))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=filename, type_comments=False)
        return ParseResult(tree, source)
    except SyntaxError as exc:
        first_error = exc
    except (RecursionError, MemoryError) as exc:
        return ParseResult(None, source, f"too deeply nested to parse ({type(exc).__name__})")
    except ValueError as exc:
        return ParseResult(None, source, f"cannot parse: {exc}")
    try:
        fallback = importlib.import_module("pyward.parsing.fallback")
    except ImportError:  # pragma: no cover - fallback module always ships
        fallback = None
    parse_fallback = getattr(fallback, "parse_fallback", None)
    if parse_fallback is not None:
        try:
            tree = parse_fallback(source, filename)
            if isinstance(tree, ast.Module):
                return ParseResult(tree, source, fallback=True)
        except SyntaxError:
            pass
        except Exception:  # the fallback must never turn a syntax error into a crash
            pass
    msg = first_error.msg or "invalid syntax"
    return ParseResult(None, source, f"syntax error: {msg}", first_error.lineno or 0)
