// The endpoint's state: projects and builds in memory, mirrored to a folder (one JSON per build,
// one log file per build) so a developer can inspect them and a restarted endpoint still knows them.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowSeconds, type Build, type Project } from './model.ts';

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export class EndpointState {
  readonly projects = new Map<string, Project>();
  readonly builds = new Map<string, Build>();
  private readonly logs = new Map<string, LogEvent[]>();
  private readonly buildNumbers = new Map<string, number>();

  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(join(dir, 'builds'), { recursive: true });
    this.load();
  }

  saveProject(project: Project): void {
    this.projects.set(project.name, project);
    writeFileSync(join(this.dir, 'projects.json'), JSON.stringify([...this.projects.values()], null, 2));
  }

  nextBuildNumber(projectName: string): number {
    const next = (this.buildNumbers.get(projectName) ?? 0) + 1;
    this.buildNumbers.set(projectName, next);
    return next;
  }

  buildDir(build: Build): string {
    return join(this.dir, 'builds', build.logs.streamName);
  }

  saveBuild(build: Build): void {
    this.builds.set(build.id, build);
    const dir = this.buildDir(build);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'build.json'), JSON.stringify(build, null, 2));
  }

  appendLog(build: Build, message: string): void {
    const events = this.logs.get(build.logs.streamName) ?? [];
    this.logs.set(build.logs.streamName, events);
    events.push({ timestamp: Date.now(), message });
    appendFileSync(join(this.buildDir(build), 'build.log'), `${message}\n`);
  }

  logEvents(streamName: string): readonly LogEvent[] | undefined {
    return this.logs.get(streamName);
  }

  private load(): void {
    const projectsFile = join(this.dir, 'projects.json');
    if (existsSync(projectsFile)) {
      for (const project of JSON.parse(readFileSync(projectsFile, 'utf8')) as Project[]) this.projects.set(project.name, project);
    }
    for (const entry of readdirSync(join(this.dir, 'builds'))) {
      const file = join(this.dir, 'builds', entry, 'build.json');
      if (!existsSync(file)) continue;
      const build = JSON.parse(readFileSync(file, 'utf8')) as Build;
      this.buildNumbers.set(build.projectName, Math.max(build.buildNumber, this.buildNumbers.get(build.projectName) ?? 0));
      if (!build.buildComplete) {
        // Its process died with the endpoint that ran it.
        build.buildStatus = 'FAULT';
        build.buildComplete = true;
        build.endTime = nowSeconds();
        build.currentPhase = 'COMPLETED';
      }
      this.builds.set(build.id, build);
      const logFile = join(this.dir, 'builds', entry, 'build.log');
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      this.logs.set(
        entry,
        lines.map((message) => ({ timestamp: Math.round((build.endTime ?? build.startTime) * 1000), message })),
      );
    }
  }
}
