"""Base classes of the Flask, FastAPI/Starlette, cookie and template rules (not a rule module).

Each names the analysis that produces its findings and the file name its documentation examples
are scanned as.
"""

from __future__ import annotations

from typing import ClassVar

from pyward.rules.base import DiagnosticRule
from pyward.rules.config.base import ConfigRule


class FlaskRule(ConfigRule):
    analysis: ClassVar[str] = "pyward.frameworks.flask:FlaskAnalysis"
    example_filename: ClassVar[str] = "app.py"


class FastAPIRule(ConfigRule):
    analysis: ClassVar[str] = "pyward.frameworks.fastapi:FastAPIAnalysis"
    example_filename: ClassVar[str] = "main.py"


class CookieRule(ConfigRule):
    analysis: ClassVar[str] = "pyward.frameworks.cookies:CookieAnalysis"
    example_filename: ClassVar[str] = "views.py"


class TemplateRule(ConfigRule):
    analysis: ClassVar[str] = "pyward.frameworks.templates:TemplateAnalysis"
    example_filename: ClassVar[str] = "templates/page.html"


class TemplateDiagnosticRule(DiagnosticRule):
    analysis: ClassVar[str] = "pyward.frameworks.templates:TemplateAnalysis"
    example_filename: ClassVar[str] = "templates/page.html"
