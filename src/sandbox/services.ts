// What `seqrun sandbox up` runs, on which ports, and the environment it prints for the user.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDockerRegistry } from './docker-registry.ts';
import type { ServiceProcess } from './processes.ts';
import type { FoundTools } from './tools.ts';
import { SeqrunError } from '../errors.ts';

export const SERVICE_NAMES = ['moto', 'ecr-registry', 'dockerhub', 'ecr-bridge', 'codebuild', 'slack'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What a service talks to: started with it. */
const DEPENDS_ON: Readonly<Partial<Record<ServiceName, readonly ServiceName[]>>> = {
  'ecr-bridge': ['moto', 'ecr-registry'],
  codebuild: ['moto'],
};

/** `services` with what they depend on, in start order. */
export function withDependencies(services: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set(services.flatMap((name) => [name, ...(DEPENDS_ON[name] ?? [])]));
  return SERVICE_NAMES.filter((name) => wanted.has(name));
}

export const SANDBOX_REGION = 'eu-west-1';
export const SANDBOX_SLACK_TOKEN = 'xoxb-seqrun-sandbox';
export const SANDBOX_GIT_REPOSITORY = 'pay-app.git';

export interface ServicePlan extends ServiceProcess {
  readonly name: ServiceName;
  readonly port: number;
  /** Polled until it answers. */
  readonly readyUrl: string;
  readonly url: string;
}

export class SandboxError extends SeqrunError {
  override readonly name = 'SandboxError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'SANDBOX_FAILED', options);
  }
}

/**
 * `node <file>` for the sandbox's own services, `file` relative to this folder: the built .js when
 * seqrun runs from dist/, the .ts source (which Node runs by stripping types) when it runs from src/.
 */
export function nodeService(file: string): { command: string; args: string[] } {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return { command: process.execPath, args: [fileURLToPath(new URL(`${file}${extension}`, import.meta.url))] };
}

export interface PlanInput {
  readonly dir: string;
  /** A port for each service to start (and only those). */
  readonly ports: Readonly<Partial<Record<ServiceName, number>>>;
  readonly tools: FoundTools;
  /** PATH, HOME and such for the services. */
  readonly baseEnv: Readonly<Record<string, string>>;
}

const url = (port: number): string => `http://127.0.0.1:${port}`;

/** The plans of the services `input.ports` has a port for, in start order (moto before what talks to it). */
export async function planServices(input: PlanInput): Promise<ServicePlan[]> {
  const wanted = SERVICE_NAMES.filter((name) => input.ports[name] !== undefined);
  // A service that is not started still needs a number here; nothing is started on it or told it.
  const ports = Object.fromEntries(SERVICE_NAMES.map((name) => [name, input.ports[name] ?? 0])) as Record<ServiceName, number>;
  const registry = (name: 'ecr-registry' | 'dockerhub') =>
    wanted.includes(name) ? prepareDockerRegistry(join(input.dir, name), ports[name], input.tools.dockerRegistry) : null;
  const plans = allPlans(input, ports, await registry('ecr-registry'), await registry('dockerhub'));
  return plans.filter((plan) => wanted.includes(plan.name));
}

type RegistryCommand = Awaited<ReturnType<typeof prepareDockerRegistry>>;

