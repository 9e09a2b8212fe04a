"""The standard library: local sources, http.server / WSGI / socket sources, the command, code
and dynamic-import sinks, sqlite3, and the builtins that produce harmless values."""

from __future__ import annotations

from pyward.analysis.taint.spec import (
    ALL,
    Alias,
    EntryPoint,
    Guard,
    Propagator,
    Sanitizer,
    Sink,
    Source,
    Subtype,
    TypeOf,
    When,
)

SOURCES = (
    # local: the user running the program
    Source("builtins.input", "local", "input()"),
    Source("sys.argv", "local", "sys.argv"),
    Source("sys.orig_argv", "local", "sys.orig_argv"),
    Source("sys.stdin", "local", "sys.stdin"),
    Source("os.environ", "local", "os.environ"),
    Source("os.environb", "local", "os.environb"),
    Source("os.getenv", "local", "os.getenv()"),
    Source("os.getenvb", "local", "os.getenvb()"),
    Source("fileinput.input", "local", "fileinput.input()"),
    Source("argparse.Namespace", "local", "argparse arguments"),
    Source("optparse.Values", "local", "optparse options"),
    Source("getpass.getpass", "local", "getpass()"),
    Source("builtins.open", "local", "file contents"),
    Source("io.open", "local", "file contents"),
    Source("pathlib.Path.read_text", "local", "file contents"),
    Source("pathlib.Path.read_bytes", "local", "file contents"),
    Source("pathlib.Path.open", "local", "file contents"),
    Source("socket.socket.recv", "local", "socket.recv()"),
    Source("socket.socket.recvfrom", "local", "socket.recvfrom()"),
    Source("socket.socket.recv_into", "local", "socket.recv_into()"),
    Source("socket.socket.makefile", "local", "socket.makefile()"),
    # remote: http.server request handlers
    Source("http.server.BaseHTTPRequestHandler.path", "remote", "HTTP request path"),
    Source("http.server.BaseHTTPRequestHandler.headers", "remote", "HTTP request headers"),
    Source("http.server.BaseHTTPRequestHandler.rfile", "remote", "HTTP request body"),
    Source("http.server.BaseHTTPRequestHandler.requestline", "remote", "HTTP request line"),
    Source("http.server.BaseHTTPRequestHandler.raw_requestline", "remote", "HTTP request line"),
    Source("socketserver.BaseRequestHandler.request", "remote", "socket server request"),
    Source("socketserver.StreamRequestHandler.rfile", "remote", "socket server stream"),
    Source("socketserver.DatagramRequestHandler.rfile", "remote", "socket server datagram"),
)

TYPES = (
    TypeOf("argparse.ArgumentParser.parse_args()", "argparse.Namespace"),
    TypeOf("argparse.ArgumentParser.parse_known_args()", "argparse.Namespace"),
    TypeOf("optparse.OptionParser.parse_args()", "optparse.Values"),
    TypeOf("socket.socket.accept()", "socket.socket"),
    TypeOf("socket.create_connection()", "socket.socket"),
    TypeOf("socket.create_server()", "socket.socket"),
    TypeOf("socket.fromfd()", "socket.socket"),
    TypeOf("sqlite3.connect()", "sqlite3.Connection"),
    TypeOf("sqlite3.Connection.cursor()", "sqlite3.Cursor"),
    TypeOf("sqlite3.Connection.execute()", "sqlite3.Cursor"),
    TypeOf("sqlite3.Cursor.execute()", "sqlite3.Cursor"),
    TypeOf("code.InteractiveConsole()", "code.InteractiveConsole"),
    TypeOf("re.compile()", "re.Pattern"),
    TypeOf("code.InteractiveInterpreter()", "code.InteractiveInterpreter"),
)

SUBTYPES = (
    Subtype("http.server.SimpleHTTPRequestHandler", "http.server.BaseHTTPRequestHandler"),
    Subtype("http.server.CGIHTTPRequestHandler", "http.server.BaseHTTPRequestHandler"),
    Subtype("http.server.BaseHTTPRequestHandler", "socketserver.StreamRequestHandler"),
    Subtype("socketserver.StreamRequestHandler", "socketserver.BaseRequestHandler"),
    Subtype("socketserver.DatagramRequestHandler", "socketserver.BaseRequestHandler"),
    Subtype("code.InteractiveConsole", "code.InteractiveInterpreter"),
)

