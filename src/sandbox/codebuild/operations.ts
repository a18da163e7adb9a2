// The CodeBuild operations the packs use (and CloudWatch Logs GetLogEvents for build logs), on the
// endpoint's state. Each takes the decoded JSON request and returns the JSON response.
import { randomUUID } from 'node:crypto';
import { ACCOUNT, ServiceError, nowSeconds, type Build, type EnvironmentVariable, type Project, type StartBuildRequest } from './model.ts';
import { BuildExecution, type RunnerSettings } from './runner.ts';
import type { EndpointState } from './state.ts';

type Json = Record<string, unknown>;

/** CodeBuild keeps an idempotency token for 5 minutes (of `minuteSeconds` here, so tests can shorten it). */
const TOKEN_MINUTES = 5;

export class CodeBuildOperations {
  private readonly executions = new Map<string, BuildExecution>();
  /** StartBuild idempotency tokens: the build each started, the request it came with, and when. */
  private readonly tokens = new Map<string, { buildId: string; request: string; at: number }>();

  private readonly state: EndpointState;
  private readonly settings: RunnerSettings & { readonly url: () => string };
  constructor(state: EndpointState, settings: RunnerSettings & { readonly url: () => string }) {
    this.state = state;
    this.settings = settings;
  }

  CreateProject(request: Json): Json {
    const name = requireString(request, 'name');
    if (this.state.projects.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `Project already exists: ${name}`);
    const source = (request['source'] ?? {}) as Project['source'];
    if (typeof source.type !== 'string') throw new ServiceError('InvalidInputException', 'source.type is required');
    const environment = (request['environment'] ?? {}) as Partial<Project['environment']>;
    const project: Project = {
      name,
      arn: `arn:aws:codebuild:${this.settings.region}:${ACCOUNT}:project/${name}`,
      source,
      ...(typeof request['sourceVersion'] === 'string' ? { sourceVersion: request['sourceVersion'] } : {}),
      environment: {
        type: environment.type ?? 'LINUX_CONTAINER',
        image: environment.image ?? 'aws/codebuild/standard:7.0',
        computeType: environment.computeType ?? 'BUILD_GENERAL1_SMALL',
        environmentVariables: plaintext(environment.environmentVariables ?? [], 'environment.environmentVariables'),
      },
      timeoutInMinutes: typeof request['timeoutInMinutes'] === 'number' ? request['timeoutInMinutes'] : 60,
      created: nowSeconds(),
      ...(typeof request['serviceRole'] === 'string' ? { serviceRole: request['serviceRole'] } : {}),
      artifacts: { type: 'NO_ARTIFACTS' },
    };
    this.state.saveProject(project);
    return { project };
  }

  BatchGetProjects(request: Json): Json {
    const names = requireStrings(request, 'names');
    return {
      projects: names.flatMap((name) => this.state.projects.get(name) ?? []),
      projectsNotFound: names.filter((name) => !this.state.projects.has(name)),
    };
  }

  StartBuild(request: Json): Json {
    const input = request as StartBuildRequest;
    const projectName = requireString(request, 'projectName');
    const earlier = this.repeatedStart(input);
    if (earlier) return { build: earlier };
    const project = this.state.projects.get(projectName);
    if (project === undefined)
      throw new ServiceError(
        'ResourceNotFoundException',
        `Project cannot be found: arn:aws:codebuild:${this.settings.region}:${ACCOUNT}:project/${projectName}`,
      );
    const overrides = plaintext(input.environmentVariablesOverride ?? [], 'environmentVariablesOverride');
    const uuid = randomUUID();
    const id = `${projectName}:${uuid}`;
    const sourceVersion = input.sourceVersion ?? project.sourceVersion;
    const build: Build = {
      id,
      arn: `arn:aws:codebuild:${this.settings.region}:${ACCOUNT}:build/${id}`,
      buildNumber: this.state.nextBuildNumber(projectName),
      projectName,
      startTime: nowSeconds(),
      currentPhase: 'SUBMITTED',
      buildStatus: 'IN_PROGRESS',
      buildComplete: false,
      ...(sourceVersion === undefined ? {} : { sourceVersion }),
      source: {
        ...project.source,
        type: input.sourceTypeOverride ?? project.source.type,
        ...(input.sourceLocationOverride === undefined ? {} : { location: input.sourceLocationOverride }),
      },
      environment: project.environment,
      timeoutInMinutes: input.timeoutInMinutesOverride ?? project.timeoutInMinutes,
      initiator: 'seqrun-local',
      logs: {
        groupName: `/aws/codebuild/${projectName}`,
        streamName: uuid,
        deepLink: `${this.settings.url()}/logs/${encodeURIComponent(`/aws/codebuild/${projectName}`)}/${uuid}`,
      },
      phases: [],
    };
    this.state.saveBuild(build);
    if (input.idempotencyToken !== undefined)
      this.tokens.set(input.idempotencyToken, { buildId: id, request: requestKey(input), at: Date.now() });
    const execution = new BuildExecution(
      this.state,
      { build, buildspecOverride: input.buildspecOverride, projectVariables: project.environment.environmentVariables, overrides },
      this.settings,
    );
    this.executions.set(id, execution);
    void execution.finished.then(() => this.executions.delete(id));
    return { build };
  }

