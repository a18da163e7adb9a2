// Exported machines executed by Step Functions as moto_server emulates it (the test starts its own, with
// state-machine execution on): the Tasks reach the queue in the order the plan runs them, and the
// machine follows the answers. The answering loop here is the test's, not seqrun's worker (not built
// yet): it answers each message as the test says, so that what is checked is the machine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defineSteps } from '../../src/bind/define.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import { toStateMachine } from '../../src/engines/stepfunctions/compile.ts';
import type { WorkerMessage } from '../../src/engines/stepfunctions/asl.ts';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { parseText } from '../../src/syntax/files.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const ROLE = 'arn:aws:iam::123456789012:role/seqrun-machine';

let moto: MotoServer;
let sfn: SFNClient;
let sqs: SQSClient;

/** A fresh moto with execution on: moto 5.2.1 fails the StartExecution after an execution that ran in the same state (500, a lock it cannot copy). */
async function freshMoto(): Promise<void> {
  await moto.reset();
  const on = await fetch(`${moto.url}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  expect(on.ok).toBe(true);
}

beforeAll(async () => {
  moto = await startMoto();
  const client = { region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS };
  sfn = new SFNClient(client);
  sqs = new SQSClient(client);
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  sqs?.destroy();
  await moto?.stop();
});

type Answer = { output: unknown } | { error: string };

/**
 * Runs `definition` (its `${SeqrunQueueUrl}` filled in) and answers each message with `answer`, until
 * the execution ends; returns its status and the steps in the order their messages came.
 */
async function execute(
  name: string,
  definition: string,
  answer: (m: WorkerMessage) => Answer,
): Promise<{ status: string; seen: string[] }> {
  await freshMoto();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const machine = definition.split('${SeqrunQueueUrl}').join(QueueUrl ?? '');
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: machine, roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `${name}-run`, input: '{}' }));
  const seen: string[] = [];
  for (let round = 0; round < 600; round++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    for (const m of Messages) {
      const message = JSON.parse(m.Body ?? '{}') as WorkerMessage;
      seen.push(message.step);
      expect(message.run).toBe(`${name}-run`);
      const a = answer(message);
      if ('error' in a) await sfn.send(new SendTaskFailureCommand({ taskToken: message.token, error: a.error, cause: 'the test said so' }));
      else await sfn.send(new SendTaskSuccessCommand({ taskToken: message.token, output: JSON.stringify(a.output) }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    const { status = '' } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return { status, seen };
    if (Messages.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name}: the execution did not end`);
}

describe('exported machines on moto_server (starts its own)', () => {
  test('specs/final.seq (the golden machine): every bound step reaches a worker once, jobs before their Success, in plan order', async () => {
    const definition = await readFile(join(repo, 'test/fixtures/engines/final.asl.json'), 'utf8');
    const { status, seen } = await execute('final', definition, () => ({ output: {} }));
    expect(status).toBe('SUCCEEDED');
    // s4 (the ARM/x86 job, then its expectations s5, s6) runs beside s7 (Await): their order between branches is free.
    const branchFree = (ids: string[]) => [...ids].sort();
    expect(seen.slice(0, 3)).toEqual(['s0', 's1', 's3']);
    expect(branchFree(seen.slice(3, 7))).toEqual(['s4', 's5', 's6', 's7']);
    expect(seen.indexOf('s5')).toBeGreaterThan(seen.indexOf('s4'));
    expect(branchFree(seen.slice(7, 10))).toEqual(['s10', 's11', 's9']);
    expect(seen.slice(10)).toEqual(['s13', 's14', 's15', 's16', 's18', 's20', 's22', 's23']);
  }, 120_000);

  const steps = defineSteps((s) => {
    s.call('Notify {word}', () => undefined);
    s.loop('for each app in {word}', () => ['a', 'b']);
    s.condition('E2E is {word}', () => true);
    s.condition('the tests failed', () => true);
  });
  const { registry } = createRegistry({ modules: [steps] });
  const release = [
    'sequenceDiagram',
    'loop for each app in apps',
    'critical E2E',
    'CI->>Slack: Notify e2e',
    'option the tests failed',
    'CI->>Slack: Notify failed',
    'break E2E is off',
    'CI->>Slack: Notify stop',
    'end',
    'end',
    'end',
    'CI->>Slack: Notify done',
  ].join('\n');

  function definitionOf(text: string): string {
    const [diagram] = parseText(text, { file: '/p/release.mmd' }).diagrams;
    if (!diagram) throw new Error('no diagram');
    const { machine } = toStateMachine(bind(diagram, registry), { source: 'release.mmd' });
    return JSON.stringify(machine);
  }

  test('a loop over items runs its Map once per item; a critical body that fails runs the option; a break leaves the loop', async () => {
    const definition = definitionOf(release);
    const { status, seen } = await execute('blocks', definition, (m) => {
      if (m.kind === 'loop') return { output: { items: ['a', 'b', 'c'] } };
      if (m.step === 's0') return { error: 'seqrun.StepFailedFinal' };
      if (m.kind === 'condition')
        return { output: { holds: m.step === 'b1.0' || (m.step === 'b2.0' && (m.input as { index: number }).index === 1) } };
      return { output: {} };
    });
    expect(status).toBe('SUCCEEDED');
    // Iteration 0: the body fails, the option accepts it, the break does not hold; iteration 1: the break holds, the loop ends.
    expect(seen).toEqual(['b0', 's0', 'b1.0', 's1', 'b2.0', 's0', 'b1.0', 's1', 'b2.0', 's2', 's3']);
  }, 120_000);

  test('a guard loop cycles while the guard says continue; a break at the top level fails the execution', async () => {
    let asked = 0;
    const guard = await execute('guard', definitionOf(release), (m) => {
      if (m.kind === 'loop') return { output: { continue: ++asked <= 2 } };
      return { output: { holds: false } };
    });
    expect(guard).toEqual({ status: 'SUCCEEDED', seen: ['b0', 's0', 'b0', 's0', 'b0', 's3'] });
    const stopped = await execute(
      'top-break',
      definitionOf('sequenceDiagram\nbreak E2E is off\nCI->>Slack: Notify stop\nend\nCI->>Slack: Notify done'),
      () => ({
        output: { holds: true },
      }),
    );
    expect(stopped).toEqual({ status: 'FAILED', seen: ['b0.0', 's0'] });
  }, 120_000);
});