ALIASES = (
    Alias("_socket.socket", "socket.socket"),
    Alias("posix", "os"),
    Alias("posixpath", "os.path"),
    Alias("ntpath", "os.path"),
    Alias("_pickle", "pickle"),
    Alias("cPickle", "pickle"),
)

ENTRY_POINTS = (
    # A WSGI application: ``def application(environ, start_response)``.
    EntryPoint(
        "wsgi",
        signature=("environ", "start_response"),
        params="none",
        tainted_params=("environ",),
        label="WSGI environ",
    ),
)

_SHELL = When("shell", truthy=True)
_SUBPROCESS = ("run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput")

SINKS = (
    # --- command injection (CWE-78)
    Sink("os.system", "command", args=(0,), keywords=("command",)),
    Sink("os.popen", "command", args=(0,), keywords=("cmd",)),
    *(
        Sink(f"subprocess.{f}", "command", args=(0,), keywords=("args",), when=(_SHELL,))
        for f in _SUBPROCESS[:5]
    ),
    *(
        Sink(f"subprocess.{f}", "command", args=(0,), keywords=("args",), part="argv0")
        for f in _SUBPROCESS[:5]
    ),
    Sink("subprocess.getoutput", "command", args=(0,), keywords=("cmd",)),
    Sink("subprocess.getstatusoutput", "command", args=(0,), keywords=("cmd",)),
    Sink("asyncio.create_subprocess_shell", "command", args=(0,), keywords=("cmd",)),
    Sink("asyncio.create_subprocess_exec", "command", args=(0,), keywords=("program",)),
    Sink("asyncio.subprocess.create_subprocess_shell", "command", args=(0,), keywords=("cmd",)),
    Sink("asyncio.subprocess.create_subprocess_exec", "command", args=(0,), keywords=("program",)),
    Sink("asyncio.AbstractEventLoop.subprocess_shell", "command", args=(1,), keywords=("cmd",)),
    *(
        Sink(f"os.{f}", "command", args=(0,), keywords=("path", "file"))
        for f in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe")
    ),
    *(
        Sink(f"os.{f}", "command", args=(1,), keywords=("path", "file"))
        for f in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")
    ),
    Sink("os.posix_spawn", "command", args=(0,), keywords=("path",)),
    Sink("os.posix_spawnp", "command", args=(0,), keywords=("path",)),
    Sink("os.startfile", "command", args=(0,), keywords=("filepath",)),
    Sink("pty.spawn", "command", args=(0,), keywords=("argv",), part="argv0"),
    # Python 2 era modules still found in old code
    Sink("commands.getoutput", "command", args=(0,)),
    Sink("commands.getstatusoutput", "command", args=(0,)),
    *(Sink(f"popen2.{f}", "command", args=(0,)) for f in ("popen2", "popen3", "popen4", "Popen3", "Popen4")),
    # --- code injection (CWE-94/95)
    Sink("builtins.eval", "code", args=(0,), keywords=("source",)),
    Sink("builtins.exec", "code", args=(0,), keywords=("source",)),
    Sink("builtins.compile", "code", args=(0,), keywords=("source",)),
    Sink("code.InteractiveInterpreter.runsource", "code", args=(0,), keywords=("source",)),
    Sink("code.InteractiveInterpreter.runcode", "code", args=(0,), keywords=("code",)),
    Sink("code.InteractiveConsole.push", "code", args=(0,), keywords=("line",)),
    Sink("code.compile_command", "code", args=(0,), keywords=("source",)),
    # --- dynamic import (CWE-706)
    Sink("importlib.import_module", "import", args=(0,), keywords=("name",)),
    Sink("builtins.__import__", "import", args=(0,), keywords=("name",)),
    Sink("importlib.__import__", "import", args=(0,), keywords=("name",)),
    Sink("pkgutil.resolve_name", "import", args=(0,), keywords=("name",)),
    # --- SQL (CWE-89): sqlite3; only the SQL text is a sink, the parameters are the safe channel
    *(
        Sink(f"sqlite3.{cls}.{m}", "sql", args=(0,), keywords=("sql", "sql_script"))
        for cls in ("Connection", "Cursor")
        for m in ("execute", "executemany", "executescript")
    ),
)

