// Runs one build: DOWNLOAD_SOURCE, the buildspec phases with bash, then FINALIZING and COMPLETED,
// recording each phase's status and timing on the build record as CodeBuild does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASE_NAMES, parseBuildspec, type Buildspec, type BuildspecPhase } from './buildspec.ts';
import { nowSeconds, type Build, type BuildStatus, type EnvironmentVariable, type Phase } from './model.ts';
import { startPhaseProcess, type PhaseProcess } from './phase-script.ts';
import { fetchSource, type SourceSettings } from './source.ts';
import type { EndpointState } from './state.ts';

export interface RunnerSettings extends SourceSettings {
  /** Base environment of build commands (PATH...); the host environment is not passed through. */
  readonly buildEnv: Readonly<Record<string, string>>;
  /** Seconds per minute of `timeoutInMinutes` (60; tests use 1). */
  readonly minuteSeconds: number;
}

export interface BuildPlan {
  readonly build: Build;
  readonly buildspecOverride: string | undefined;
  readonly projectVariables: readonly EnvironmentVariable[];
  readonly overrides: readonly EnvironmentVariable[];
}

type Ending = 'STOPPED' | 'TIMED_OUT';

export class BuildExecution {
  private ending: Ending | undefined;
  private current: PhaseProcess | undefined;
  private lastCommand = '';
  private failedPhase: string | undefined;
  readonly finished: Promise<void>;

  private readonly state: EndpointState;
  private readonly plan: BuildPlan;
  private readonly settings: RunnerSettings;
  constructor(state: EndpointState, plan: BuildPlan, settings: RunnerSettings) {
    this.state = state;
    this.plan = plan;
    this.settings = settings;
    const timer = setTimeout(() => this.end('TIMED_OUT'), plan.build.timeoutInMinutes * settings.minuteSeconds * 1000);
    this.finished = this.execute()
      .catch((error: unknown) => {
        this.log(`[Container] internal error: ${(error as Error).message}`);
        this.finish('FAULT');
      })
      .finally(() => clearTimeout(timer));
  }

  /** StopBuild: kills the running phase's process group. */
  stop(): void {
    this.end('STOPPED');
  }

  private end(ending: Ending): void {
    if (this.ending !== undefined || this.plan.build.buildComplete) return;
    this.ending = ending;
    this.log(
      `[Container] Build ${ending === 'STOPPED' ? 'stopped by StopBuild' : `timed out after ${this.plan.build.timeoutInMinutes} minutes`}`,
    );
    this.current?.kill();
  }

  private async execute(): Promise<void> {
    const build = this.plan.build;
    for (const name of ['SUBMITTED', 'QUEUED', 'PROVISIONING']) this.close(this.begin(name), 'SUCCEEDED');
    const download = this.begin('DOWNLOAD_SOURCE');
    let srcDir: string;
    let spec: Buildspec;
    try {
      const fetched = await fetchSource(
        { type: build.source.type, location: build.source.location, version: build.sourceVersion },
        this.state.buildDir(build),
        this.settings,
      );
      srcDir = fetched.srcDir;
      if (fetched.resolved !== undefined) build.resolvedSourceVersion = fetched.resolved;
      spec = this.loadBuildspec(srcDir);
    } catch (error) {
      const message = (error as Error).message;
      const code = /^([A-Z_]+): /.exec(message)?.[1] ?? 'CLIENT_ERROR';
      this.log(`[Container] ${message}`);
      this.close(download, this.ending ?? 'FAILED', { statusCode: code, message: message.replace(/^[A-Z_]+: /, '') });
      return this.finish(this.ending ?? 'FAILED');
    }
    this.close(download, this.ending ?? 'SUCCEEDED');
    if (this.ending !== undefined) return this.finish(this.ending);
    const status = await this.runPhases(spec, srcDir, this.environment(spec, srcDir));
    if (this.ending === undefined) {
      this.close(this.begin('UPLOAD_ARTIFACTS'), 'SUCCEEDED');
      this.close(this.begin('FINALIZING'), 'SUCCEEDED');
    }
    this.finish(this.ending ?? status);
  }

  private async runPhases(spec: Buildspec, srcDir: string, env: Record<string, string>): Promise<BuildStatus> {
    let status: BuildStatus = 'SUCCEEDED';
    for (const name of PHASE_NAMES) {
      // A failed install or pre_build skips the rest; a failed build still runs post_build (as CodeBuild does).
      if (status !== 'SUCCEEDED' && name !== 'post_build') continue;
      if (status !== 'SUCCEEDED' && this.failedPhase !== 'BUILD') continue;
      const phase = this.begin(name.toUpperCase());
      const exitCode = await this.runCommands(spec.phases[name], name, srcDir, env);
      if (this.ending !== undefined) {
        this.close(phase, this.ending);
        return this.ending;
      }
      if (exitCode === 0) {
        this.close(phase, 'SUCCEEDED');
        continue;
      }
      const message = `Error while executing command: ${this.lastCommand}. Reason: exit status ${exitCode}`;
      this.close(phase, 'FAILED', { statusCode: 'COMMAND_EXECUTION_ERROR', message });
      if (status === 'SUCCEEDED') this.failedPhase = name.toUpperCase();
      status = 'FAILED';
    }
    return status;
  }

