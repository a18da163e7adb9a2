// Which of the sandbox's services a project needs: what its binding modules (and the modules they
// import from the project, and the provision module) import, and the resources its config declares.
// `seqrun run --sandbox` starts only those, so a project that uploads to S3 and posts to Slack waits
// for moto and the local Slack, not for two registries and CodeBuild. Read from the source text: an
// import seqrun cannot see (a package of the team's own that wraps an SDK) is not counted.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { ResolvedConfig } from '../bind/config.ts';
import { expandGlob } from '../bind/glob.ts';
import type { DeclaredResources } from './declared.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';

const ECR: readonly ServiceName[] = ['moto', 'ecr-registry', 'ecr-bridge'];

/**
 * What each pack or SDK talks to in the sandbox. A pack missing here needs no service: git, shell,
 * http, job, and aws (the client factory: what its clients talk to is said by the pack or the SDK
 * commands used with them).
 */
const SERVICES_OF: Readonly<Record<string, readonly ServiceName[]>> = {
  'packs/s3': ['moto'],
  'packs/ecr': ECR,
  'packs/codebuild': ['moto', 'codebuild'],
  'packs/registry': [...ECR, 'dockerhub'],
  'packs/image': [...ECR, 'dockerhub'],
  'packs/slack': ['slack'],
  '@aws-sdk/client-s3': ['moto'],
  '@aws-sdk/lib-storage': ['moto'],
  '@aws-sdk/client-ecr': ECR,
  '@aws-sdk/client-codebuild': ['moto', 'codebuild'],
  '@aws-sdk/client-cloudwatch-logs': ['codebuild'],
  '@slack/web-api': ['slack'],
};

/** The services a run needs and, for each, what needs it (`seqrun/packs/s3 in steps/site.ts`). */
export interface ServiceNeeds {
  readonly services: readonly ServiceName[];
  readonly reasons: Readonly<Partial<Record<ServiceName, readonly string[]>>>;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

/** The import specifiers of a module's source (static, dynamic and side-effect imports). */
export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[2] ?? '');
}

/** The services one import specifier needs: `seqrun/packs/s3`, a path into seqrun's packs, or an SDK. */
export function servicesOfImport(specifier: string): readonly ServiceName[] {
  const pack = /(?:^seqrun\/|\/)(packs\/[a-z0-9-]+)(?:\/|$)/.exec(specifier)?.[1];
  if (pack !== undefined) return SERVICES_OF[pack] ?? [];
  const sdk = /^(@aws-sdk\/[a-z0-9-]+|@slack\/web-api)/.exec(specifier)?.[1];
  return sdk === undefined ? [] : (SERVICES_OF[sdk] ?? []);
}

/** The services the declared resources live in. */
export function servicesOfDeclared(resources: DeclaredResources): readonly ServiceName[] {
  return [
    ...((resources.buckets?.length ?? 0) > 0 ? (['moto'] as const) : []),
    ...((resources.ecrRepositories?.length ?? 0) > 0 ? ECR : []),
    ...((resources.codebuildProjects?.length ?? 0) > 0 ? (['moto', 'codebuild'] as const) : []),
  ];
}

const shown = (root: string, file: string): string => (relative(root, file).startsWith('..') ? file : relative(root, file));

const RELATIVE_MODULE = /^\.\.?\/.*\.(ts|mts|js|mjs)$/;

/**
 * The binding modules and every module they reach by relative imports, with its source. Not followed:
 * node_modules, and paths into seqrun's packs (the import itself already says what it needs).
 */
async function projectModules(entries: readonly string[]): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (sources.has(file)) continue;
    const source = await readFile(file, 'utf8').catch(() => null);
    if (source === null) continue;
    sources.set(file, source);
    for (const specifier of importsOf(source)) {
      if (!RELATIVE_MODULE.test(specifier) || specifier.includes('/node_modules/') || servicesOfImport(specifier).length > 0) continue;
      queue.push(resolve(dirname(file), specifier));
    }
  }
  return sources;
}

/** The services `config`'s bindings, provision module and declared resources need, in start order. */
export async function servicesNeeded(config: ResolvedConfig): Promise<ServiceNeeds> {
  const entries = (await Promise.all(config.bindings.map((pattern) => expandGlob(config.root, pattern)))).flat();
  if (config.sandbox.provision !== null) entries.push(config.sandbox.provision);
  const reasons: Partial<Record<ServiceName, string[]>> = {};
  const add = (services: readonly ServiceName[], reason: string): void => {
    for (const service of services) {
      const list = (reasons[service] ??= []);
      if (!list.includes(reason)) list.push(reason);
    }
  };
  for (const [file, source] of await projectModules(entries))
    for (const specifier of importsOf(source)) add(servicesOfImport(specifier), `${specifier} in ${shown(config.root, file)}`);
  add(servicesOfDeclared(config.sandbox), 'the resources declared in sandbox');
  return { services: SERVICE_NAMES.filter((name) => reasons[name] !== undefined), reasons };
}
