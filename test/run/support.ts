// Helpers for the runtime's CLI tests: a throwaway copy of the fixture project, and the real
// `seqrun` CLI run as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJournal, type JournalRead } from '../../src/run/journal-file.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin/seqrun.js');
const FIXTURE = join(REPO, 'test/fixtures/run/project');

/** A copy of the fixture project in a temp folder, resolving `seqrun` to this checkout. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-run-'));
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'seqrun'), 'dir');
  return dir;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for children: plain output unless a test says otherwise, no inherited CI noise. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true', ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

export interface Running {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  readonly done: Promise<CliResult>;
}

export function spawnCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ...output })));
  return { child, output, done };
}

export function runCli(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return spawnCli(args, cwd, env).done;
}

/** Polls until `condition` holds; fails with `what` after a generous bound (never a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What the fixture handlers recorded, one entry per side effect. */
export function calls(dir: string): string[] {
  const file = join(dir, 'calls.log');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

export function count(list: readonly string[], entry: string): number {
  return list.filter((c) => c === entry).length;
}

export function latestRun(dir: string): string {
  return readFileSync(join(dir, '.seqrun/runs/latest'), 'utf8').trim();
}

export function journalOf(dir: string, runId = latestRun(dir)): JournalRead {
  return parseJournal(readFileSync(join(dir, '.seqrun/runs', runId, 'journal.ndjson'), 'utf8'));
}

/** Final status per step id, from the last step-finished of each. */
export function statuses(read: JournalRead): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of read.events) if (e.type === 'step-finished') out[e.stepId] = e.status;
  return out;
}

export interface JunitSummary {
  readonly root: string;
  readonly suites: number;
  readonly attrs: Record<string, string>;
  readonly cases: number;
  readonly failures: string[];
  readonly skipped: number;
  readonly failureText: string[];
}

/** Parses a JUnit file with a real XML parser (Python's ElementTree) and sums up its structure. */
export function junitSummary(file: string): JunitSummary {
  const script = [
    'import json, sys, xml.etree.ElementTree as ET',
    'root = ET.parse(sys.argv[1]).getroot()',
    'suites = root.findall("testsuite")',
    'cases = root.findall("testsuite/testcase")',
    'print(json.dumps({"root": root.tag, "suites": len(suites), "attrs": suites[0].attrib if suites else {}, "cases": len(cases),',
    '  "failures": [c.get("name") for c in cases if c.find("failure") is not None],',
    '  "skipped": len([c for c in cases if c.find("skipped") is not None]),',
    '  "failureText": [c.find("failure").text for c in cases if c.find("failure") is not None]}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as JunitSummary;
}
