// From a diagram name on the command line to a bound Plan: parse, load the project, bind.
// Every problem is a diagnostic; the caller turns them into exit code 2.
import { relative, resolve, sep } from 'node:path';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Plan } from '../bind/types.ts';
import type { Project } from '../bind/index.ts';
import { diagramHash } from '../run/run-id.ts';

export interface Prepared {
  readonly plan: Plan;
  readonly project: Project;
  /** The diagram relative to the project root (`specs/final.seq`, `docs/x.md#slug`), as journaled. */
  readonly diagramRef: string;
  /** The diagram as the user sees it from the working directory, for messages. */
  readonly display: string;
  readonly hash: string;
  readonly warnings: readonly Diagnostic[];
}

export type Preparation =
  { readonly ok: true; readonly prepared: Prepared } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface PrepareInput {
  readonly cwd: string;
  /** A `.seq` file or `doc.md#slug`, relative to `cwd`. */
  readonly diagram: string;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  /** Reuse an already loaded project (resume loads it first to find the journal). */
  readonly project?: Project;
  /** Masks secrets in config and binding load failures. */
  readonly redact?: (text: string) => string;
}

function problem(code: DiagnosticCode, file: string, message: string, hint: string): Diagnostic {
  return { code, severity: 'error', message, hint, file, span: null };
}

export async function prepare(input: PrepareInput): Promise<Preparation> {
  const { loadDiagrams, splitSelector } = await import('../syntax/index.ts');
  const { bindCheckingParticipants, loadProject } = await import('../bind/index.ts');
  const { path, slug } = splitSelector(input.diagram);
  const file = resolve(input.cwd, path);
  const loaded = await loadDiagrams(slug === null ? file : `${file}#${slug}`);
  const parseErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (parseErrors.length > 0) return { ok: false, diagnostics: loaded.diagnostics };
  const [diagram, ...others] = loaded.diagrams;
  if (!diagram || others.length > 0) {
    const slugs = loaded.diagrams.map((d) => `#${d.slug ?? ''}`).join(', ');
    const message = diagram ? `${path} holds ${loaded.diagrams.length} diagrams; seqrun runs one at a time` : `${path} holds no diagram`;
    const hint = diagram
      ? `Name one: ${path}${slugs.split(', ')[0] ?? ''} (diagrams: ${slugs}).`
      : 'Give a .seq file or a Markdown file with a ```sequence fence.';
    return { ok: false, diagnostics: [problem('RUN001', path, message, hint)] };
  }
  let project = input.project ?? null;
  const projectDiagnostics: Diagnostic[] = [];
  if (!project) {
    const result = await loadProject({ cwd: input.cwd, configPath: input.configPath, profile: input.profile, redact: input.redact });
    project = result.project;
    projectDiagnostics.push(...result.diagnostics);
  }
  if (!project || projectDiagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: projectDiagnostics };
  const plan = bindCheckingParticipants(diagram, project.registry, project.config);
  const all = [...loaded.diagnostics, ...projectDiagnostics, ...plan.diagnostics];
  if (all.some((d) => d.severity === 'error')) return { ok: false, diagnostics: all };
  const ref = relative(project.root, file).split(sep).join('/') + (slug === null ? '' : `#${slug}`);
  const display = (relative(input.cwd, file) || file) + (slug === null ? '' : `#${slug}`);
  return { ok: true, prepared: { plan, project, diagramRef: ref, display, hash: diagramHash(diagram), warnings: all } };
}
