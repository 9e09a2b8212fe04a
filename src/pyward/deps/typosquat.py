"""Typosquatting: dependency names that imitate much more popular PyPI projects.

A name is compared with the popular-packages list (``top-pypi-packages`` JSON, ordered by
downloads) after PEP 503 normalisation. It is *suspect* when it is not popular itself and it
collides with a much more popular name by one of:

* **look-alike spelling**: the same after removing ``-``, ``_``, ``.`` and folding confusable
  characters (``0``→``o``, ``1``/``I``→``l``, ``rn``→``m``, ``vv``→``w``); ``I`` is folded before
  lower-casing so ``jeIlyfish`` reads as ``jellyfish``;
* **affixes**: adding or dropping ``python-``, ``python3-``, ``py-``, ``py`` or ``-python``/``-py``
  (``dateutil``, ``python3-dateutil`` for ``python-dateutil``);
* **one edit** (insert, delete, replace, or swap two adjacent characters) when both names have 4+
  characters (``request``, ``urlib3``, ``reqeusts``, ``djanga``), measured on the lower-case names
  without separators;
* **two edits** when both names have 8+ characters, only for targets with at least
  :data:`TWO_EDIT_RATIO` times the candidate's downloads (a weaker resemblance needs a more
  obvious target);
* **reordered words**: the same ``-``-separated words in another order.

"Popular" and "much more popular" are defined on the list: a name ranked within the top
:data:`POPULAR_RANK` is never suspect; otherwise the name it resembles must have at least
:data:`POPULARITY_RATIO` times its downloads (a name missing from the list is counted with the
list's smallest download count, an upper bound). Known false friends (``allow-list`` data file and
``[tool.pyward] allow-packages``) are never reported.

Lookups are indexed (skeleton, affix-stripped forms, sorted words, and deletion neighbourhoods of
the candidate targets), so checking a name costs a few dictionary lookups, not a scan of the list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from packaging.utils import canonicalize_name

#: Names ranked this high are popular themselves and never suspect.
POPULAR_RANK = 5000
#: A look-alike target must have at least this many times the candidate's downloads.
POPULARITY_RATIO = 50
#: Two edits are a weaker resemblance: the target must have this many times the downloads.
TWO_EDIT_RATIO = 500
_PREFIXES = ("python3-", "python-", "py-", "py")
_SUFFIXES = ("-python3", "-python", "-py")
_MIN_CORE = 3


class PopularListError(Exception):
    """The popular-packages list is missing or cannot be read."""


@dataclass(frozen=True)
class PopularPackage:
    name: str  # normalised
    rank: int  # 1-based
    downloads: int


@dataclass(frozen=True)
class Suspect:
    """A dependency name that looks like a much more popular project."""

    name: str
    resembles: PopularPackage
    reason: str

    def describe(self) -> str:
        return (
            f"{self.name!r} looks like the popular package {self.resembles.name!r} "
            f"(rank {self.resembles.rank:,} of the most downloaded PyPI projects, "
            f"{self.resembles.downloads:,} downloads): {self.reason}"
        )


def skeleton(raw: str) -> str:
    """The name with separators removed and confusable characters folded."""
    text = raw.replace("I", "l").lower()
    text = re.sub(r"[-_.]+", "", text)
    text = text.replace("0", "o").replace("1", "l").replace("rn", "m").replace("vv", "w")
    return text


def plain(raw: str) -> str:
    """The lower-case name without separators: what one- and two-edit distances are measured on
    (confusable folding would turn a swap next to ``rn`` into two edits)."""
    return re.sub(r"[-_.]+", "", raw.lower())


def _affix_cores(normalized: str) -> set[str]:
    """Skeletons of the name with one python/py prefix and/or suffix removed."""
    bases = {normalized}
    for suffix in _SUFFIXES:
        if normalized.endswith(suffix):
            bases.add(normalized[: -len(suffix)])
    out: set[str] = set()
    for base in bases:
        out.add(base)
        for prefix in _PREFIXES:
            if base.startswith(prefix):
                out.add(base[len(prefix) :])
    return {s for s in (skeleton(b) for b in out if b != normalized) if len(s) >= _MIN_CORE}


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        nxt: set[str] = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        found |= nxt
        frontier = nxt
    return found


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transposition), capped at limit."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[len(b)], limit)


def _edit_reason(cand: str, target: str, distance: int) -> str:
    if distance == 2:
        return "two characters differ"
    if len(cand) == len(target):
        diff = [i for i in range(len(cand)) if cand[i] != target[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return "two adjacent characters swapped"
        return "one character replaced"
    return "one character added" if len(cand) > len(target) else "one character missing"


class PopularIndex:
    """The popular-packages list, indexed for look-alike lookups."""

    def __init__(self, rows: Iterable[tuple[str, int]], allow: Iterable[str] = ()) -> None:
        self.by_name: dict[str, PopularPackage] = {}
        for name, downloads in rows:
            norm = canonicalize_name(name)
            if norm not in self.by_name:
                self.by_name[norm] = PopularPackage(norm, len(self.by_name) + 1, max(int(downloads), 0))
        self.allow = {canonicalize_name(a) for a in allow}
        self.min_downloads = min((p.downloads for p in self.by_name.values()), default=0)
        floor = POPULARITY_RATIO * max(self.min_downloads, 1)
        self.targets = [p for p in self.by_name.values() if p.downloads >= floor]
        strong = TWO_EDIT_RATIO * max(self.min_downloads, 1)
        self._skel: dict[str, list[PopularPackage]] = {}
        self._core: dict[str, list[PopularPackage]] = {}
        self._words: dict[tuple[str, ...], list[PopularPackage]] = {}
        self._del1: dict[str, list[PopularPackage]] = {}
        self._del2: dict[str, list[PopularPackage]] = {}
        self._target_skel: dict[str, str] = {}
        self._target_plain: dict[str, str] = {}
        for pkg in self.targets:
            sk = skeleton(pkg.name)
            self._target_skel[pkg.name] = sk
            self._skel.setdefault(sk, []).append(pkg)
            for core in _affix_cores(pkg.name) | {sk}:
                self._core.setdefault(core, []).append(pkg)
            words = pkg.name.split("-")
            if len(words) > 1:
                self._words.setdefault(tuple(sorted(words)), []).append(pkg)
            pl = plain(pkg.name)
            self._target_plain[pkg.name] = pl
            if len(pl) >= 4:
                for d in _deletes(pl, 1):
                    self._del1.setdefault(d, []).append(pkg)
            if len(pl) >= 8 and pkg.downloads >= strong:
                for d in _deletes(pl, 2):
                    self._del2.setdefault(d, []).append(pkg)

    def __len__(self) -> int:
        return len(self.by_name)

    def rank(self, name: str) -> int | None:
        pkg = self.by_name.get(canonicalize_name(name))
        return pkg.rank if pkg else None

    def check(self, name: str, *, allow: Iterable[str] = ()) -> Suspect | None:
        """The popular project ``name`` imitates, or None."""
        return self.check_many([name], allow=allow).get(name)

    def check_many(self, names: Iterable[str], *, allow: Iterable[str] = ()) -> dict[str, Suspect]:
        """Suspects among ``names`` (name as given -> suspect); names that look fine are absent."""
        allowed = self.allow | {canonicalize_name(a) for a in allow}
        out: dict[str, Suspect] = {}
        for name in dict.fromkeys(names):
            norm = canonicalize_name(name)
            if not norm or norm in allowed:
                continue
            own = self.by_name.get(norm)
            if own is not None and own.rank <= POPULAR_RANK:
                continue
            downloads = own.downloads if own is not None else self.min_downloads
            found: list[tuple[int, int, PopularPackage, str]] = []
            self._matches(name, norm, POPULARITY_RATIO * downloads, TWO_EDIT_RATIO * downloads, found)
            if found:
                found.sort(key=lambda m: (m[1] > 2, m[0], m[1]))
                _, _, pkg, reason = found[0]
                out[name] = Suspect(name, pkg, reason)
        return out

    def _matches(
        self,
        name: str,
        norm: str,
        floor: int,
        strong_floor: int,
        matches: list[tuple[int, int, PopularPackage, str]],
    ) -> None:
        def consider(pkg: PopularPackage, priority: int, reason: str) -> None:
            if pkg.name != norm and pkg.downloads >= floor:
                matches.append((pkg.rank, priority, pkg, reason))

        sk = skeleton(name)
        for pkg in self._skel.get(sk, ()):
            consider(
                pkg,
                0,
                "the same name once separators and look-alike characters (0/o, 1/l/I, rn/m, vv/w) are ignored",
            )
        for core in _affix_cores(norm) | {sk}:
            for pkg in self._core.get(core, ()):
                if self._target_skel[pkg.name] != sk:
                    consider(pkg, 1, "the same name with a python/py prefix or suffix added or removed")
        words = norm.split("-")
        if len(words) > 1:
            for pkg in self._words.get(tuple(sorted(words)), ()):
                consider(pkg, 2, "the same words in another order")
        pl = plain(name)
        if len(pl) >= 4:
            seen: set[str] = set()
            for d in _deletes(pl, 1):
                for pkg in self._del1.get(d, ()):
                    if pkg.name in seen:
                        continue
                    seen.add(pkg.name)
                    tpl = self._target_plain[pkg.name]
                    if osa_distance(pl, tpl, 2) == 1:
                        consider(pkg, 3, _edit_reason(pl, tpl, 1))
        if len(pl) >= 8:
            seen2: set[str] = set()
            for d in _deletes(pl, 2):
                for pkg in self._del2.get(d, ()):
                    if pkg.name in seen2 or pkg.downloads < strong_floor:
                        continue
                    seen2.add(pkg.name)
                    tpl = self._target_plain[pkg.name]
                    if osa_distance(pl, tpl, 3) == 2:
                        consider(pkg, 4, _edit_reason(pl, tpl, 2))


# ----------------------------------------------------------------------------------------------
# loading


def builtin_allow_list() -> tuple[str, ...]:
    """Known false friends shipped with pyward (``data/typosquat_allow.txt``)."""
    text = resources.files("pyward.deps").joinpath("data/typosquat_allow.txt").read_text(encoding="utf-8")
    names: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return tuple(names)


def parse_popular(data: bytes, where: str = "popular-packages list") -> list[tuple[str, int]]:
    """Rows (name, downloads) in popularity order from the top-pypi-packages JSON format."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PopularListError(f"{where} is not valid JSON: {exc}") from None
    rows = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(rows, list) or not rows:
        raise PopularListError(f"{where} has no 'rows' list of packages")
    out: list[tuple[str, int]] = []
    for index, row in enumerate(rows):
        if isinstance(row, dict) and isinstance(row.get("project"), str):
            count = row.get("download_count", 0)
            try:
                downloads = int(count) if not isinstance(count, bool) else 0
            except (TypeError, ValueError):
                downloads = 0
            out.append((row["project"], max(downloads, 0)))
        elif isinstance(row, str):
            out.append((row, 0))
        else:
            raise PopularListError(f"{where}: row {index + 1} has no 'project' name")
    if all(count == 0 for _, count in out):  # no counts: rank order only, keep it meaningful
        total = len(out)
        out = [(name, (total - i) * 1000) for i, (name, _) in enumerate(out)]
    return out


_CACHE: dict[tuple[str, int, int], PopularIndex] = {}


def load_popular(path: Path) -> PopularIndex:
    """Read and index the popular-packages list at ``path`` (cached per file version)."""
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        raise PopularListError(
            f"popular-packages list not found at {path}: run `pyward db update` "
            "(or `pyward db import PATH --popular FILE`)"
        ) from None
    except OSError as exc:
        raise PopularListError(f"cannot read popular-packages list {path}: {exc.strerror or exc}") from None
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PopularListError(f"cannot read popular-packages list {path}: {exc.strerror or exc}") from None
    index = PopularIndex(parse_popular(data, str(path)), builtin_allow_list())
    _CACHE.clear()
    _CACHE[key] = index
    return index
