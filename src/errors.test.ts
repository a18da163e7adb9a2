// Every error class seqrun exports follows one convention: a SeqrunError with a stable name (what the
// journal records and handlers match on), a non-empty code, and the cause it was given kept.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeqrunError } from './errors.ts';
import { UsageError } from './cli/args.ts';
import { AwsCallError } from './packs/aws/errors.ts';
import { BuildFailedError, type BuildResult } from './packs/codebuild/build.ts';
import { GitError } from './packs/git/git-cli.ts';
import { HttpError } from './packs/http/request.ts';
import { PollTimeoutError } from './packs/job/poll.ts';
import { RegistryAuthError } from './packs/registry/auth.ts';
import { RegistryError } from './packs/registry/client.ts';
import { DigestMismatchError } from './packs/registry/content.ts';
import { CommandError } from './packs/shell/run-command.ts';
import { SlackNotificationError } from './packs/slack/notify.ts';
import { SectionError } from './render/in-place.ts';
import { RunNotFound } from './render/runs.ts';
import { JobCancelled, JobLeftRunning } from './run/jobs.ts';
import { BlockLabelError, LoopAnswerInvalid, LoopBoundReached, RefusalExpected } from './run/block-errors.ts';
import { HandlerNeverSettled, StepAbortedError, StepTimeoutError } from './run/retry.ts';
import { BuildspecError } from './sandbox/codebuild/buildspec.ts';
import { ServiceError } from './sandbox/codebuild/model.ts';
import { SandboxError } from './sandbox/services.ts';
import { JournalStoreError } from './store/errors.ts';
import { StepFunctionsRunError } from './app/stepfunctions-run.ts';

const build: BuildResult = {
  buildId: 'p:1',
  projectName: 'p',
  status: 'FAILED',
  phases: [],
  durationSeconds: 1,
  logsLink: undefined,
  sourceVersion: undefined,
  resolvedSourceVersion: undefined,
};

/** Each exported error class, the name it must keep, and how to make one with `options`. */
const CLASSES: readonly (readonly [string, (options: ErrorOptions) => SeqrunError])[] = [
  ['UsageError', (o) => new UsageError('m', o)],
  ['AwsCallError', (o) => new AwsCallError('m', 's3', 'PutObject', 'NoSuchBucket', o)],
  ['BuildFailedError', (o) => new BuildFailedError(build, ['line'], o)],
  ['GitError', (o) => new GitError('m', ['fetch'], 'fatal', o)],
  ['HttpError', (o) => new HttpError('m', 503, 'http://127.0.0.1/', o)],
  ['PollTimeoutError', (o) => new PollTimeoutError('m', 'IN_PROGRESS', o)],
  ['RegistryAuthError', (o) => new RegistryAuthError('m', o)],
  ['RegistryError', (o) => new RegistryError('m', 500, true, o)],
  ['DigestMismatchError', (o) => new DigestMismatchError('sha256:a', 'sha256:b', 'blob', o)],
  ['CommandError', (o) => new CommandError('m', 'exit', 1, [], o)],
  ['SlackNotificationError', (o) => new SlackNotificationError('m', 'channel_not_found', o)],
  ['SectionError', (o) => new SectionError(3, 'm', o)],
  ['RunNotFound', (o) => new RunNotFound('m', o)],
  ['JobLeftRunning', (o) => new JobLeftRunning('m', o)],
  ['JobCancelled', (o) => new JobCancelled('m', o)],
  ['BlockLabelError', (o) => new BlockLabelError('m', o)],
  ['LoopAnswerInvalid', (o) => new LoopAnswerInvalid('m', o)],
  ['LoopBoundReached', (o) => new LoopBoundReached('m', o)],
  ['RefusalExpected', (o) => new RefusalExpected('m', o)],
  ['HandlerNeverSettled', (o) => new HandlerNeverSettled('m', o)],
  ['AbortError', (o) => new StepAbortedError('m', o)],
  ['TimeoutError', (o) => new StepTimeoutError('m', o)],
  ['BuildspecError', (o) => new BuildspecError('m', o)],
  ['ServiceError', (o) => new ServiceError('InvalidInputException', 'm', 400, o)],
  ['SandboxError', (o) => new SandboxError('m', o)],
  ['JournalStoreError', (o) => new JournalStoreError('m', 'CORRUPT', o)],
  ['StepFunctionsRunError', (o) => new StepFunctionsRunError('m', 'NOT_DEPLOYED', o)],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => join(dir, file));
}

describe('seqrun errors', () => {
  it.each(CLASSES)('%s keeps its name, a code and the cause', (name, make) => {
    const cause = new Error('underneath');
    const error = make({ cause });
    expect(error).toBeInstanceOf(SeqrunError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.cause).toBe(cause);
    expect(error.code).toMatch(/^\S+$/);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('lists every exported error class of src, and none extends Error directly', () => {
    const exported: string[] = [];
    const direct: string[] = [];
    for (const file of sources(import.meta.dirname)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^export class (\w+) extends SeqrunError\b/gm)) exported.push(match[1] as string);
      for (const match of text.matchAll(/class (\w+) extends Error\b/g)) direct.push(`${file}: ${match[1] as string}`);
    }
    expect(direct.filter((entry) => !entry.endsWith('errors.ts: SeqrunError'))).toEqual([]);
    const tested = new Set(CLASSES.map(([, make]) => make({}).constructor.name));
    expect(exported.filter((name) => !tested.has(name))).toEqual([]);
  });
});
