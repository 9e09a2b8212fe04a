"""PWT105 unsafe-deserialization."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class UnsafeDeserialization(TaintRule):
    """
    ## What it does
    Reports untrusted bytes or files handed to a deserializer that can build arbitrary Python
    objects: `pickle`/`_pickle`/`cPickle` (`loads`, `load`, `Unpickler`), `dill`, `shelve.open`,
    `marshal.loads`, `jsonpickle.decode`, `yaml.load` with a loader other than `SafeLoader`/
    `CSafeLoader`/`BaseLoader` (and `yaml.unsafe_load`, `yaml.full_load`), `torch.load` unless
    `weights_only=True`, `joblib.load`, `numpy.load(..., allow_pickle=True)` and
    `pandas.read_pickle`.

    `json`, `yaml.safe_load`, `numpy.load` without `allow_pickle` and `torch.load(...,
    weights_only=True)` are not reported.

    ## Why is this bad?
    Unpickling calls whatever callables the data names (`__reduce__`), so loading attacker data
    runs attacker code on the server (CWE-502). PyYAML's full and unsafe loaders, `jsonpickle`,
    `dill`, `joblib` and PyTorch checkpoints (before PyTorch 2.6 made `weights_only=True` the
    default) all rest on pickle or on similar object construction. `marshal` data is code objects
    and can crash the interpreter.

    ## Example
    ```python
    import base64
    import pickle

    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/restore", methods=["POST"])
    def restore():
        state = pickle.loads(base64.b64decode(request.form["state"]))
        return {"ok": bool(state)}
    ```

    ## Use instead
    ```python
    import json

    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/restore", methods=["POST"])
    def restore():
        state = json.loads(request.form["state"])
        return {"ok": bool(state)}
    ```

    ## References
    - CWE-502: Deserialization of Untrusted Data
    - Python documentation, `pickle`: "It is possible to construct malicious pickle data which
      will execute arbitrary code during unpickling."
    - PyYAML `yaml.load` deprecation notes; PyTorch `torch.load` `weights_only`
    """

    meta = RuleMeta(
        code="PWT105",
        name="unsafe-deserialization",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(502,),
        summary="Untrusted data deserialized with a format that can build arbitrary objects",
        bandit=("B301", "B302", "B506", "B614"),
    )
    vuln_class = "deserialization"
    what = "Untrusted data deserialized"
    accepts_local = False
