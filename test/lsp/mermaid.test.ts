// `seqrun lsp` on mermaid: a ```mermaid fence beside a ```sequence fence, and a `.mmd` file, read through
// the same entry points as `seqrun check` (the dialect chosen by fence and extension).
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  ReferencesRequest,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { type LspClient, repo, startServer, uriOf, writeSeedProject } from './client.ts';

const MIXED = [
  '# Mixed',
  '',
  '```mermaid',
  'sequenceDiagram',
  '    Pay CI->>AWS: Copy repo to S4',
  '    Pay CI->>+AWS: Trigger CodeBuild (ARM)',
  '    AWS-->>-Pay CI: Success',
  '    Pay CI->>AWS: ',
  '    loop each architecture',
  '        Pay CI->>Pay CI: Build image (x86)',
  '        Pay CI->>AWS: Deploy word to stagin',
  '    end',
  '```',
  '',
  '```sequence',
  'Pay CI->AWS: Copy repo to S3',
  '```',
  '',
].join('\n');

let dir: string;
let client: LspClient;

async function open(file: string, languageId: string, text: string): Promise<string> {
  const uri = uriOf(join(dir, file));
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-lsp-mermaid-'));
  const extra = [
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};`,
    'export default defineSteps((s) => {',
    "  s.loop('each architecture', () => ['x86', 'ARM']);",
    "  s.call('Deploy {word} to staging', () => undefined);",
    '});',
    '',
  ].join('\n');
  await writeSeedProject(dir, extra, []);
  await writeFile(join(dir, 'mixed.md'), MIXED);
  await copyFile(join(repo, 'specs/interim.mmd'), join(dir, 'interim.mmd'));
  client = await startServer(dir);
});

afterAll(async () => {
  await client?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun lsp on mermaid', () => {
  test('a mermaid fence gets check’s diagnostics at its lines; the sequence fence beside it too', async () => {
    const uri = await open('mixed.md', 'markdown', MIXED);
    const list = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const run = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), 'check', 'mixed.md', '--format', 'json', '--allow-unused'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SEQRUN_PROFILE: '' },
    });
    const checked = (JSON.parse(run.stdout) as { diagnostics: { code: string; line: number; column: number }[] }).diagnostics;
    expect(list.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1])).toEqual(
      checked.map((d) => [d.code, d.line, d.column]),
    );
    expect(list.find((d) => d.range.start.line === 4)?.code).toBe('SEQ301');
  });

  test('hover on a mermaid job shows its handler and its join; completion works inside the fence', async () => {
    const uri = uriOf(join(dir, 'mixed.md'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 6 } });
    const text = (hover?.contents as { value: string }).value;
    expect(text).toContain('**call** `Trigger CodeBuild (ARM)` (Pay CI → AWS) · job');
    expect(text).toContain('joined by the reply on line 7: `Success`');
    const items = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 7, character: '    Pay CI->>AWS: '.length },
    });
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['Copy repo to S3', 'Trigger CodeBuild {arch}', 'Push {tags} to ECR']));
    expect(labels).not.toContain('Push {tags} to Dockerhub');
  });

  test('a loop label binds like a step: hover, definition, references from its handler', async () => {
    const uri = uriOf(join(dir, 'mixed.md'));
    const line = MIXED.split('\n').indexOf('    loop each architecture');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 6 } });
    expect((hover?.contents as { value: string }).value).toMatch(
      /^\*\*loop\*\* `each architecture`\n\nhandler `each architecture` at `extra\.ts:3` \(loop\)$/,
    );
    const definition = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: { line, character: 6 },
    });
    expect(definition).toEqual([
      { uri: uriOf(join(dir, 'extra.ts')), range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } } },
    ]);
    const references = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: uriOf(join(dir, 'extra.ts')) },
      position: { line: 2, character: 4 },
      context: { includeDeclaration: false },
    });
    expect(references?.map((l) => [l.uri, l.range.start.line])).toEqual([[uri, line]]);
    const items = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line, character: '    loop each'.length },
    });
    expect((Array.isArray(items) ? items : (items?.items ?? [])).map((i) => [i.label, i.detail])).toEqual([['each architecture', 'loop']]);
  });

  test('"did you mean" keeps the step\'s own value in a parameter of the near-miss expression', async () => {
    const uri = uriOf(join(dir, 'mixed.md'));
    const line = MIXED.split('\n').indexOf('        Pay CI->>AWS: Deploy word to stagin');
    const diagnostic = (await client.diagnosticsFor(uri)).find((d) => d.range.start.line === line);
    expect(diagnostic?.code).toBe('SEQ301');
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic?.range ?? { start: { line, character: 0 }, end: { line, character: 0 } },
      context: { diagnostics: diagnostic ? [diagnostic] : [] },
    });
    const fix = actions?.find((a) => a.title.startsWith('Did you mean')) as {
      title: string;
      edit: { changes: Record<string, TextEdit[]> };
    };
    expect(fix.title).toBe('Did you mean "Deploy word to staging"?');
    expect(fix.edit.changes[uri]).toEqual([
      { range: { start: { line, character: 22 }, end: { line, character: 43 } }, newText: 'Deploy word to staging' },
    ]);
  });

  test('a .mmd file of the seed binds cleanly', async () => {
    const { readFile } = await import('node:fs/promises');
    const uri = await open('interim.mmd', 'mermaid', await readFile(join(dir, 'interim.mmd'), 'utf8'));
    expect(await client.diagnosticsFor(uri)).toEqual([]);
  });
});
