// The words of the seed diagrams as the bindings read them: tag names, architectures, and the
// committed interim run (docs/runs/interim), whose ARM build must overlap the x86 steps.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/run/journal-file.ts';
import { interimOverlap } from '../demo/publish-runs.ts';
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
