// A misspelt participant is one error with "did you mean", and the diagram binds as if it were right.
import { describe, expect, test } from 'vitest';
import { parseSource } from '../syntax/parse.ts';
import { correctParticipantTypos, findParticipantTypos } from './participant-typos.ts';

const diagramOf = (text: string) => {
  const [diagram] = parseSource(text, { file: 'release.seq' }).diagrams;
  if (!diagram) throw new Error('no diagram');
  return diagram;
};

describe('participant typos', () => {
  test('an undeclared near miss of a declared participant is one error at the name, with did-you-mean and every line using it', () => {
    const diagram = diagramOf(
      'participant Jenkins\nparticipant GitHub\nJenkins->Jenkns: Build it\nJenkns-->Jenkins: Success\nNote over Jenkns: Built\n',
    );
    const { diagram: corrected, diagnostics } = correctParticipantTypos(diagram);
    expect(diagnostics).toEqual([
      {
        code: 'SEQ325',
        severity: 'error',
        message: 'Unknown participant "Jenkns": the diagram declares "Jenkins", "GitHub". Its steps are checked as if it were "Jenkins".',
        hint: 'Did you mean "Jenkins"? Correct the name (line 3, 4, 5), or declare it with `participant Jenkns` if it is a participant of its own.',
        file: 'release.seq',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 3, column: 10 }) }),
      },
    ]);
    expect(corrected.participants.map((p) => p.id)).toEqual(['Jenkins', 'GitHub']);
    expect(corrected.steps.map((s) => (s.kind === 'message' ? `${s.from}>${s.to}` : s.participants.join(',')))).toEqual([
      'Jenkins>Jenkins',
      'Jenkins>Jenkins',
      'Jenkins',
    ]);
    // The steps of the statements are the same objects as the diagram's steps, as the parser makes them.
    expect(corrected.statements.filter((s) => s.kind === 'message' || s.kind === 'note')).toEqual(corrected.steps);
    expect(corrected.statements.filter((s) => s.kind === 'message')[0]).toBe(corrected.steps[0]);
    expect(diagram.steps[0]).toMatchObject({ to: 'Jenkns' });
  });

  test('case and labels count: "github" is a typo of GitHub, "PayCI" of the label "Pay CI"', () => {
    const diagram = diagramOf('participant GitHub\nparticipant Pay CI as P\nP->github: Fetch\nPayCI->GitHub: Tag\n');
    expect(findParticipantTypos(diagram).map((t) => [t.participant.id, t.meant])).toEqual([
      ['github', 'GitHub'],
      ['PayCI', 'P'],
    ]);
  });

  test('no typo: a new participant far from the declared ones, short names, a tie, or nothing declared', () => {
    expect(findParticipantTypos(diagramOf('participant Jenkins\nJenkins->Slack: Tell\n'))).toEqual([]);
    expect(findParticipantTypos(diagramOf('participant A\nparticipant B\nA->C: x\n'))).toEqual([]);
    expect(findParticipantTypos(diagramOf('participant Web1\nparticipant Web2\nWeb1->Web3: x\n'))).toEqual([]);
    expect(findParticipantTypos(diagramOf('Jenkins->Jenkns: x\n'))).toEqual([]);
    const unchanged = diagramOf('participant Jenkins\nJenkins->Slack: Tell\n');
    expect(correctParticipantTypos(unchanged).diagram).toBe(unchanged);
  });
});