  /** The build a StartBuild with the same idempotency token started within the last 5 minutes, if any. */
  private repeatedStart(input: StartBuildRequest): Build | undefined {
    const token = input.idempotencyToken;
    const seen = token === undefined ? undefined : this.tokens.get(token);
    if (seen === undefined || Date.now() - seen.at > TOKEN_MINUTES * this.settings.minuteSeconds * 1000) return undefined;
    if (seen.request !== requestKey(input)) {
      throw new ServiceError('InvalidInputException', `idempotencyToken ${token} was used with different StartBuild parameters`);
    }
    return this.state.builds.get(seen.buildId);
  }

  BatchGetBuilds(request: Json): Json {
    const ids = requireStrings(request, 'ids');
    return {
      builds: ids.flatMap((id) => this.state.builds.get(id) ?? []),
      buildsNotFound: ids.filter((id) => !this.state.builds.has(id)),
    };
  }

  StopBuild(request: Json): Json {
    const id = requireString(request, 'id');
    const build = this.state.builds.get(id);
    if (build === undefined) throw new ServiceError('ResourceNotFoundException', `Build cannot be found: ${id}`);
    this.executions.get(id)?.stop();
    return { build };
  }

  /** CloudWatch Logs GetLogEvents over the build logs (tokens `f/<index>` and `b/<index>`). */
  GetLogEvents(request: Json): Json {
    const streamName = requireString(request, 'logStreamName');
    const events = this.state.logEvents(streamName);
    if (events === undefined) throw new ServiceError('ResourceNotFoundException', `The specified log stream does not exist: ${streamName}`);
    const limit = typeof request['limit'] === 'number' ? request['limit'] : 10_000;
    const token =
      typeof request['nextToken'] === 'string' ? request['nextToken'] : request['startFromHead'] === true ? 'f/0' : `b/${events.length}`;
    const match = /^([fb])\/(\d+)$/.exec(token);
    if (match === null) throw new ServiceError('InvalidParameterException', `bad nextToken ${token}`);
    const index = Number(match[2]);
    const [from, to] =
      match[1] === 'f' ? [index, Math.min(events.length, index + limit)] : [Math.max(0, index - limit), Math.min(index, events.length)];
    return {
      events: events
        .slice(from, to)
        .map((event) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.timestamp })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`,
    };
  }

  /** Waits for every running build to end (used by `stop`). */
  async stopAll(): Promise<void> {
    const running = [...this.executions.values()];
    for (const execution of running) execution.stop();
    await Promise.all(running.map((execution) => execution.finished));
  }
}

function requireString(request: Json, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') throw new ServiceError('InvalidInputException', `${field} is required`);
  return value;
}

function requireStrings(request: Json, field: string): string[] {
  const value = request[field];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new ServiceError('InvalidInputException', `${field} must be a list of strings`);
  return value as string[];
}

function plaintext(variables: readonly EnvironmentVariable[], field: string): EnvironmentVariable[] {
  return variables.map((variable) => {
    if (variable.type !== undefined && variable.type !== 'PLAINTEXT') {
      throw new ServiceError(
        'InvalidInputException',
        `${field}: ${variable.name} has type ${variable.type}; the local endpoint supports PLAINTEXT only`,
      );
    }
    return { name: variable.name, value: String(variable.value), type: 'PLAINTEXT' };
  });
}

/** A StartBuild request without its token, for comparing a repeat with the first. */
function requestKey(input: StartBuildRequest): string {
  const { idempotencyToken: _token, ...rest } = input;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}
