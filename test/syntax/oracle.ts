// The reference parser (@hackmd/js-sequence-diagrams) as a test oracle, reduced to the JSON shape
// our parser produces. Loaded through vitest, which transforms its extensionless ESM imports.
import { Diagram as ReferenceDiagram } from '@hackmd/js-sequence-diagrams/dist/parser/diagram.js';

export interface OracleStep {
  readonly kind: 'message' | 'note';
  readonly [key: string]: unknown;
}

export type OracleResult =
  | { readonly ok: false; readonly error: string }
  | {
      readonly ok: true;
      readonly title: string | null;
      readonly participants: { id: string; label: string }[];
      readonly steps: OracleStep[];
    };

interface RefActor {
  alias: string;
  name: string;
}
interface RefSignal {
  type: 'Signal' | 'Note';
  actorA: RefActor;
  actorB: RefActor;
  lineType: number;
  arrowType: number;
  actor: RefActor | RefActor[];
  placement: number;
  message: string;
}

const PLACEMENTS = ['left', 'right', 'over'] as const;

function step(signal: RefSignal): OracleStep {
  if (signal.type === 'Signal') {
    return {
      kind: 'message',
      from: signal.actorA.alias,
      to: signal.actorB.alias,
      line: signal.lineType === 1 ? 'dashed' : 'solid',
      arrow: signal.arrowType === 1 ? 'open' : 'filled',
      text: signal.message,
    };
  }
  const actors = Array.isArray(signal.actor) ? signal.actor : [signal.actor];
  return { kind: 'note', position: PLACEMENTS[signal.placement], participants: actors.map((a) => a.alias), text: signal.message };
}

export function oracleParse(text: string): OracleResult {
  let diagram: { title?: string; actors: RefActor[]; signals: RefSignal[] };
  try {
    diagram = (ReferenceDiagram as unknown as { parse(t: string): typeof diagram }).parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return {
    ok: true,
    title: diagram.title ?? null,
    participants: diagram.actors.map((a) => ({ id: a.alias, label: a.name })),
    steps: diagram.signals.map(step),
  };
}