function allPlans(
  input: PlanInput,
  ports: Readonly<Record<ServiceName, number>>,
  ecrBackend: RegistryCommand | null,
  dockerhub: RegistryCommand | null,
): ServicePlan[] {
  const { dir, baseEnv } = input;
  const aws = { ...baseEnv, AWS_REGION: SANDBOX_REGION, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
  const common = { cwd: dir };
  const none = { command: '', args: [] };
  return [
    {
      name: 'moto',
      port: ports.moto,
      url: url(ports.moto),
      readyUrl: `${url(ports.moto)}/moto-api/`,
      command: input.tools.moto.command,
      args: [...input.tools.moto.args, '-H', '127.0.0.1', '-p', String(ports.moto)],
      program: input.tools.moto.program,
      env: aws,
      ...common,
    },
    {
      name: 'ecr-registry',
      port: ports['ecr-registry'],
      url: url(ports['ecr-registry']),
      readyUrl: `${url(ports['ecr-registry'])}/v2/`,
      ...(ecrBackend ?? none),
      env: baseEnv,
      ...common,
    },
    {
      name: 'dockerhub',
      port: ports.dockerhub,
      url: url(ports.dockerhub),
      readyUrl: `${url(ports.dockerhub)}/v2/`,
      ...(dockerhub ?? none),
      env: baseEnv,
      ...common,
    },
    {
      name: 'ecr-bridge',
      port: ports['ecr-bridge'],
      url: url(ports['ecr-bridge']),
      readyUrl: `${url(ports['ecr-bridge'])}/v2/`,
      ...nodeService('./ecr-bridge/main'),
      env: {
        ...aws,
        SEQRUN_ECR_BRIDGE_PORT: String(ports['ecr-bridge']),
        SEQRUN_ECR_BACKEND: url(ports['ecr-registry']),
        AWS_ENDPOINT_URL_ECR: url(ports.moto),
      },
      ...common,
    },
    {
      name: 'codebuild',
      port: ports.codebuild,
      url: url(ports.codebuild),
      readyUrl: `${url(ports.codebuild)}/`,
      ...nodeService('./codebuild/main'),
      env: {
        ...aws,
        SEQRUN_CODEBUILD_PORT: String(ports.codebuild),
        SEQRUN_CODEBUILD_STATE_DIR: join(dir, 'codebuild'),
        SEQRUN_S3_ENDPOINT: url(ports.moto),
      },
      ...common,
    },
    {
      name: 'slack',
      port: ports.slack,
      url: `${url(ports.slack)}/api/`,
      readyUrl: `${url(ports.slack)}/_sandbox/messages`,
      ...nodeService('./slack/main'),
      env: { ...baseEnv, SEQRUN_SLACK_PORT: String(ports.slack), SEQRUN_SLACK_STATE_DIR: join(dir, 'slack') },
      ...common,
    },
  ];
}

/** The environment a run uses against the sandbox (`eval "$(seqrun sandbox env)"`): the variables of the services started. */
export function sandboxEnvironment(dir: string, ports: Readonly<Partial<Record<ServiceName, number>>>, id: string): Record<string, string> {
  const { moto, codebuild, slack } = ports;
  const bridge = ports['ecr-bridge'];
  return {
    SEQRUN_SANDBOX_DIR: dir,
    // Which sandbox: each `up` starts an empty one, so a run journals it and a resume checks it.
    SEQRUN_SANDBOX_ID: id,
    AWS_REGION: SANDBOX_REGION,
    AWS_DEFAULT_REGION: SANDBOX_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    ...(moto !== undefined
      ? {
          AWS_ENDPOINT_URL_S3: url(moto),
          AWS_ENDPOINT_URL_ECR: url(moto),
          // The Step Functions engine: the machines, the workers' queue, state-machine execution on.
          AWS_ENDPOINT_URL_SQS: url(moto),
          AWS_ENDPOINT_URL_SFN: url(moto),
        }
      : {}),
    ...(codebuild !== undefined ? { AWS_ENDPOINT_URL_CODEBUILD: url(codebuild), AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url(codebuild) } : {}),
    ...(bridge !== undefined ? { SEQRUN_ECR_REGISTRY: url(bridge) } : {}),
    ...(ports.dockerhub !== undefined ? { SEQRUN_DOCKERHUB_REGISTRY: url(ports.dockerhub) } : {}),
    SEQRUN_GIT_REMOTE: join(dir, 'github', SANDBOX_GIT_REPOSITORY),
    ...(slack !== undefined
      ? {
          SEQRUN_SLACK_API_URL: `${url(slack)}/api/`,
          SEQRUN_SLACK_WEBHOOK_URL: `${url(slack)}/services/`,
          SLACK_BOT_TOKEN: SANDBOX_SLACK_TOKEN,
        }
      : {}),
  };
}

/**
 * moto as the sandbox uses it: Step Functions executes the machines it is given (off by default in
 * moto), so `seqrun deploy --engine stepfunctions` and `seqrun worker` rehearse against it.
 */
export async function configureMoto(motoUrl: string): Promise<void> {
  const response = await fetch(`${motoUrl}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  if (!response.ok)
    throw new SandboxError(`moto at ${motoUrl} refused its configuration (POST /moto-api/config answered ${response.status})`);
}

/** `export NAME='value'` lines, quoted for POSIX shells. */
export function formatEnvironment(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`)
    .join('');
}
