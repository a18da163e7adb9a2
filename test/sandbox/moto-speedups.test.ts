// moto_sfn_server.py's caches (`_speed_up`) on the moto this machine has (5.2.1, python3 on PATH): the
// probe says which it applied, and with them moto answers as it did without them: the same JSONPath
// matches, the same list of services, one boto3 client per region and service, a definition parsed once
// and each execution's components still its own. The Step Functions tests
// (test/engines/stepfunctions-*-moto.test.ts) run every execution through them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MOTO_SFN_SERVER, probeMoto } from '../../src/sandbox/moto/sfn-fix.ts';

const run = promisify(execFile);
const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };

/** Runs `code` in python3 after loading the script as a module (without starting a server). */
async function python(code: string): Promise<unknown> {
  const script = [
    'import importlib.util, json, sys',
    'sys.argv = ["x", "--probe"]',
    `spec = importlib.util.spec_from_file_location("launcher", ${JSON.stringify(MOTO_SFN_SERVER)})`,
    'launcher = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(launcher)',
    code,
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script], { env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
}

describe("moto_sfn_server.py's caches", () => {
  it('the probe names the four caches it applied to moto 5.2.1', async () => {
    const probe = await probeMoto('python3', env);
    expect(probe).toMatchObject({ found: true, version: '5.2.1', patched: true });
    expect(probe.found && probe.faster).toEqual(['services', 'jsonpath', 'clients', 'definitions']);
  });

  it('a cached JSONPath finds what a fresh parse finds, every time it is used', async () => {
    const found = await python(
      [
        'from moto.stepfunctions.parser.asl.utils import json_path',
        'data = {"a": {"b": [1, 2, 3]}, "Task": {"Token": "t-1"}}',
        'paths = ["$", "$.a.b", "$.a.b[1]", "$.Task.Token", "$.a.b[*]"]',
        'first = [json_path.extract_json(p, data) for p in paths]',
        'again = [json_path.extract_json(p, data) for p in paths]',
        'print(json.dumps({"first": first, "again": again, "hits": json_path.parse.cache_info().hits}))',
      ].join('\n'),
    );
    expect(found).toEqual({
      first: [{ a: { b: [1, 2, 3] }, Task: { Token: 't-1' } }, [1, 2, 3], 2, 't-1', [1, 2, 3]],
      again: [{ a: { b: [1, 2, 3] }, Task: { Token: 't-1' } }, [1, 2, 3], 2, 't-1', [1, 2, 3]],
      hits: 5,
    });
  });

  it("the services list is moto's own, and a service's boto3 client is made once per region", async () => {
    const seen = await python(
      [
        'import os, moto',
        'from moto import backends',
        'from moto.stepfunctions.parser.asl.utils import boto_client',
        'root = os.path.dirname(moto.__file__)',
        'own = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and not d.startswith("__"))',
        'a = boto_client.boto_client_for("eu-west-1", "sqs", None)',
        'b = boto_client.boto_client_for("eu-west-1", "sqs", object())',
        'c = boto_client.boto_client_for("eu-west-2", "sqs", None)',
        'print(json.dumps({"same": list(backends.list_of_moto_modules()) == own, "count": len(own), "one": a is b, "other": a is not c, "region": c.meta.region_name}))',
      ].join('\n'),
    );
    expect(seen).toMatchObject({ same: true, one: true, other: true, region: 'eu-west-2' });
    expect((seen as { count: number }).count).toBeGreaterThan(100);
  });

  it('a definition is parsed once; each execution still gets components of its own, and a bad one is still refused', async () => {
    const seen = await python(
      [
        'from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser as P',
        'd = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}})',
        'p1, t1 = P.parse(d)',
        'p2, t2 = P.parse(d)',
        'try:',
        '    P.parse("{\\"StartAt\\": ")',
        '    refused = False',
        'except Exception:',
        '    refused = True',
        'print(json.dumps({"tree": t1 is t2, "program": p1 is not p2, "kind": type(p1).__name__ == type(p2).__name__, "refused": refused}))',
      ].join('\n'),
    );
    expect(seen).toEqual({ tree: true, program: true, kind: true, refused: true });
  });
});
