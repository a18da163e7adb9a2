// `node src/sandbox/codebuild/main.ts` (or tsx): runs the local CodeBuild endpoint until SIGINT/SIGTERM.
// Settings from the environment: SEQRUN_CODEBUILD_STATE_DIR (default .seqrun/sandbox/codebuild),
// SEQRUN_CODEBUILD_PORT (default: free), SEQRUN_S3_ENDPOINT, AWS_REGION,
// SEQRUN_CODEBUILD_MINUTE_SECONDS (seconds per timeout minute, for tests). Prints the URL on stdout.
import { startCodeBuildEndpoint } from './endpoint.ts';

const env = process.env;
const endpoint = await startCodeBuildEndpoint({
  stateDir: env['SEQRUN_CODEBUILD_STATE_DIR'] ?? '.seqrun/sandbox/codebuild',
  ...(env['SEQRUN_S3_ENDPOINT'] ? { s3Endpoint: env['SEQRUN_S3_ENDPOINT'] } : {}),
  ...(env['SEQRUN_CODEBUILD_PORT'] ? { port: Number(env['SEQRUN_CODEBUILD_PORT']) } : {}),
  ...(env['AWS_REGION'] ? { region: env['AWS_REGION'] } : {}),
  ...(env['SEQRUN_CODEBUILD_MINUTE_SECONDS'] ? { minuteSeconds: Number(env['SEQRUN_CODEBUILD_MINUTE_SECONDS']) } : {}),
  buildEnv: { PATH: env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin' },
});
process.stdout.write(`${endpoint.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void endpoint.stop().then(() => process.exit(0));
  });
}
