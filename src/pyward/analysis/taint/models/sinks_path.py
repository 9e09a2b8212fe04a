"""Path traversal (CWE-22): file system paths built from untrusted input.

Sanitizers: ``os.path.basename``, ``werkzeug.utils.secure_filename``, Django's ``safe_join``.
The resolve-then-check guard is two steps: ``os.path.realpath``/``abspath``/``normpath`` or
``Path.resolve()``/``Path.absolute()`` mark the value ``norm:path``; a ``startswith`` /
``is_relative_to`` check of a marked value, with the failing branch exiting, clears it.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Guard, Sanitizer, Sink, Subtype, TypeOf

_NORM = "norm:path"
# what secure_filename leaves: ASCII letters, digits, "_", "-" and "."
_FILENAME_SAFE = ("path", "command", "sql", "xss", "header", "log", "ldap", "xpath", "template")

ALIASES = (
    Alias("io.open", "builtins.open"),
    Alias("flask.helpers.send_file", "flask.send_file"),
    Alias("werkzeug.datastructures.file_storage.FileStorage", "werkzeug.datastructures.FileStorage"),
    Alias("django.utils._os.safe_join", "django.utils._os.safe_join"),
    Alias("werkzeug.security.safe_join", "werkzeug.utils.safe_join"),
    Alias("flask.safe_join", "werkzeug.utils.safe_join"),
)

SUBTYPES = (
    Subtype("pathlib.PosixPath", "pathlib.Path"),
    Subtype("pathlib.WindowsPath", "pathlib.Path"),
)

TYPES = (
    *(
        TypeOf(f"pathlib.Path.{m}()", "pathlib.Path")
        for m in ("joinpath", "resolve", "absolute", "expanduser", "with_name", "with_suffix", "with_stem")
    ),
    TypeOf("pathlib.Path.parent", "pathlib.Path"),
    TypeOf("flask.request.files[]", "werkzeug.datastructures.FileStorage"),
    TypeOf("flask.request.files.get()", "werkzeug.datastructures.FileStorage"),
    TypeOf("flask.Request.files[]", "werkzeug.datastructures.FileStorage"),
    TypeOf("flask.Request.files.get()", "werkzeug.datastructures.FileStorage"),
)

#: A keyword no call can pass (not an identifier): with ``receiver=True`` it makes the object
#: the only dangerous input (empty ``args`` and ``keywords`` would mean "any argument").
_RECEIVER_ONLY = ("<receiver>",)

SINKS = (
    Sink("builtins.open", "path", args=(0,), keywords=("file",), label="open()"),
    Sink("codecs.open", "path", args=(0,), keywords=("filename",)),
    Sink("os.open", "path", args=(0,), keywords=("path",)),
    *(
        Sink(f"os.{f}", "path", args=(0,), keywords=("path",))
        for f in (
            "remove",
            "unlink",
            "rmdir",
            "removedirs",
            "mkdir",
            "makedirs",
            "listdir",
            "scandir",
            "chmod",
            "chown",
            "lchown",
            "truncate",
            "mkfifo",
            "utime",
        )
    ),
    Sink("os.walk", "path", args=(0,), keywords=("top",)),
    *(
        Sink(f"os.{f}", "path", args=(0, 1), keywords=("src", "dst"))
        for f in ("rename", "replace", "renames", "link", "symlink")
    ),
    *(
        Sink(f"shutil.{f}", "path", args=(0, 1), keywords=("src", "dst"))
        for f in ("copy", "copy2", "copyfile", "copytree", "move", "copymode", "copystat")
    ),
    Sink("shutil.rmtree", "path", args=(0,), keywords=("path",)),
    Sink("shutil.chown", "path", args=(0,), keywords=("path",)),
    Sink("shutil.make_archive", "path", args=(0, 2), keywords=("base_name", "root_dir")),
    Sink("shutil.unpack_archive", "path", args=(0, 1), keywords=("filename", "extract_dir")),
    # pathlib: the path object itself is the dangerous value
    *(
        Sink(f"pathlib.Path.{m}", "path", receiver=True, args=(), keywords=_RECEIVER_ONLY)
        for m in (
            "open",
            "unlink",
            "rmdir",
            "mkdir",
            "touch",
            "iterdir",
            "chmod",
            "symlink_to",
            "hardlink_to",
        )
    ),
    *(
        Sink(f"pathlib.Path.{m}", "path", receiver=True, args=(0,), keywords=("target",))
        for m in ("rename", "replace")
    ),
    # the read/write helpers exist only on path-like objects: match them on any receiver, so
    # ``(BASE / name).read_text()`` is seen without knowing the type of ``BASE / name``
    *(
        Sink(f"#{m}", "path", receiver=True, args=(), keywords=_RECEIVER_ONLY)
        for m in ("read_text", "read_bytes")
    ),
    *(
        Sink(f"#{m}", "path", receiver=True, args=(), keywords=_RECEIVER_ONLY)
        for m in ("write_text", "write_bytes")
    ),
    Sink("flask.send_file", "path", args=(0,), keywords=("path_or_file",)),
    Sink("werkzeug.datastructures.FileStorage.save", "path", args=(0,), keywords=("dst",)),
)

SANITIZERS = (
    Sanitizer("os.path.basename", ("path",)),
    Sanitizer("werkzeug.utils.secure_filename", _FILENAME_SAFE),
    # Django raises SuspiciousFileOperation when the result leaves the base directory;
    # Werkzeug's returns None.
    Sanitizer("django.utils._os.safe_join", ("path",)),
    Sanitizer("werkzeug.utils.safe_join", ("path",)),
    Sanitizer("os.path.realpath", (), marks=(_NORM,)),
    Sanitizer("os.path.abspath", (), marks=(_NORM,)),
    Sanitizer("os.path.normpath", (), marks=(_NORM,)),
    Sanitizer("#resolve", (), marks=(_NORM,)),
    Sanitizer("#absolute", (), marks=(_NORM,)),
)

GUARDS = (
    # os.path.commonpath([candidate, base]) == base
    Guard("os.path.commonpath", ("path",), arg=0, keyword="paths", requires=_NORM),
    Guard("#startswith", ("path",), requires=_NORM),
    Guard("#is_relative_to", ("path",), requires=_NORM),
)