  /** Runs `commands`, then `finally` whatever happened; returns the first non-zero exit code (or 0). */
  private async runCommands(phase: BuildspecPhase | undefined, name: string, srcDir: string, env: Record<string, string>): Promise<number> {
    if (phase === undefined) return 0;
    let exitCode = await this.runScript(phase.commands, name, srcDir, env);
    if (phase.finally.length > 0 && this.ending === undefined) {
      const failedCommand = this.lastCommand;
      const finallyCode = await this.runScript(phase.finally, `${name}-finally`, srcDir, env);
      if (exitCode === 0) exitCode = finallyCode;
      else this.lastCommand = failedCommand;
    }
    return exitCode;
  }

  private async runScript(commands: readonly string[], name: string, srcDir: string, env: Record<string, string>): Promise<number> {
    if (commands.length === 0) return 0;
    this.current = startPhaseProcess(this.state.buildDir(this.plan.build), name, commands, srcDir, env, (line) => {
      const running = /^\[Container\] Running command (.*)$/.exec(line);
      if (running?.[1] !== undefined) this.lastCommand = running[1];
      this.log(line);
    });
    const { exitCode } = await this.current.done;
    this.current = undefined;
    return exitCode ?? 1;
  }

  private loadBuildspec(srcDir: string): Buildspec {
    const inline = this.plan.buildspecOverride ?? this.plan.build.source.buildspec;
    if (inline !== undefined && inline.includes('\n')) return parseBuildspec(inline, 'buildspec override');
    const path = inline ?? 'buildspec.yml';
    const file = join(srcDir, path);
    if (path.includes('..') || !existsSync(file)) throw new Error(`YAML_FILE_ERROR: ${path} not found in the source`);
    try {
      return parseBuildspec(readFileSync(file, 'utf8'), path);
    } catch (error) {
      throw new Error(`YAML_FILE_ERROR: ${(error as Error).message}`, { cause: error });
    }
  }

  private environment(spec: Buildspec, srcDir: string): Record<string, string> {
    const build = this.plan.build;
    const env: Record<string, string> = {
      ...this.settings.buildEnv,
      HOME: this.state.buildDir(build),
      AWS_REGION: this.settings.region,
      AWS_DEFAULT_REGION: this.settings.region,
      CODEBUILD_BUILD_ID: build.id,
      CODEBUILD_BUILD_ARN: build.arn,
      CODEBUILD_BUILD_NUMBER: String(build.buildNumber),
      CODEBUILD_INITIATOR: build.initiator,
      CODEBUILD_SRC_DIR: srcDir,
      CODEBUILD_SOURCE_VERSION: build.sourceVersion ?? '',
      CODEBUILD_RESOLVED_SOURCE_VERSION: build.resolvedSourceVersion ?? '',
      ...spec.variables,
    };
    // CodeBuild's precedence: StartBuild overrides, then the project, then the buildspec.
    for (const variable of [...this.plan.projectVariables, ...this.plan.overrides]) env[variable.name] = variable.value;
    return env;
  }

  private begin(phaseType: string): Phase {
    const phase: Phase = { phaseType, startTime: nowSeconds() };
    this.plan.build.phases.push(phase);
    this.plan.build.currentPhase = phaseType;
    this.log(`[Container] ${new Date().toISOString()} Entering phase ${phaseType}`);
    this.state.saveBuild(this.plan.build);
    return phase;
  }

  private close(phase: Phase, status: BuildStatus, context?: { statusCode: string; message: string }): void {
    phase.phaseStatus = status;
    phase.endTime = nowSeconds();
    phase.durationInSeconds = Math.round(phase.endTime - phase.startTime);
    if (context !== undefined) phase.contexts = [context];
    this.log(`[Container] ${new Date().toISOString()} Phase complete: ${phase.phaseType} State: ${status}`);
    if (context !== undefined) this.log(`[Container] Phase context status code: ${context.statusCode} Message: ${context.message}`);
    this.state.saveBuild(this.plan.build);
  }

  private finish(status: BuildStatus): void {
    const build = this.plan.build;
    if (build.buildComplete) return;
    build.phases.push({ phaseType: 'COMPLETED', startTime: nowSeconds() });
    build.currentPhase = 'COMPLETED';
    build.buildStatus = status;
    build.endTime = nowSeconds();
    build.buildComplete = true;
    this.log(`[Container] ${new Date().toISOString()} Build ${status}`);
    this.state.saveBuild(build);
  }

  private log(line: string): void {
    this.state.appendLog(this.plan.build, line);
  }
}
