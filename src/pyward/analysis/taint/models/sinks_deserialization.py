"""Unsafe deserialization (CWE-502): formats that can build arbitrary objects.

``_pickle``/``cPickle`` are aliases of ``pickle`` (see ``stdlib.py``).
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sink, When

#: Loaders that only build plain Python data.
_SAFE_YAML_LOADERS = (
    "yaml.SafeLoader",
    "yaml.CSafeLoader",
    "yaml.BaseLoader",
    "yaml.CBaseLoader",
    "yaml.loader.SafeLoader",
    "yaml.loader.BaseLoader",
    "yaml.cyaml.CSafeLoader",
    "yaml.cyaml.CBaseLoader",
)
# ``Loader`` missing: PyYAML < 5.1 used the unsafe loader, 5.1-5.4 FullLoader with a warning,
# 6.0 raises TypeError; the call is unsafe wherever it runs at all.
_UNSAFE_LOADER = When("Loader", position=1, qualname_not_in=_SAFE_YAML_LOADERS, absent=True)

ALIASES = (
    Alias("dill._dill", "dill"),
    Alias("jsonpickle.unpickler.decode", "jsonpickle.decode"),
    Alias("pandas.io.pickle.read_pickle", "pandas.read_pickle"),
    Alias("numpy.lib.npyio.load", "numpy.load"),
)

SINKS = (
    Sink("pickle.loads", "deserialization", args=(0,), keywords=("data",)),
    Sink("pickle.load", "deserialization", args=(0,), keywords=("file",)),
    Sink("pickle.Unpickler", "deserialization", args=(0,), keywords=("file",)),
    Sink("dill.loads", "deserialization", args=(0,), keywords=("str",)),
    Sink("dill.load", "deserialization", args=(0,), keywords=("file",)),
    Sink("dill.Unpickler", "deserialization", args=(0,), keywords=("file",)),
    Sink("cloudpickle.loads", "deserialization", args=(0,)),
    Sink("cloudpickle.load", "deserialization", args=(0,)),
    # shelve unpickles every value of the database file the name points to
    Sink("shelve.open", "deserialization", args=(0,), keywords=("filename",)),
    Sink("shelve.DbfilenameShelf", "deserialization", args=(0,), keywords=("filename",)),
    Sink("marshal.loads", "deserialization", args=(0,), keywords=("bytes",)),
    Sink("marshal.load", "deserialization", args=(0,), keywords=("file",)),
    Sink("jsonpickle.decode", "deserialization", args=(0,), keywords=("string",)),
    Sink("jsonpickle.loads", "deserialization", args=(0,), keywords=("string",)),
    Sink("yaml.load", "deserialization", args=(0,), keywords=("stream",), when=(_UNSAFE_LOADER,)),
    Sink("yaml.load_all", "deserialization", args=(0,), keywords=("stream",), when=(_UNSAFE_LOADER,)),
    Sink("yaml.unsafe_load", "deserialization", args=(0,), keywords=("stream",)),
    Sink("yaml.unsafe_load_all", "deserialization", args=(0,), keywords=("stream",)),
    # FullLoader no longer runs python/object/apply since PyYAML 5.4 but still constructs Python
    # objects and has a history of bypasses (CVE-2020-1747, CVE-2020-14343).
    Sink("yaml.full_load", "deserialization", args=(0,), keywords=("stream",)),
    Sink("yaml.full_load_all", "deserialization", args=(0,), keywords=("stream",)),
    # weights_only=True became the default in PyTorch 2.6; older versions unpickle by default
    Sink(
        "torch.load",
        "deserialization",
        args=(0,),
        keywords=("f",),
        when=(When("weights_only", truthy=False, absent=True),),
    ),
    Sink("joblib.load", "deserialization", args=(0,), keywords=("filename",)),
    Sink(
        "numpy.load",
        "deserialization",
        args=(0,),
        keywords=("file",),
        when=(When("allow_pickle", position=2, truthy=True, absent=False),),
    ),
    Sink("pandas.read_pickle", "deserialization", args=(0,), keywords=("filepath_or_buffer",)),
)
