// The words of the seed diagrams as the bindings read them: tag names, architectures, the apps a
// step works on (release.mmd's loop), the committed interim run (docs/runs/interim), whose ARM build
// must overlap the x86 steps, and the committed release.mmd run, whose loop built both apps.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/run/journal-file.ts';
import { interimOverlap } from '../demo/publish-runs.ts';
import {
  appName,
  appState,
  builtApps,
  expand,
  recordImage,
  releaseApps,
  updateApp,
  type ReleaseContext,
  type ReleaseState,
} from '../../specs/steps/support/settings.ts';
import { concreteTagList, sourceTag, splitTags, TAG_LIST } from '../../specs/steps/support/tags.ts';
import { repo } from './sandbox-support.ts';

const whole = (re: RegExp): RegExp => new RegExp(`^(?:${re.source})$`);

describe('tag names', () => {
  it('maps each name to the concrete tags of release N', () => {
    expect(concreteTagList(splitTags('#build-release, #build-release-arm, latest'), 42)).toEqual([
      '42-release',
      '42-release-armv8',
      'latest',
    ]);
    expect(concreteTagList(splitTags('#build-candidates'), 7)).toEqual(['7-candidate-amd64', '7-candidate-armv8']);
    expect(concreteTagList(splitTags('#build-candidate-arm'), 7)).toEqual(['7-candidate-armv8']);
    expect(concreteTagList(splitTags('latest-master, latest-arm'), 7)).toEqual(['latest-master', 'latest-arm']);
  });

  it('copies release tags from the tested candidate and Docker Hub tags from the release', () => {
    expect(['#build-release', 'latest', '#build-release-arm', 'latest-master', 'latest-arm'].map((n) => sourceTag(n as never, 3))).toEqual([
      '3-candidate',
      '3-candidate',
      '3-candidate-armv8',
      '3-release',
      '3-release-armv8',
    ]);
    expect(() => sourceTag('#build-candidate', 3)).toThrow(/builds push it/);
  });

  it('accepts only known names, so a typo leaves the step undefined', () => {
    const tags = whole(TAG_LIST);
    for (const text of [
      '#build-candidate',
      '#build-candidates',
      '#build-release, latest',
      '#build-release, #build-release-arm, latest',
      'latest-master, latest-arm',
    ]) {
      expect(text).toMatch(tags);
    }
    for (const text of ['#build-candidat', 'latest master', '#build-candidate index', 'v1.2', '#build-release,latest']) {
      expect(text).not.toMatch(tags);
    }
  });
});

describe('the committed interim run', () => {
  it('shows the ARM build overlapping the x86 build, image and push', async () => {
    const { events } = await readJournal(join(repo, 'docs/runs/interim/journal.ndjson'));
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    const overlap = interimOverlap(events);
    expect(overlap).not.toBeNull();
    expect(overlap?.overlapMs).toBeGreaterThan(0);
    expect(overlap?.overlapMs).toBeLessThanOrEqual(Math.min(overlap?.armBuildMs ?? 0, overlap?.x86StepsMs ?? 0));
  });
});

describe('the apps a release step works on', () => {
  const context = (over: { vars?: Record<string, string>; item?: string; state?: ReleaseState; apps?: string[] } = {}): ReleaseContext =>
    ({
      vars: over.vars ?? {},
      env: {},
      state: over.state ?? {},
      config: { app: 'demo', gitRemote: '/remotes/pay-{app}.git', ...(over.apps ? { apps: over.apps } : {}) },
      ...(over.item === undefined ? {} : { item: over.item }),
    }) as unknown as ReleaseContext;

  it("inside a loop iteration the loop's item, else --var app, else the settings' app", () => {
    expect(appName(context({ item: 'cardid', vars: { app: 'frontend' } }))).toBe('cardid');
    expect(appName(context({ vars: { app: 'frontend' } }))).toBe('frontend');
    expect(appName(context())).toBe('demo');
    expect(expand(context({ item: 'cardid' }), '/remotes/pay-{app}.git')).toBe('/remotes/pay-cardid.git');
  });

  it("the loop's items: --var apps, else --var app, else the settings' apps, else the app", () => {
    expect(releaseApps(context({ vars: { apps: 'demo, cardid' }, apps: ['x'] }))).toEqual(['demo', 'cardid']);
    expect(releaseApps(context({ vars: { apps: 'demo,' }, apps: ['demo', 'cardid'] }))).toEqual(['demo']);
    expect(releaseApps(context({ vars: { apps: ' ' }, apps: ['demo', 'cardid'] }))).toEqual(['demo', 'cardid']);
    expect(releaseApps(context({ vars: { app: 'frontend' }, apps: ['demo', 'cardid'] }))).toEqual(['frontend']);
    expect(releaseApps(context({ apps: ['demo', 'cardid'] }))).toEqual(['demo', 'cardid']);
    expect(releaseApps(context())).toEqual(['demo']);
  });

  it("keeps each app's checkout and images apart: the second iteration overwrites nothing of the first", () => {
    const state: ReleaseState = {};
    updateApp(context({ item: 'demo', state }), { sha: 'a1', workspace: '/w/demo' });
    recordImage(context({ item: 'demo', state }), '5-candidate', 'sha256:d');
    updateApp(context({ item: 'cardid', state }), { sha: 'b2', workspace: '/w/cardid' });
    recordImage(context({ item: 'cardid', state }), '5-candidate', 'sha256:c');
    expect(state.apps).toEqual({
      demo: { sha: 'a1', workspace: '/w/demo', images: { '5-candidate': 'sha256:d' } },
      cardid: { sha: 'b2', workspace: '/w/cardid', images: { '5-candidate': 'sha256:c' } },
    });
    expect(appState(context({ item: 'cardid', state })).sha).toBe('b2');
  });

  it('after the loop: every app the run fetched, in order; in an iteration its app; none fetched: the app', () => {
    const state: ReleaseState = { apps: { demo: { sha: 'a1' }, cardid: { sha: 'b2' } } };
    expect(builtApps(context({ state }))).toEqual(['demo', 'cardid']);
    expect(builtApps(context({ state, item: 'cardid' }))).toEqual(['cardid']);
    expect(builtApps(context())).toEqual(['demo']);
  });
});

describe('the committed release.mmd run', () => {
  it('built both fixture apps in its loop, in two iterations, and passed', async () => {
    const { events } = await readJournal(join(repo, 'docs/runs/release/journal.ndjson'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'items', items: ['demo', 'cardid'] }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'ended', iterations: 2 }));
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });
});
