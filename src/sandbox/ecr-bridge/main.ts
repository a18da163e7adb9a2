// `node src/sandbox/ecr-bridge/main.ts`: runs the ECR bridge until SIGINT/SIGTERM.
// Settings from the environment: SEQRUN_ECR_BRIDGE_PORT, SEQRUN_ECR_BACKEND (the docker-registry URL),
// AWS_ENDPOINT_URL_ECR (moto), AWS_REGION and the (dummy) AWS keys.
import { ECRClient } from '@aws-sdk/client-ecr';
import { startEcrBridge } from './bridge.ts';

const env = process.env;
const backend = env['SEQRUN_ECR_BACKEND'];
const endpoint = env['AWS_ENDPOINT_URL_ECR'];
if (!backend || !endpoint) {
  process.stderr.write('ecr-bridge: set SEQRUN_ECR_BACKEND and AWS_ENDPOINT_URL_ECR\n');
  process.exit(2);
}
const ecr = new ECRClient({ endpoint, region: env['AWS_REGION'] ?? 'eu-west-1' });
const bridge = await startEcrBridge({
  registryUrl: backend,
  ecr,
  ...(env['SEQRUN_ECR_BRIDGE_PORT'] ? { port: Number(env['SEQRUN_ECR_BRIDGE_PORT']) } : {}),
  onError: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
});
process.stdout.write(`${bridge.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void bridge.stop().then(() => process.exit(0));
  });
}
