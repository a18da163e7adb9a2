// The local CodeBuild endpoint as a process, for `seqrun sandbox`: runs until SIGINT/SIGTERM.
// Settings from the environment: SEQRUN_CODEBUILD_STATE_DIR (default .seqrun/sandbox/codebuild),
// SEQRUN_CODEBUILD_PORT (default: free), SEQRUN_S3_ENDPOINT, AWS_REGION,
// SEQRUN_CODEBUILD_MINUTE_SECONDS (seconds per timeout minute, for tests). Prints the URL on stdout.
// Run it with Node (it strips the types): `node src/sandbox/codebuild/main.ts`.
import { startCodeBuildEndpoint } from './endpoint.ts';

const env = process.env;

/** Builds see PATH, LANG and the AWS_* settings (local endpoints, test credentials), nothing else of the host. */
function buildEnv(): Record<string, string> {
  const kept: Record<string, string> = { PATH: env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (name === 'LANG' || name.startsWith('AWS_'))) kept[name] = value;
  }
  return kept;
}

const endpoint = await startCodeBuildEndpoint({
  stateDir: env['SEQRUN_CODEBUILD_STATE_DIR'] ?? '.seqrun/sandbox/codebuild',
  ...(env['SEQRUN_S3_ENDPOINT'] ? { s3Endpoint: env['SEQRUN_S3_ENDPOINT'] } : {}),
  ...(env['SEQRUN_CODEBUILD_PORT'] ? { port: Number(env['SEQRUN_CODEBUILD_PORT']) } : {}),
  ...(env['AWS_REGION'] ? { region: env['AWS_REGION'] } : {}),
  ...(env['SEQRUN_CODEBUILD_MINUTE_SECONDS'] ? { minuteSeconds: Number(env['SEQRUN_CODEBUILD_MINUTE_SECONDS']) } : {}),
  ...(env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']
    ? { s3Credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'], secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] } }
    : {}),
  buildEnv: buildEnv(),
});
process.stdout.write(`${endpoint.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void endpoint.stop().then(() => process.exit(0));
  });
}