SANITIZERS = (
    # conversions and functions that return numbers, booleans or fixed values
    *(
        Sanitizer(f"builtins.{f}", ALL)
        for f in (
            "int",
            "float",
            "bool",
            "complex",
            "len",
            "abs",
            "round",
            "ord",
            "hash",
            "id",
            "isinstance",
            "issubclass",
            "callable",
            "hasattr",
            "type",
            "divmod",
            "sum",
        )
    ),
    Sanitizer("uuid.UUID", ALL),
    Sanitizer("decimal.Decimal", ALL),
    Sanitizer("fractions.Fraction", ALL),
    Sanitizer("ipaddress.ip_address", ALL),
    Sanitizer("ipaddress.IPv4Address", ALL),
    Sanitizer("ipaddress.IPv6Address", ALL),
    Sanitizer("datetime.datetime.strptime", ALL),
    Sanitizer("datetime.datetime.fromisoformat", ALL),
    Sanitizer("datetime.date.fromisoformat", ALL),
    Sanitizer("datetime.time.fromisoformat", ALL),
    Sanitizer("datetime.datetime.fromtimestamp", ALL),
    Sanitizer("time.strptime", ALL),
    Sanitizer("os.path.exists", ALL),
    Sanitizer("os.path.isfile", ALL),
    Sanitizer("os.path.isdir", ALL),
    Sanitizer("os.path.getsize", ALL),
    Sanitizer("hashlib.sha256", ALL),
    Sanitizer("hashlib.md5", ALL),
    Sanitizer("hashlib.sha1", ALL),
    Sanitizer("hmac.compare_digest", ALL),
    Sanitizer("secrets.compare_digest", ALL),
    Sanitizer("#isdigit", ALL),
    Sanitizer("#isalnum", ALL),
    Sanitizer("#isalpha", ALL),
    Sanitizer("#isdecimal", ALL),
    Sanitizer("#isnumeric", ALL),
    Sanitizer("#isidentifier", ALL),
    Sanitizer("#startswith", ALL),
    Sanitizer("#endswith", ALL),
    Sanitizer("#count", ALL),
    Sanitizer("#find", ALL),
    Sanitizer("#rfind", ALL),
    Sanitizer("#index", ALL),
    Sanitizer("#hexdigest", ALL),
    Sanitizer("#digest", ALL),
    # quoting for a shell
    Sanitizer("shlex.quote", ("command",)),
    Sanitizer("pipes.quote", ("command",)),
    Sanitizer("shlex.join", ("command",)),
    # query results come from the database, not from the SQL text
    *(
        Sanitizer(f"sqlite3.{cls}.{m}")
        for cls in ("Connection", "Cursor")
        for m in ("execute", "executemany", "executescript")
    ),
    # safe evaluation of literals is not code execution
    Sanitizer("ast.literal_eval", ("code",)),
)

GUARDS = (
    Guard("#isdigit"),
    Guard("#isdecimal"),
    Guard("#isnumeric"),
    Guard("#isalnum"),
    Guard("#isalpha"),
    Guard("#isidentifier"),
    Guard("re.fullmatch", arg=1, keyword="string"),
    Guard("re.Pattern.fullmatch", arg=0, keyword="string"),
)

PROPAGATORS = (
    # mutators: the arguments end up in the receiver
    *(
        Propagator(f"#{m}", frm=("args",), to="receiver")
        for m in (
            "append",
            "extend",
            "insert",
            "add",
            "update",
            "appendleft",
            "extendleft",
            "setdefault",
            "write",
            "writelines",
        )
    ),
    # mapping.get(key, default): a value of the mapping or the default, never the key
    Propagator("#get", frm=("receiver", "1", "kw:default")),
    # str.join: the separator and the items
    Propagator("#join", frm=("receiver", "args")),
)
