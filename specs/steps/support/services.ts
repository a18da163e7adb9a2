// Clients for one run, made from the run's environment and settings. They are kept per run (keyed by
// the run's state object) so that every CodeBuild build of the run shares one poller.
import { createAwsClients, type AwsClients } from 'seqrun/packs/aws';
import { sharedPoller, type BuildPoller } from 'seqrun/packs/codebuild';
import { getRegistryLogin } from 'seqrun/packs/ecr';
import { RegistryClient, type ImageLocation } from 'seqrun/packs/registry';
import { appName, expand, settingsOf, type ReleaseContext } from './settings.ts';

interface RunClients {
  readonly aws: AwsClients;
  readonly poller: BuildPoller;
}

const clientsByRun = new WeakMap<object, RunClients>();

export function runClients(ctx: ReleaseContext): RunClients {
  let clients = clientsByRun.get(ctx.state);
  if (clients === undefined) {
    const aws = createAwsClients({ env: ctx.env });
    const polling = settingsOf(ctx).polling ?? {};
    clients = { aws, poller: sharedPoller(aws.codebuild, polling) };
    clientsByRun.set(ctx.state, clients);
  }
  return clients;
}

export function aws(ctx: ReleaseContext): AwsClients {
  return runClients(ctx).aws;
}

/** `app`'s ECR repository (the step's app by default). */
export function ecrRepository(ctx: ReleaseContext, app = appName(ctx)): string {
  return expand(ctx, settingsOf(ctx).ecr.repository, app);
}

/** ECR's registry, logged in with GetAuthorizationToken (the password is a secret), at `app`'s repository. */
export async function ecrImages(ctx: ReleaseContext, app = appName(ctx)): Promise<ImageLocation> {
  const login = await getRegistryLogin(aws(ctx).ecr);
  const configured = settingsOf(ctx).ecr.registry;
  const url = configured === 'login' ? login.registry : expand(ctx, configured);
  const client = new RegistryClient({
    url,
    auth: { kind: 'basic', username: login.username, password: ctx.secret(login.password) },
    log: ctx.log,
    signal: ctx.signal,
  });
  return { client, repository: ecrRepository(ctx, app) };
}

/** Docker Hub at `app`'s repository. */
export function dockerHubImages(ctx: ReleaseContext, app = appName(ctx)): ImageLocation {
  const hub = settingsOf(ctx).dockerhub;
  const username = hub.usernameVariable ? ctx.env[hub.usernameVariable] : undefined;
  const token = hub.tokenVariable ? ctx.env[hub.tokenVariable] : undefined;
  const client = new RegistryClient({
    url: expand(ctx, hub.registry),
    ...(username && token ? { auth: { kind: 'basic' as const, username, password: ctx.secret(token) } } : {}),
    ...(hub.retry ? { retry: hub.retry } : {}),
    log: ctx.log,
    signal: ctx.signal,
  });
  return { client, repository: expand(ctx, hub.repository, app) };
}
