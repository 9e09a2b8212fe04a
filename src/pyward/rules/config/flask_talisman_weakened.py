"""PWC641: Flask-Talisman configured with protections turned off."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskTalismanWeakened(FlaskRule):
    r"""
    ## What it does
    Reports `Talisman(app, ...)` and `talisman.init_app(app, ...)` with `force_https=False`,
    `strict_transport_security=False`, `content_security_policy=None` (or another false value),
    `frame_options=None`, `session_cookie_secure=False`, `session_cookie_http_only=False`,
    `x_content_type_options=False`, `content_security_policy_report_only=True`, or an HSTS max-age
    under a year.

    ## Why is this bad?
    Each of these turns off a protection Talisman enables by default: HTTPS redirects and HSTS,
    the content security policy, clickjacking protection, secure session cookies.

    ## Example
    ```python
    from flask import Flask
    from flask_talisman import Talisman

    app = Flask(__name__)
    Talisman(app, force_https=False, content_security_policy=None)
    ```

    ## Use instead
    ```python
    from flask import Flask
    from flask_talisman import Talisman

    app = Flask(__name__)
    Talisman(app)
    ```

    ## References
    - https://github.com/wntrblm/flask-talisman#options
    """

    meta = RuleMeta(
        code="PWC641",
        name="flask-talisman-weakened",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="Flask-Talisman configured with protections turned off",
    )
