"""Lines of TOML keys and values, which ``tomllib`` does not report.

The locator scans the text once for table headers (``[a.b]`` and ``[[a.b]]``, skipping multi-line
strings) and answers, for a table (and for arrays of tables, its n-th occurrence):
the header line, the line of a key inside it (also as a dotted key ``a.b = ...`` in a parent table
or as a key of an inline table on the parent's line), and the lines of successive string values
of an array assigned to a key. Every lookup falls back to the nearest line it could find (the
header, then 1), so a dependency always points somewhere sensible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BARE = r"[A-Za-z0-9_-]+"
_KEYPART = rf"(?:{_BARE}|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_HEADER_RE = re.compile(rf"^\s*(\[\[?)\s*({_KEYPART}(?:\s*\.\s*{_KEYPART})*)\s*(\]\]?)\s*(?:#.*)?$")


def split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(_KEYPART, text)
    out: list[str] = []
    for part in parts:
        if part[:1] in ("'", '"'):
            part = part[1:-1]
        out.append(part)
    return tuple(out)


def _key_pattern(key: str) -> str:
    escaped = re.escape(key)
    return rf"(?:{escaped}|\"{escaped}\"|'{escaped}')"


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    array: bool
    start: int  # header line (1-based); 0 for the root table
    end: int  # last line of the section (inclusive)


class TomlLocator:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.sections: list[Section] = []
        headers: list[tuple[int, tuple[str, ...], bool]] = [(0, (), False)]
        in_multiline: str | None = None
        for number, line in enumerate(self.lines, 1):
            if in_multiline is not None:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
                    break
            if in_multiline is not None:
                continue
            m = _HEADER_RE.match(line)
            if m and (m.group(1) == "[[") == (m.group(3) == "]]"):
                headers.append((number, split_key(m.group(2)), m.group(1) == "[["))
        for index, (start, path, array) in enumerate(headers):
            end = headers[index + 1][0] - 1 if index + 1 < len(headers) else len(self.lines)
            self.sections.append(Section(path, array, start, end))
        self._by_path: dict[tuple[str, ...], list[Section]] = {}
        for sec in self.sections:
            self._by_path.setdefault(sec.path, []).append(sec)

    # ------------------------------------------------------------------------------------------
    def section(self, path: tuple[str, ...], index: int | None = None) -> Section | None:
        found = self._by_path.get(path)
        if not found:
            return None
        if index is None:
            return found[0]
        return found[index] if index < len(found) else None

    def table_line(self, path: tuple[str, ...], index: int | None = None) -> int:
        sec = self.section(path, index)
        if sec is not None:
            return max(sec.start, 1)
        return self.table_line(path[:-1]) if path else 1

    def key_line(self, path: tuple[str, ...], key: str, index: int | None = None) -> int:
        """The line where ``key`` is assigned in table ``path`` (0 when not found)."""
        sec = self.section(path, index)
        if sec is not None:
            line = self._find_key(sec, rf"^\s*{_key_pattern(key)}\s*=")
            if line:
                return line
        # dotted keys in an ancestor table: [project] optional-dependencies.dev = [...]
        for cut in range(len(path) - 1, -1, -1):
            parent = self.section(path[:cut])
            if parent is None:
                continue
            dotted = r"\s*\.\s*".join(_key_pattern(k) for k in (*path[cut:], key))
            line = self._find_key(parent, rf"^\s*{dotted}\s*=")
            if line:
                return line
            # inline table: [tool.poetry] dependencies = { requests = "^2" }
            inline = r"\s*\.\s*".join(_key_pattern(k) for k in path[cut:])
            line = self._find_key(parent, rf"^\s*{inline}\s*=\s*\{{.*{_key_pattern(key)}\s*=")
            if line:
                return line
        return 0

    def _find_key(self, sec: Section, pattern: str) -> int:
        rx = re.compile(pattern)
        first = sec.start + 1 if sec.start else 1
        for number in range(first, sec.end + 1):
            if rx.match(self.lines[number - 1]):
                return number
        return 0

    def best_key_line(self, path: tuple[str, ...], key: str, index: int | None = None) -> int:
        return self.key_line(path, key, index) or self.table_line(path, index)

    def array_item_lines(
        self, path: tuple[str, ...], key: str, items: list[str], index: int | None = None
    ) -> list[int]:
        """Lines of the successive string ``items`` of the array assigned to ``key``."""
        start = self.key_line(path, key, index)
        if not start:
            fallback = self.table_line(path, index)
            return [fallback] * len(items)
        lines: list[int] = []
        row, col = start - 1, self.lines[start - 1].find("=") + 1
        for item in items:
            found = self._find_string(item, row, col)
            if found is None:
                lines.append(start)
                continue
            row, col = found
            lines.append(row + 1)
        return lines

    def _find_string(self, value: str, row: int, col: int) -> tuple[int, int] | None:
        candidates = [f'"{_toml_basic_escape(value)}"', f"'{value}'", f'"{value}"']
        limit = min(len(self.lines), row + 5000)
        while row < limit:
            text = self.lines[row]
            best: int | None = None
            best_len = 0
            for cand in candidates:
                pos = text.find(cand, col)
                if pos >= 0 and (best is None or pos < best):
                    best, best_len = pos, len(cand)
            if best is not None:
                return row, best + best_len
            row, col = row + 1, 0
        return None


def _toml_basic_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
