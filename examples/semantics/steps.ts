// Bindings for the examples of docs/semantics.md, one section per diagram. Handlers only wait a
// little (`pause`) and say what they do; what each example shows is in its diagram and the page.
import { defineSteps } from 'seqrun';

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

export default defineSteps((s) => {
  // par.mmd, par-fails.mmd
  s.call('Build the ARM image', async (ctx) => (await pause(60, ctx.signal), { image: 'app:arm64' }));
  s.call('Build the x86 image', async (ctx) => (await pause(10, ctx.signal), { image: 'app:amd64' }));
  s.call('Push the manifest', () => ({ manifest: 'app:1.4.0' }));
  s.job('Start the ARM build', {
    start: async () => ({ build: 'arm-1' }),
    wait: async (ctx) => (await pause(60, ctx.signal), { image: 'app:arm64' }),
    cancel: async (ctx, handle) => ctx.log.info(`StopBuild ${JSON.stringify(handle)}`),
  });
  s.call('Compile for x86', async (ctx) => {
    await pause(10, ctx.signal);
    throw new Error('the x86 compiler crashed');
  });

  // loop-items.mmd, break-loop.mmd
  s.loop('for each app in {word}', (ctx, list) => (ctx.vars[String(list)] ?? 'demo').split(','));
  s.call('Build the app', (ctx) => ({ built: ctx.item }));
  s.condition('the app is broken', (ctx) => ctx.item === 'tiny');
  s.note('Skip the other apps', (ctx) => ctx.log.info(`${String(ctx.item)} is broken: the other apps wait`));
  s.call('Announce the builds', () => undefined);

  // loop-guard.mmd: the guard is asked before each iteration; the probe says when it is healthy.
  s.call('Deploy to test', () => ({ deployment: 'test-42' }));
  s.loop('until the deployment is healthy', { maxIterations: 10 }, (ctx) => () => ctx.state['healthy'] !== true);
  s.call('Probe the health check', (ctx) => {
    ctx.state['healthy'] = ctx.iteration === 3;
    return { healthy: ctx.state['healthy'] };
  });

  // alt.mmd, opt.mmd
  s.condition('the target is {word}', (ctx, target) => ctx.vars['target'] === target);
  s.call('Deploy to prod', () => undefined);
  s.call('Deploy to staging', () => ({ url: 'https://staging.example.org' }));
  s.note('Nothing to deploy', () => undefined);
  s.condition('the E2E suite is enabled', (ctx) => ctx.vars['e2e'] !== 'off');
  s.call('Run the E2E suite', () => ({ passed: 212 }));

  // critical.mmd: the option's condition gets the body's error.
  s.call('Run E2E', () => {
    throw new Error('3 E2E tests failed');
  });
  s.condition('the E2E run failed', (ctx) => ctx.error instanceof Error && ctx.error.message.includes('tests failed'));
  s.call('Notify the failure', (ctx) => ctx.log.info('posted to #releases'));
  s.call('Announce the release', () => undefined);

  // break-top.mmd
  s.call('Check the release freeze', (ctx) => (ctx.state['frozen'] = ctx.vars['freeze'] === 'on'));
  s.condition('the release is frozen', (ctx) => ctx.state['frozen'] === true);
  s.call('Say the release waits', () => undefined);

  // activations.mmd (the ARM build above), async.mmd
  s.job('Start the E2E run', {
    start: async () => ({ run: 'e2e-7' }),
    wait: async (ctx) => (await pause(60, ctx.signal), { passed: 212 }),
  });
  s.call('Say the E2E run started', () => undefined);
  s.job('Start the image scan', {
    start: async () => ({ scan: 'scan-3' }),
    wait: async (ctx) => (await pause(60, ctx.signal), { findings: 0 }),
  });

  // refused.mmd: a refused step passes when its handler throws, and fails when it returns.
  s.call('Push an unsigned image', () => {
    throw new Error('403: signature required');
  });
  s.call('Push the image unsigned anyway', () => ({ status: 403 }));
  s.reply('Accepted', (ctx) => {
    const { status } = ctx.result as { status: number };
    if (status !== 201) throw new Error(`the registry answered ${status}`);
  });
  s.call('Push a signed image', () => ({ status: 201 }));

  // both-ways.mmd: call and reply in one step; its result is the answer.
  s.call('Look up the digest of the release tag', () => ({ digest: 'sha256:4f1c' }));
  s.call('Deploy the digest', (ctx) => ({ deployed: (ctx.outputs.get('s0') as { digest: string }).digest }));
});
