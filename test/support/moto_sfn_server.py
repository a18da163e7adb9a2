#!/usr/bin/env python3
"""moto_server with a backport of getmoto/moto#10093 (issue #10077) for moto 5.2.1.

With state-machine execution on, moto 5.2.1's StartExecution deep-copies the state machine, and through
its `backend` reference every machine's running executions, whose threads hold an RLock that cannot be
copied: every StartExecution after the first answers 500. The fix upstream seeds the copy's memo so the
executions are not copied; this does the same, and keeps the backend shared. Usage as moto_server's:
python3 moto_sfn_server.py -H 127.0.0.1 -p PORT
"""
import copy
import sys
import types

from moto.stepfunctions.parser import models


def _snapshot(state_machine, memo=None):
    memo = {} if memo is None else memo
    backend = getattr(state_machine, "backend", None)
    if backend is not None:
        memo[id(backend)] = backend
    memo[id(state_machine.executions)] = []
    return copy.deepcopy(state_machine, memo)


models.copy = types.SimpleNamespace(deepcopy=_snapshot)

from moto.server import main  # noqa: E402

main(sys.argv[1:])
