"""Taint analysis: untrusted data followed from sources to sinks, within and across modules.

- :mod:`.spec`: the declarative vocabulary (``Source``, ``Sink``, ``Sanitizer``...).
- :mod:`.models`: library models written in that vocabulary, collected automatically.
- :mod:`.index`: the models indexed for fast matching on qualified names.
- :mod:`.dataflow`: the per-function (intraprocedural) analysis producing summaries.
- :mod:`.summaries`: the picklable per-file summary types.
- :mod:`.engine`: :class:`TaintAnalysis`, which links summaries across modules and reports.

See ``README.md`` in this directory for how to add a library model or a sink class.
"""
