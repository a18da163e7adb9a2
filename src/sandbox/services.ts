// What `seqrun sandbox up` runs, on which ports, and the environment it prints for the user.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDockerRegistry } from './docker-registry.ts';
import type { ServiceProcess } from './processes.ts';
import { SeqrunError } from '../errors.ts';

export const SERVICE_NAMES = ['moto', 'ecr-registry', 'dockerhub', 'ecr-bridge', 'codebuild', 'slack'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

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

export interface Tools {
  readonly motoServer: string;
  readonly dockerRegistry: string;
}

export class SandboxError extends SeqrunError {
  override readonly name = 'SandboxError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'SANDBOX_FAILED', options);
  }
}

/** Looks `program` up on PATH (or takes it as a path). */
export function findProgram(program: string, path: string | undefined): string | null {
  if (program.includes('/')) return existsSync(program) ? program : null;
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

/** Finds moto_server and docker-registry, or says which is missing and how to install it. */
export function findTools(env: Readonly<Record<string, string | undefined>>, wanted: Partial<Tools> = {}): Tools {
  const moto = findProgram(wanted.motoServer ?? 'moto_server', env['PATH']);
  const registry =
    wanted.dockerRegistry !== undefined
      ? findProgram(wanted.dockerRegistry, env['PATH'])
      : (findProgram('docker-registry', env['PATH']) ?? findProgram('/usr/bin/docker-registry', undefined));
  const missing = [
    moto === null ? `moto_server is not installed (install it with: pip install 'moto[server]')` : '',
    registry === null ? 'docker-registry is not installed (install it with: sudo apt-get install docker-registry)' : '',
  ].filter(Boolean);
  if (missing.length > 0) throw new SandboxError(`cannot start the sandbox: ${missing.join('; ')}`);
  return { motoServer: moto as string, dockerRegistry: registry as string };
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
  readonly ports: Readonly<Record<ServiceName, number>>;
  readonly tools: Tools;
  /** PATH, HOME and such for the services. */
  readonly baseEnv: Readonly<Record<string, string>>;
}

const url = (port: number): string => `http://127.0.0.1:${port}`;

export async function planServices(input: PlanInput): Promise<ServicePlan[]> {
  const { dir, ports, baseEnv } = input;
  const aws = { ...baseEnv, AWS_REGION: SANDBOX_REGION, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
  const ecrBackend = await prepareDockerRegistry(join(dir, 'ecr-registry'), ports['ecr-registry'], input.tools.dockerRegistry);
  const dockerhub = await prepareDockerRegistry(join(dir, 'dockerhub'), ports.dockerhub, input.tools.dockerRegistry);
  const common = { cwd: dir };
  return [
    {
      name: 'moto',
      port: ports.moto,
      url: url(ports.moto),
      readyUrl: `${url(ports.moto)}/moto-api/`,
      command: input.tools.motoServer,
      args: ['-H', '127.0.0.1', '-p', String(ports.moto)],
      env: aws,
      ...common,
    },
    {
      name: 'ecr-registry',
      port: ports['ecr-registry'],
      url: url(ports['ecr-registry']),
      readyUrl: `${url(ports['ecr-registry'])}/v2/`,
      ...ecrBackend,
      env: baseEnv,
      ...common,
    },
    {
      name: 'dockerhub',
      port: ports.dockerhub,
      url: url(ports.dockerhub),
      readyUrl: `${url(ports.dockerhub)}/v2/`,
      ...dockerhub,
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

/** The environment a run uses against the sandbox (`eval "$(seqrun sandbox env)"`). */
export function sandboxEnvironment(dir: string, ports: Readonly<Record<ServiceName, number>>, id: string): Record<string, string> {
  return {
    SEQRUN_SANDBOX_DIR: dir,
    // Which sandbox: each `up` starts an empty one, so a run journals it and a resume checks it.
    SEQRUN_SANDBOX_ID: id,
    AWS_REGION: SANDBOX_REGION,
    AWS_DEFAULT_REGION: SANDBOX_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL_S3: url(ports.moto),
    AWS_ENDPOINT_URL_ECR: url(ports.moto),
    AWS_ENDPOINT_URL_CODEBUILD: url(ports.codebuild),
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url(ports.codebuild),
    SEQRUN_ECR_REGISTRY: url(ports['ecr-bridge']),
    SEQRUN_DOCKERHUB_REGISTRY: url(ports.dockerhub),
    SEQRUN_GIT_REMOTE: join(dir, 'github', SANDBOX_GIT_REPOSITORY),
    SEQRUN_SLACK_API_URL: `${url(ports.slack)}/api/`,
    SEQRUN_SLACK_WEBHOOK_URL: `${url(ports.slack)}/services/`,
    SLACK_BOT_TOKEN: SANDBOX_SLACK_TOKEN,
  };
}

/** `export NAME='value'` lines, quoted for POSIX shells. */
export function formatEnvironment(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`)
    .join('');
}
