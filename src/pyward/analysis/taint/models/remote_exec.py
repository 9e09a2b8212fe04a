"""Third-party libraries that run commands: SSH clients and terminal automation."""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sink

ALIASES = (
    Alias("paramiko.client.SSHClient", "paramiko.SSHClient"),
    Alias("pexpect.pty_spawn.spawn", "pexpect.spawn"),
)

SINKS = (
    Sink("paramiko.SSHClient.exec_command", "command", args=(0,), keywords=("command",)),
    Sink("paramiko.Channel.exec_command", "command", args=(0,), keywords=("command",)),
    Sink("pexpect.spawn", "command", args=(0,), keywords=("command",)),
    Sink("pexpect.spawnu", "command", args=(0,), keywords=("command",)),
    Sink("pexpect.run", "command", args=(0,), keywords=("command",)),
    Sink("pexpect.runu", "command", args=(0,), keywords=("command",)),
    Sink("pexpect.popen_spawn.PopenSpawn", "command", args=(0,), keywords=("cmd",)),
    Sink("fabric.Connection.run", "command", args=(0,), keywords=("command",)),
    Sink("fabric.Connection.sudo", "command", args=(0,), keywords=("command",)),
    Sink("fabric.Connection.local", "command", args=(0,), keywords=("command",)),
    Sink("sh.Command", "command", args=(0,), keywords=("path",)),
)
