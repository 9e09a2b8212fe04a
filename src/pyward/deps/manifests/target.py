"""The environment a manifest is evaluated for (PEP 508 environment markers)."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName


@dataclass(frozen=True)
class TargetEnv:
    """Values of the PEP 508 marker variables for the Python the project will be installed into.

    The default (:meth:`current`) is the running interpreter; :meth:`for_python` keeps the running
    platform and changes only the Python version (``--target-python`` / ``target-python``).
    """

    python_version: str
    python_full_version: str
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str
    implementation_name: str = "cpython"
    platform_python_implementation: str = "CPython"
    platform_release: str = ""
    platform_version: str = ""
    implementation_version: str = ""

    @classmethod
    def current(cls) -> TargetEnv:
        info = sys.implementation.version
        impl_version = f"{info.major}.{info.minor}.{info.micro}"
        if info.releaselevel != "final":
            impl_version += info.releaselevel[0] + str(info.serial)
        return cls(
            python_version=".".join(platform.python_version_tuple()[:2]),
            python_full_version=platform.python_version(),
            sys_platform=sys.platform,
            platform_system=platform.system(),
            platform_machine=platform.machine(),
            os_name=__import__("os").name,
            implementation_name=sys.implementation.name,
            platform_python_implementation=platform.python_implementation(),
            platform_release=platform.release(),
            platform_version=platform.version(),
            implementation_version=impl_version,
        )

    @classmethod
    def for_python(cls, version: str) -> TargetEnv:
        """The running platform with another Python version (``"3.9"`` or ``"3.9.18"``)."""
        parts = [p for p in version.strip().split(".") if p]
        if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
            raise ValueError(f"not a Python version: {version!r} (expected e.g. 3.11 or 3.11.4)")
        short = ".".join(parts[:2])
        full = ".".join(parts[:3]) if len(parts) >= 3 else short + ".0"
        base = cls.current()
        return TargetEnv(
            python_version=short,
            python_full_version=full,
            sys_platform=base.sys_platform,
            platform_system=base.platform_system,
            platform_machine=base.platform_machine,
            os_name=base.os_name,
            implementation_name=base.implementation_name,
            platform_python_implementation=base.platform_python_implementation,
            platform_release=base.platform_release,
            platform_version=base.platform_version,
            implementation_version=full,
        )

    def environment(self, extra: str = "") -> dict[str, str]:
        return {
            "python_version": self.python_version,
            "python_full_version": self.python_full_version,
            "sys_platform": self.sys_platform,
            "platform_system": self.platform_system,
            "platform_machine": self.platform_machine,
            "os_name": self.os_name,
            "implementation_name": self.implementation_name,
            "platform_python_implementation": self.platform_python_implementation,
            "platform_release": self.platform_release,
            "platform_version": self.platform_version,
            "implementation_version": self.implementation_version,
            "extra": extra,
        }


def coerce_target(target: TargetEnv | str | None) -> TargetEnv:
    if isinstance(target, TargetEnv):
        return target
    if isinstance(target, str) and target.strip():
        return TargetEnv.for_python(target)
    return TargetEnv.current()


def marker_applies(marker: Marker | str | None, target: TargetEnv, extra: str = "") -> bool:
    """Whether ``marker`` holds on ``target``; raises ValueError for a marker that cannot be read."""
    if marker is None or marker == "":
        return True
    try:
        parsed = marker if isinstance(marker, Marker) else Marker(marker)
        return bool(parsed.evaluate(target.environment(extra)))
    except InvalidMarker as exc:
        raise ValueError(f"invalid environment marker {str(marker)!r}: {exc}") from None
    except (UndefinedComparison, UndefinedEnvironmentName) as exc:
        raise ValueError(f"cannot evaluate environment marker {str(marker)!r}: {exc}") from None
