// docs/semantics.md's block-by-block examples, made from real runs: each `<!-- example: FILE -->`
// region of the page is generated from examples/semantics/FILE, its bindings in steps.ts, a run of it
// (the plain report, as `seqrun run` prints it) and the run drawn onto the diagram (as
// `seqrun render --run latest --format mermaid` draws it). test/docs/semantics-examples.test.ts
// compares the page with what this makes now; `UPDATE_GOLDEN=1` writes it into the page instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeta } from '../../src/app/session.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import type { Handler, Plan } from '../../src/bind/types.ts';
import { boundLabels } from '../../src/bind/blocks.ts';
import { render } from '../../src/render/render.ts';
import { foldRun } from '../../src/render/run-view.ts';
import { PlainReporter } from '../../src/report/plain.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { runPlan } from '../../src/run/executor.ts';
import { parseMermaidSource } from '../../src/syntax/mermaid/parse.ts';
import { REPO } from '../package/packed.ts';
import bindings from '../../examples/semantics/steps.ts';

export const SEMANTICS_PAGE = join(REPO, 'docs/semantics.md');
export const EXAMPLES_DIR = join(REPO, 'examples/semantics');

/** The `--var` values each example runs with (none: its handlers need none). */
export const EXAMPLE_VARS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'loop-items.mmd': { apps: 'demo,tiny,api' },
  'break-loop.mmd': { apps: 'demo,tiny,api' },
  'alt.mmd': { target: 'staging' },
  'break-top.mmd': { freeze: 'on' },
};

export interface ExampleRun {
  readonly plan: Plan;
  readonly events: readonly RunEvent[];
  readonly text: string;
}

function planOf(file: string, text: string): Plan {
  const parsed = parseMermaidSource(text, { file });
  const [diagram] = parsed.diagrams;
  if (!diagram || parsed.diagnostics.some((d) => d.severity === 'error'))
    throw new Error(`${file} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  const { registry, diagnostics } = createRegistry({ modules: [bindings] });
  if (diagnostics.length > 0) throw new Error(`examples/semantics/steps.ts: ${JSON.stringify(diagnostics)}`);
  const plan = bind(diagram, registry);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  return plan;
}

/** Runs examples/semantics/FILE in this process, as `seqrun run FILE --var ...` would (no journal file). */
export async function runExample(file: string): Promise<ExampleRun> {
  const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
  const plan = planOf(file, text);
  const events: RunEvent[] = [];
  await runPlan(plan, {
    runId: 'r1',
    diagram: file,
    diagramHash: 'h',
    vars: EXAMPLE_VARS[file] ?? {},
    env: {},
    onEvent: (e) => events.push(e),
    stopGraceMs: 1_000,
  });
  return { plan, events, text };
}

/** Durations differ from run to run (and a loaded machine may stretch one past a second): the page shows them as `N ms`. */
const timeless = (text: string): string => text.replace(/\b\d+(\.\d)? (ms|s)\b/g, 'N ms');

/** The registrations (from `s.` to their closing parenthesis) of the handlers a plan binds, in file order. */
function registrations(plan: Plan): string {
  const handlers = new Set<Handler>();
  for (const step of plan.steps) if (step.binding.status === 'bound') handlers.add(step.binding.handler);
  for (const label of boundLabels(plan.tree ?? [])) if (label.binding?.status === 'bound') handlers.add(label.binding.handler);
  const lines = readFileSync(join(EXAMPLES_DIR, 'steps.ts'), 'utf8').split('\n');
  const starts = [...handlers].map((h) => h.source.line).sort((a, b) => a - b);
  return starts
    .map((start) => {
      let depth = 0;
      const taken: string[] = [];
      for (let i = start - 1; i < lines.length; i++) {
        const line = lines[i] ?? '';
        taken.push(line.replace(/^ {2}/, ''));
        depth += (line.match(/\(/g) ?? []).length - (line.match(/\)/g) ?? []).length;
        if (depth <= 0) break;
      }
      return taken.join('\n');
    })
    .join('\n');
}

function command(file: string): string {
  const vars = Object.entries(EXAMPLE_VARS[file] ?? {}).map(([k, v]) => ` --var ${k}=${v}`);
  return `seqrun run ${file}${vars.join('')}`;
}

/** The generated text of the page's region for examples/semantics/FILE. */
export async function exampleSection(file: string): Promise<string> {
  const { plan, events, text } = await runExample(file);
  let plain = '';
  const reporter = new PlainReporter(runMeta(plan, file, '.seqrun/runs/r1/journal.ndjson'), (t) => (plain += t));
  for (const event of events) reporter.onEvent(event);
  reporter.close();
  const run = foldRun(events);
  const drawn = await render([{ diagram: plan.diagram, run, source: text }], 'mermaid');
  const [output] = drawn.outputs;
  return [
    '```mermaid',
    text.trimEnd(),
    '```',
    '',
    'Its bindings (from `examples/semantics/steps.ts`):',
    '',
    '```ts',
    registrations(plan),
    '```',
    '',
    `\`${command(file)}\` prints (durations shown as \`N ms\`):`,
    '',
    '```text',
    timeless(plain).trimEnd(),
    '```',
    '',
    `\`seqrun render ${file} --run latest --format mermaid\` draws the run:`,
    '',
    '```mermaid',
    timeless(String(output?.content ?? '')).trimEnd(),
    '```',
  ].join('\n');
}

const REGION = /<!-- example: (\S+) -->\n[\s\S]*?<!-- end example -->/g;

/** The example files the page has a region for, in page order. */
export function documentedExamples(page = readFileSync(SEMANTICS_PAGE, 'utf8')): string[] {
  return [...page.matchAll(REGION)].map((m) => m[1] ?? '');
}

/** The page with every example region generated afresh. */
export async function regeneratedPage(page = readFileSync(SEMANTICS_PAGE, 'utf8')): Promise<string> {
  const sections = new Map<string, string>();
  for (const file of documentedExamples(page)) sections.set(file, await exampleSection(file));
  return page.replace(REGION, (_all, file: string) => `<!-- example: ${file} -->\n${sections.get(file) ?? ''}\n<!-- end example -->`);
}
