// The renderers on a journal the real runtime wrote: `seqrun run` on the runtime's fixture project,
// then `seqrun render --run latest` (both as child processes). Needs Chromium for the HTML drawing.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, expectMermaidParses } from './support.ts';

const exec = promisify(execFile);
const SECRET = 'supersecret123';

describe('render a run the runtime journaled (runs seqrun run, needs Chromium)', () => {
  let project: string;
  const seqrun = async (...args: string[]) =>
    exec(process.execPath, [join(ROOT, 'bin/seqrun.js'), ...args], {
      cwd: project,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'seqrun-render-run-'));
    await cp(join(ROOT, 'test/fixtures/run/project'), project, { recursive: true });
    await writeFile(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
    await mkdir(join(project, 'node_modules'));
    await symlink(ROOT, join(project, 'node_modules', 'seqrun'), 'dir');
    const ran = await seqrun('run', 'fail.seq', '--var', `workdir=${project}`, '--var', `API_TOKEN=${SECRET}`);
    expect('code' in ran ? ran.code : 0).toBe(1);
  });
  afterAll(async () => rm(project, { recursive: true, force: true }));

  it('draws the failed run as mermaid: a cross on the failed call, the cancelled job, skipped steps', async () => {
    const { stdout } = await seqrun('render', 'fail.seq', '--run', 'latest', '--format', 'mermaid');
    await expectMermaidParses(stdout);
    expect(stdout).toMatch(/P1-xP3: Build broken \(✘ failed, \d+ ms\)/);
    expect(stdout).toMatch(/rect rgb\(255, 232, 190\)\n\s+P1->>P2: Trigger build arm \(⊘ cancelled, [^)]+\)\n\s+activate P2/);
    expect(stdout).toContain('Note left of P1: Await result (↷ skipped)');
  });

  it('writes an HTML report with the drawing, the error with its code frame, and no secret', async () => {
    await seqrun('render', 'fail.seq', '--run', 'latest', '--format', 'html', '-o', 'report.html');
    const html = await readFile(join(project, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('compiler exploded');
    expect(html).toContain('&#62; 3 | CI-&#62;Docker: Build broken');
    expect(html).toContain('<td>API_TOKEN</td><td><code>***</code></td>');
    expect(html).not.toContain(SECRET);
  });

  // Runs after the tests above: it makes a newer latest run.
  it('draws a job that failed while joined further down: its call and its reply crossed and red', async () => {
    const pass = await readFile(join(project, 'pass.seq'), 'utf8');
    await writeFile(join(project, 'joinfail.seq'), pass.replace('as SUCCEEDED', 'as FAILED'));
    const ran = await seqrun('run', 'joinfail.seq', '--var', `workdir=${project}`);
    expect(ran).toMatchObject({ code: 1, stderr: expect.stringContaining('at joinfail.seq:10:1 (AWS-->CI: Success)') });
    const { stdout } = await seqrun('render', 'joinfail.seq', '--run', 'latest', '--format', 'mermaid');
    await expectMermaidParses(stdout);
    expect(stdout).toMatch(/rect rgb\(255, 205, 205\)\n\s+P1-xP3: Trigger build arm \(✘ failed, [^)]+\)\n\s+activate P3/);
    expect(stdout).toMatch(/rect rgb\(255, 205, 205\)\n\s+P3--xP1: Success \(✘ failed\)\n\s+deactivate P3/);
    expect(stdout).toContain('Note right of P3: Image pushed (↷ skipped)');
  });
});
