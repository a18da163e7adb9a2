// A typo in a participant's name (`Jenkins->Jenkns: Build it` in a diagram that declares Jenkins)
// makes a new participant: the step then matches no handler written for Jenkins, and that handler is
// unused, so `seqrun check` reported the typo as an undefined step and an unused handler, neither
// naming it. Here a name that is not declared but is a near miss of one that is becomes one error
// with "did you mean", and the diagram is bound as if the name were right, so nothing else is reported
// for it. The error still stops `check` and `run`.
import type { Diagram, Participant } from '../ast/types.ts';
import { forEachStatement } from '../ast/types.ts';
import { distance } from '../diagnostics/suggest.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { bind } from './plan.ts';
import type { ResolvedConfig } from './config.ts';
import type { Registry } from './registry.ts';
import type { Plan } from './types.ts';

export interface ParticipantTypo {
  readonly participant: Participant;
  /** The declared participant's id it is a near miss of. */
  readonly meant: string;
  /** Lines of the steps that name it. */
  readonly lines: readonly number[];
}

/** Close enough to be a typo: case aside, one edit in three characters or more, two in six or more. */
function nearMiss(name: string, declared: string): boolean {
  const d = distance(name.toLowerCase(), declared.toLowerCase());
  return d <= 2 && d * 3 <= name.length;
}

/** Participants a diagram uses without declaring them, each a near miss of exactly one declared participant. */
export function findParticipantTypos(diagram: Diagram): ParticipantTypo[] {
  const declared = new Map<string, string>(); // id or label -> id
  forEachStatement(diagram.statements, (s) => {
    if (s.kind !== 'participant') return;
    const id = (s.alias ?? s.name).trim();
    declared.set(id, id);
    declared.set(s.name.trim(), id);
  });
  if (declared.size === 0) return [];
  const typos: ParticipantTypo[] = [];
  for (const participant of diagram.participants) {
    if (declared.has(participant.id)) continue;
    const meant = new Set([...declared].filter(([name]) => nearMiss(participant.id, name)).map(([, id]) => id));
    const [only] = meant;
    if (meant.size !== 1 || only === undefined) continue;
    const lines = diagram.steps
      .filter((s) => (s.kind === 'message' ? [s.from, s.to] : s.participants).includes(participant.id))
      .map((s) => s.span.start.line);
    typos.push({ participant, meant: only, lines });
  }
  return typos;
}

/** A copy of `value` with participant ids renamed in messages and notes; shared nodes stay shared. */
function renamed<T>(value: T, names: ReadonlyMap<string, string>, seen = new Map<unknown, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  const rename = (id: string): string => names.get(id) ?? id;
  let copy: unknown;
  if (Array.isArray(value)) copy = Object.freeze(value.map((v: unknown) => renamed(v, names, seen)));
  else {
    const record = value as Record<string, unknown>;
    const entries = Object.entries(record).map(([k, v]) => [k, renamed(v, names, seen)] as const);
    const out: Record<string, unknown> = Object.fromEntries(entries);
    if (record['kind'] === 'message') Object.assign(out, { from: rename(String(record['from'])), to: rename(String(record['to'])) });
    if (record['kind'] === 'note') out['participants'] = Object.freeze((record['participants'] as string[]).map(rename));
    copy = Object.freeze(out);
  }
  seen.set(value, copy);
  return copy as T;
}

/** The diagram with each typo read as the participant meant, and one error per typo. */
export function correctParticipantTypos(diagram: Diagram): { diagram: Diagram; diagnostics: Diagnostic[] } {
  const typos = findParticipantTypos(diagram);
  if (typos.length === 0) return { diagram, diagnostics: [] };
  const names = new Map(typos.map((t) => [t.participant.id, t.meant]));
  const corrected = renamed(diagram, names);
  const participants = Object.freeze(corrected.participants.filter((p) => !names.has(p.id)));
  const declared = diagram.participants.filter((p) => !names.has(p.id)).map((p) => JSON.stringify(p.id));
  const diagnostics = typos.map((t): Diagnostic => ({
    code: 'SEQ325',
    severity: 'error',
    message: `Unknown participant ${JSON.stringify(t.participant.id)}: the diagram declares ${declared.join(', ')}. Its steps are checked as if it were ${JSON.stringify(t.meant)}.`,
    hint: `Did you mean ${JSON.stringify(t.meant)}? Correct the name (line ${t.lines.join(', ')}), or declare it with \`participant ${t.participant.id}\` if it is a participant of its own.`,
    file: diagram.file,
    span: t.participant.span,
  }));
  return { diagram: { ...corrected, participants }, diagnostics };
}

/** `bind` after reading participant typos as the participants meant: a typo is one error, not an undefined step and an unused handler. */
export function bindCheckingParticipants(diagram: Diagram, registry: Registry, config?: ResolvedConfig): Plan {
  const { diagram: corrected, diagnostics } = correctParticipantTypos(diagram);
  const plan = bind(corrected, registry, config);
  return diagnostics.length === 0 ? plan : { ...plan, diagnostics: [...diagnostics, ...plan.diagnostics] };
}
