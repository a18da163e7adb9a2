// seqrun's own project: the three stages of GOV.UK Pay's candidate release process (specs/*.seq),
// bound in specs/steps/. Two profiles: `aws` (the real endpoints, from the standard AWS environment)
// and `sandbox` (the local endpoints of `seqrun sandbox up`; what `npm run demo` and
// `seqrun run --sandbox FILE --profile sandbox` use).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'seqrun';

const root = fileURLToPath(new URL('.', import.meta.url));

const aws = {
  app: 'frontend',
  gitRemote: 'https://github.com/alphagov/pay-{app}.git',
  ecr: { repository: 'govukpay/{app}', registry: 'login' },
  dockerhub: {
    registry: 'https://registry-1.docker.io',
    repository: 'govukpay/{app}',
    usernameVariable: 'DOCKERHUB_USERNAME',
    tokenVariable: 'DOCKERHUB_TOKEN',
    retry: { attempts: 4, backoffMs: 1000 },
  },
  sourceBucket: 'pay-ci-sources',
  projects: { amd64: 'pay-{app}-amd64', armv8: 'pay-{app}-armv8', manifest: 'pay-{app}-manifest', e2e: 'endtoend-tests' },
  build: { command: ['npm', 'run', 'build'], output: 'dist' },
  polling: { intervalMs: 5000, maxIntervalMs: 10_000 },
  slack: { tokenVariable: 'SLACK_BOT_TOKEN', channels: { success: '#govuk-pay-activity', failure: '#govuk-pay-announce' } },
  workdir: '.seqrun/work',
  deployRequests: '.seqrun/deploy-requests',
  testSummary: '^E2E SUMMARY passed=\\d+ failed=\\d+',
};

export default defineConfig({
  bindings: ['specs/steps/*.ts'],
  specs: ['specs/current.seq', 'specs/interim.seq', 'specs/final.seq', 'specs/release.mmd'],
  // A release is the app and its alpha_release number: runs that differ only in workdir or build
  // timings are the same release, and only one of them runs at a time.
  releaseKey: ['app', 'release'],
  vars: {
    release: { description: 'the alpha_release-<N> number (default: the newest alpha_release tag of the app)', pattern: '\\d+' },
  },
  settings: aws,
  // Per-step overrides live here, not in the diagram: give the snapshot upload more time on AWS.
  steps: { 'Copy repo to S3': { timeoutMs: 900_000 } },
  profiles: {
    aws: { settings: aws },
    sandbox: {
      settings: {
        ...aws,
        app: 'demo',
        // specs/release.mmd's loop builds both fixture apps; the js-sequence processes release `app`.
        apps: ['demo', 'cardid'],
        // A remote per app, made by the provisioning below (one bare repository each, all tagged with
        // the same alpha_release-<N>).
        gitRemote: '$SEQRUN_SANDBOX_DIR/github/pay-{app}.git',
        ecr: { repository: 'pay-{app}', registry: '$SEQRUN_ECR_REGISTRY' },
        dockerhub: { registry: '$SEQRUN_DOCKERHUB_REGISTRY', repository: 'govukpay/{app}', retry: { attempts: 3, backoffMs: 200 } },
        polling: { intervalMs: 500, maxIntervalMs: 1000 },
        slack: { ...aws.slack, apiUrl: '$SEQRUN_SLACK_API_URL', channels: { success: '#pay-activity', failure: '#pay-announce' } },
        // The sandbox's builds run on this machine: they reach seqrun (for images without Docker) and
        // ECR through these variables.
        buildEnvironment: {
          SEQRUN_HOME: root,
          ECR_REGISTRY: '$SEQRUN_ECR_REGISTRY',
          AWS_ENDPOINT_URL_ECR: '$AWS_ENDPOINT_URL_ECR',
        },
        deployRequests: '$SEQRUN_SANDBOX_DIR/deploy-requests',
      },
      // `seqrun run --sandbox ... --profile sandbox`: after `up`, create the CodeBuild projects and the
      // ECR repositories and push the demo and cardid apps as the next alpha_release-<N> (also what
      // `npm run demo` does).
      sandbox: { provision: 'specs/sandbox/provision.ts' },
    },
  },
});
