#!/usr/bin/env python3
"""moto_server, with a backport of getmoto/moto#10093 (issue #10077) for the moto versions that need it.

With state-machine execution on, moto 5.2.1's StartExecution deep-copies the state machine, and through
its `backend` reference every machine's running executions, whose threads hold an RLock that cannot be
copied: every StartExecution after the first answers 500. The fix upstream seeds the copy's memo so the
executions are not copied; this does the same, and keeps the backend shared. Any other moto version runs
without it. It also caches three things moto 5.2.1 recomputes on every request or state (`_speed_up`),
which made a Task state cost 100+ ms of moto's time. seqrun's sandbox, tests and benches start moto with it:

    python3 moto_sfn_server.py -H 127.0.0.1 -p PORT    (as moto_server)
    python3 moto_sfn_server.py --probe                 prints {"moto": "5.2.1", "patched": true, "faster": [...]}
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


def _speed_up():
    """Four caches for work moto repeats on every request or state, neither changing an answer.

    - moto's dispatcher lists its own package folder (about 150 stat calls) on every request, under the
      lock every request takes, to learn which services it has: about 4 ms a request here. The folder
      does not change while the server runs, so it is listed once.
    - The Step Functions interpreter parses every JSONPath (`$$.Task.Token`, `$`, ...) again each time a
      state evaluates it, with a parser jsonpath_ng builds afresh each time: 10-20 ms a path, 55-70 ms a
      Task state with four paths. A parsed path is only read by `find`, so each is parsed once.
    - A Task state that calls a service (`sqs:sendMessage.waitForTaskToken`) makes a new boto3 client
      for the call, which lists and loads botocore's service data: with 20 executions at once, those
      clients took most of moto's time and a message seconds to reach its queue. boto3 clients are
      thread-safe, and moto's function makes every client alike but for region and service (it signs
      with fixed test keys whatever the state's credentials), so one per region and service is kept.
    - Every StartExecution parses the machine's definition again with ANTLR's Python runtime: 25 ms for
      a machine of five steps, far more for a release's. The syntax tree of each definition is kept
      (the last 64) and only the preprocessor, which builds the execution's own components from it,
      runs again.
    Measured in docs/benchmarks.md (the Step Functions engine); applied to any moto that has these
    functions. Returns the names of those applied.
    """
    import functools
    from moto import backends

    applied = []
    if hasattr(backends, "list_of_moto_modules"):
        modules = tuple(backends.list_of_moto_modules())
        backends.list_of_moto_modules = lambda: modules
        applied.append("services")
    try:
        from moto.stepfunctions.parser.asl.parse import asl_parser, preprocessor
        from moto.stepfunctions.parser.asl.utils import boto_client, json_path
    except ImportError:
        return applied
    if hasattr(json_path, "parse"):
        json_path.parse = functools.lru_cache(maxsize=4096)(json_path.parse)
        applied.append("jsonpath")
    if hasattr(boto_client, "boto_client_for"):
        boto_client.boto_client_for = _one_client_each(boto_client.boto_client_for)
        applied.append("clients")
    parser = getattr(asl_parser, "AmazonStateLanguageParser", None)
    if parser is not None and hasattr(preprocessor, "Preprocessor"):
        parser.parse = staticmethod(_trees_kept(parser.parse, preprocessor.Preprocessor))
        applied.append("definitions")
    return applied


def _trees_kept(parse, Preprocessor):
    import collections
    import threading

    trees = collections.OrderedDict()
    lock = threading.Lock()

    def parse_kept(definition):
        with lock:
            tree = trees.get(definition)
            if tree is not None:
                trees.move_to_end(definition)
        if tree is None:
            program, tree = parse(definition)
            with lock:
                trees[definition] = tree
                while len(trees) > 64:
                    trees.popitem(last=False)
            return program, tree
        return Preprocessor().visit(tree), tree

    return parse_kept


def _one_client_each(make):
    import threading

    clients = {}
    lock = threading.Lock()

    def client_for(region, service, state_credentials=None):
        with lock:
            if (region, service) not in clients:
                clients[(region, service)] = make(region, service, state_credentials)
            return clients[(region, service)]

    return client_for


def _main(argv):
    patched = moto.__version__ in NEEDS_FIX
    faster = _speed_up()
    if argv == ["--probe"]:
        print(json.dumps({"moto": moto.__version__, "patched": patched, "faster": faster}))
        return
    if patched:
        _patch()
    from moto.server import main

    main(argv)


_main(sys.argv[1:])
