#!/usr/bin/env python3
"""moto_server, with a backport of getmoto/moto#10093 (issue #10077) for the moto versions that need it.

With state-machine execution on, moto 5.2.1's StartExecution deep-copies the state machine, and through
its `backend` reference every machine's running executions, whose threads hold an RLock that cannot be
copied: every StartExecution after the first answers 500. The fix upstream seeds the copy's memo so the
executions are not copied; this does the same, and keeps the backend shared. Any other moto version runs
as it is. seqrun's sandbox, tests and benches start moto with it:

    python3 moto_sfn_server.py -H 127.0.0.1 -p PORT    (as moto_server)
    python3 moto_sfn_server.py --probe                 prints {"moto": "5.2.1", "patched": true}
"""
import copy
import json
import sys
import types

try:
    import moto
except ImportError as error:
    sys.stderr.write(f"cannot import moto ({error}); install it with: pip install 'moto[server]'\n")
    sys.exit(3)

# The versions known to need the fix: the one it was written and tested against.
NEEDS_FIX = ("5.2.1",)


def _snapshot(state_machine, memo=None):
    memo = {} if memo is None else memo
    backend = getattr(state_machine, "backend", None)
    if backend is not None:
        memo[id(backend)] = backend
    memo[id(state_machine.executions)] = []
    return copy.deepcopy(state_machine, memo)


def _patch():
    from moto.stepfunctions.parser import models

    models.copy = types.SimpleNamespace(deepcopy=_snapshot)


def _main(argv):
    patched = moto.__version__ in NEEDS_FIX
    if argv == ["--probe"]:
        print(json.dumps({"moto": moto.__version__, "patched": patched}))
        return
    if patched:
        _patch()
    from moto.server import main

    main(argv)


_main(sys.argv[1:])
