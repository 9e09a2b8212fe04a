"""Log injection (CWE-117): untrusted data written by ``logging``.

Arguments a constant format string renders with ``%r``/``%a`` (escaped) or as numbers are not
sinks (``Sink.format_arg``); ``repr()``/``ascii()`` and replacing the line feed clear the class.
Keyword arguments (``extra=``, ``exc_info=``) are not sinks.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Sanitizer, Sink, Subtype, TypeOf, When

_LEVELS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "fatal")
_POSITIONAL = tuple(range(0, 12))


TYPES = (
    TypeOf("logging.getLogger()", "logging.Logger"),
    TypeOf("logging.root", "logging.Logger"),
    TypeOf("logging.Logger.getChild()", "logging.Logger"),
    TypeOf("flask.Flask.logger", "logging.Logger"),
)

SUBTYPES = (Subtype("logging.RootLogger", "logging.Logger"),)

SINKS = (
    *(
        Sink(f"{owner}.{level}", "log", args=_POSITIONAL, keywords=("msg",), format_arg=0)
        for owner in ("logging", "logging.Logger", "logging.LoggerAdapter")
        for level in _LEVELS
    ),
    *(
        Sink(f"{owner}.log", "log", args=_POSITIONAL[1:], keywords=("msg",), format_arg=1)
        for owner in ("logging", "logging.Logger", "logging.LoggerAdapter")
    ),
)

SANITIZERS = (
    Sanitizer("builtins.repr", ("log",)),
    Sanitizer("builtins.ascii", ("log",)),
    # x.replace("\n", ...) / x.replace("\r\n", ...): no line feed left to start a forged entry
    Sanitizer("#replace", ("log",), when=(When("old", position=0, matches="\n", unknown=False),)),
)
