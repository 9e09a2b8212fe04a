"""Template injection (CWE-1336): template *source text* compiled by Jinja2, Flask, Django and
Mako. Template variables are the safe channel and are not sinks. Jinja's ``SandboxedEnvironment``
is meant for untrusted templates and is deliberately not modelled as a sink.

Also: what rendering helpers return, for the XSS class (autoescaped output is safe HTML).
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sanitizer, Sink, TypeOf, When

ALIASES = (
    Alias("jinja2.environment.Environment", "jinja2.Environment"),
    Alias("jinja2.environment.Template", "jinja2.Template"),
    Alias("flask.templating.render_template_string", "flask.render_template_string"),
    Alias("flask.templating.stream_template_string", "flask.stream_template_string"),
    Alias("flask.templating.render_template", "flask.render_template"),
    Alias("django.template.base.Template", "django.template.Template"),
    Alias("django.template.engine.Engine", "django.template.Engine"),
)

# Autoescaping Jinja environments and templates (``autoescape=True``, ``select_autoescape()``,
# which autoescapes templates from strings): what they render is escaped HTML. The refined type
# is added next to the plain one.
_AUTOESCAPE = "jinja2.Environment+autoescape"
_AUTOESCAPED = "jinja2.Template+autoescape"
_ALWAYS = (When("source", position=0, absent=True),)
TYPES = (
    TypeOf("django.template.engines[]", "django.template.backends.base.BaseEngine"),
    TypeOf("django.template.Engine.get_default()", "django.template.Engine"),
    TypeOf("jinja2.Environment.from_string()", "jinja2.Template"),
    TypeOf("jinja2.Environment.get_template()", "jinja2.Template"),
    TypeOf("jinja2.Environment()", _AUTOESCAPE, when=(When("autoescape", truthy=True),)),
    TypeOf("jinja2.Template()", _AUTOESCAPED, when=(When("autoescape", truthy=True),)),
    *(
        TypeOf(f"{_AUTOESCAPE}.{m}()", _AUTOESCAPED, when=_ALWAYS)
        for m in ("from_string", "get_template", "select_template")
    ),
)

SINKS = (
    Sink("jinja2.Template", "template", args=(0,), keywords=("source",), label="jinja2.Template()"),
    Sink("jinja2.Environment.from_string", "template", args=(0,), keywords=("source",)),
    Sink("jinja2.Environment.compile", "template", args=(0,), keywords=("source",)),
    Sink("flask.render_template_string", "template", args=(0,), keywords=("source",)),
    Sink("flask.stream_template_string", "template", args=(0,), keywords=("source",)),
    Sink("django.template.Template", "template", args=(0,), keywords=("template_string",)),
    Sink("django.template.Engine.from_string", "template", args=(0,), keywords=("template_code",)),
    Sink(
        "django.template.backends.base.BaseEngine.from_string",
        "template",
        args=(0,),
        keywords=("template_code",),
    ),
    Sink("mako.template.Template", "template", args=(0,), keywords=("text",), label="mako Template()"),
    Sink("mako.lookup.TemplateLookup.put_string", "template", args=(1,), keywords=("text",)),
)

SANITIZERS = (
    # Flask autoescapes every template it renders (files ending in .html/.xml... and every
    # render_template_string template); Django templates autoescape by default.
    Sanitizer("flask.render_template", ("xss",)),
    Sanitizer("flask.render_template_string", ("xss",)),
    Sanitizer("flask.stream_template", ("xss",)),
    Sanitizer("flask.stream_template_string", ("xss",)),
    # Flask-Themes2 renders a theme's template through Flask's autoescaping environment
    Sanitizer("flask_themes2.render_theme_template", ("xss",)),
    Sanitizer("django.shortcuts.render", ("xss",)),
    Sanitizer("django.template.loader.render_to_string", ("xss",)),
    Sanitizer("django.template.response.TemplateResponse", ("xss",)),
    Sanitizer(f"{_AUTOESCAPED}.render", ("xss",)),
    Sanitizer(f"{_AUTOESCAPED}.render_async", ("xss",)),
)
