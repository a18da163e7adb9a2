// `node src/sandbox/slack/main.ts`: runs the local Slack until SIGINT/SIGTERM.
// Settings from the environment: SEQRUN_SLACK_PORT, SEQRUN_SLACK_STATE_DIR. Prints the API URL.
import { startSlackServer } from './server.ts';

const env = process.env;
const server = await startSlackServer({
  ...(env['SEQRUN_SLACK_PORT'] ? { port: Number(env['SEQRUN_SLACK_PORT']) } : {}),
  stateDir: env['SEQRUN_SLACK_STATE_DIR'] ?? '.seqrun/sandbox/slack',
});
process.stdout.write(`${server.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
