// mermaid's blocks as states: par → Parallel; loop → a Task asking the loop handler, then a Map over
// its items (one at a time, as the local engine runs them) or, for a guard, a Choice cycle; alt/opt →
// a condition Task and a Choice per branch; critical → a Parallel whose Catch runs the options;
// break → a condition Task, a Choice, then a Fail that the enclosing loop catches (or that ends the run).
import type { PlannedAlt, PlannedBlock, PlannedBranch, PlannedBreak, PlannedCritical, PlannedLoop, PlannedPar } from '../../bind/types.ts';
import { ERRORS, lineOf, linesOf, stateName } from './asl.ts';
import type { Catcher } from './asl.ts';
import { addState, entryOf, messageBody, nextOf, sendTask } from './compile.ts';
import type { Compiler, Scope } from './compile.ts';

/** Condition and loop tasks answer quickly (the handler decides); a minute is their limit. */
const LABEL_TIMEOUT_SECONDS = 60;

const lines = (b: PlannedBlock): string => linesOf(b.span.start.line, b.endSpan.start.line);
const inside = (c: Compiler): Compiler => ({ ...c, nested: true });

export function compileBlock(c: Compiler, scope: Scope, block: PlannedBlock, next: string | null): string {
  switch (block.kind) {
    case 'par':
      return compilePar(c, scope, block, next);
    case 'loop':
      return compileLoop(c, scope, block, next);
    case 'alt':
    case 'opt':
      return compileAlt(c, scope, block, next);
    case 'critical':
      return compileCritical(c, scope, block, next);
    case 'break':
      return compileBreak(c, scope, block, next);
  }
}

/** A branch's states in a scope of their own. */
function branchOf(c: Compiler, body: PlannedBranch['body'], emptyName: string): { StartAt: string; States: Scope } {
  const States: Scope = {};
  return { StartAt: entryOf(inside(c), States, body, null, emptyName), States };
}

/** `next`, or a Pass that ends the scope when nothing follows. */
function continuation(c: Compiler, scope: Scope, next: string | null, name: string): string {
  return next ?? addState(c, scope, name, { Type: 'Pass', Comment: 'the block ends its scope', End: true });
}

function compilePar(c: Compiler, scope: Scope, block: PlannedPar, next: string | null): string {
  const Branches = block.branches.map((b, i) =>
    branchOf(c, b.body, stateName(`${block.id}.${i}${c.copy}`, lineOf(b.label.span.start.line), b.label.text, ' (empty)')),
  );
  const labels = block.branches.map((b) => b.label.text).join(' / ');
  return addState(c, scope, stateName(block.id + c.copy, lines(block), `par ${labels}`), {
    Type: 'Parallel',
    Comment: 'par: the branches run concurrently; a failing branch cancels the others',
    Branches,
    ResultPath: null,
    ...nextOf(next),
  });
}

/** A task that asks the label's handler (a loop's items or guard, a condition). */
function labelTask(c: Compiler, scope: Scope, id: string, line: number, text: string, kind: 'loop' | 'condition', next: string): string {
  const resultPath = `$.${kind === 'loop' ? 'loop' : 'condition'}_${id.replace(/\W/g, '_')}`;
  return addState(
    c,
    scope,
    stateName(id + c.copy, lineOf(line), `${kind === 'loop' ? 'loop' : 'if'} ${text}`),
    sendTask(c, messageBody(c, id, kind), {
      Comment: kind === 'loop' ? 'answers {"items": [...]} or {"continue": true|false}' : 'answers {"holds": true|false}',
      ResultPath: resultPath,
      TimeoutSeconds: LABEL_TIMEOUT_SECONDS,
      Next: next,
    }),
  );
}

const breakCatch = (next: string): Catcher => ({ ErrorEquals: [ERRORS.break], ResultPath: null, Next: next });

function compileLoop(c: Compiler, scope: Scope, block: PlannedLoop, next: string | null): string {
  const after = continuation(c, scope, next, stateName(block.id + c.copy, lineOf(block.endSpan.start.line), 'loop done'));
  const line = block.span.start.line;
  const answer = `$.loop_${block.id}`;
  const body = inside(c);
  const map = addState(c, scope, stateName(block.id + c.copy, lines(block), `for each: ${block.label.text}`), {
    Type: 'Map',
    Comment: `one iteration per item the loop handler returned, in order (at most ${block.maxIterations})`,
    ItemsPath: `${answer}.items`,
    ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'outer.$': '$' },
    MaxConcurrency: 1,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      ...branchOf(body, block.body, stateName(`${block.id}${c.copy}`, lineOf(line), 'empty body')),
    },
    ResultPath: null,
    Catch: [breakCatch(after)],
    Next: after,
  });
  const guard = guardCycle(c, scope, block, after);
  const choice = addState(c, scope, stateName(block.id + c.copy, lineOf(line), 'items or guard?'), {
    Type: 'Choice',
    Comment: 'a handler that returned items runs the Map; one that returned a guard runs the cycle',
    Choices: [{ Variable: `${answer}.items`, IsPresent: true, Next: map }],
    Default: guard,
  });
  return labelTask(c, scope, block.id, line, block.label.text, 'loop', choice);
}

/**
 * The guard loop: the body again while the handler says continue; its states are a second copy, their
 * ids marked with the loop's (`s4~b2`), so that the copies nested loops make are each named apart.
 */
function guardCycle(c: Compiler, scope: Scope, block: PlannedLoop, after: string): string {
  const copy: Compiler = { ...c, copy: `${c.copy}~${block.id}`, nested: true };
  const States: Scope = {};
  const line = block.span.start.line;
  const done = addState(copy, States, stateName(block.id + copy.copy, lineOf(block.endSpan.start.line), 'loop done'), {
    Type: 'Pass',
    Comment: 'the guard said stop',
    End: true,
  });
  const again = stateName(block.id + copy.copy, lineOf(line), `while ${block.label.text}`);
  const ask = labelTask(copy, States, block.id, line, block.label.text, 'loop', again);
  const bodyEntry = entryOf(copy, States, block.body, ask, stateName(`${block.id}${copy.copy}`, lineOf(line), 'empty body'));
  addState(copy, States, again, {
    Type: 'Choice',
    Comment: `asked before each iteration (at most ${block.maxIterations})`,
    Choices: [{ Variable: `$.loop_${block.id}.continue`, BooleanEquals: true, Next: bodyEntry }],
    Default: done,
  });
  return addState(c, scope, stateName(block.id + c.copy, lines(block), `while: ${block.label.text}`), {
    Type: 'Parallel',
    Comment: 'the guard cycle in a scope of its own, so that a break inside it leaves it',
    Branches: [{ StartAt: again, States }],
    ResultPath: null,
    Catch: [breakCatch(after)],
    Next: after,
  });
}

/** Each branch: its condition task and a Choice; a bare else (no binding) is the default. */
function conditionChain(
  c: Compiler,
  scope: Scope,
  id: string,
  branches: readonly PlannedBranch[],
  otherwise: string,
  next: string | null,
): string {
  let entry = otherwise;
  for (let i = branches.length - 1; i >= 0; i--) {
    const branch = branches[i] as PlannedBranch;
    const line = branch.label.span.start.line;
    const branchId = `${id}.${i}`;
    const bodyEntry = entryOf(inside(c), scope, branch.body, next, stateName(branchId + c.copy, lineOf(line), 'empty branch'));
    if (branch.label.binding === null) {
      entry = bodyEntry;
      continue;
    }
    const choice = addState(c, scope, stateName(branchId + c.copy, lineOf(line), 'holds?'), {
      Type: 'Choice',
      Comment: `the condition on line ${line}`,
      Choices: [{ Variable: `$.condition_${branchId.replace(/\W/g, '_')}.holds`, BooleanEquals: true, Next: bodyEntry }],
      Default: entry,
    });
    entry = labelTask(c, scope, branchId, line, branch.label.text, 'condition', choice);
  }
  return entry;
}

function compileAlt(c: Compiler, scope: Scope, block: PlannedAlt, next: string | null): string {
  const after = continuation(c, scope, next, stateName(block.id + c.copy, lineOf(block.endSpan.start.line), `${block.kind} done`));
  return conditionChain(c, scope, block.id, block.branches, after, after);
}

function compileCritical(c: Compiler, scope: Scope, block: PlannedCritical, next: string | null): string {
  const after = continuation(c, scope, next, stateName(block.id + c.copy, lineOf(block.endSpan.start.line), 'critical done'));
  const end = lineOf(block.endSpan.start.line);
  const unmatched = addState(c, scope, stateName(block.id + c.copy, end, 'no option accepts the error'), {
    Type: 'Fail',
    Comment: `the critical block on line ${block.span.start.line} failed and no option accepted its error`,
    Error: ERRORS.critical,
    Cause: `critical ${block.body.label.text}: the body failed and no option accepts the error`,
  });
  const rethrow = addState(c, scope, stateName(block.id + c.copy, end, 'break passes through'), {
    Type: 'Fail',
    Comment: 'a break inside the critical body is not an error to compensate: it leaves the enclosing loop',
    Error: ERRORS.break,
    Cause: `break inside critical ${block.body.label.text}`,
  });
  const options = conditionChain(c, scope, block.id, block.options, unmatched, after);
  return addState(c, scope, stateName(block.id + c.copy, lines(block), `critical ${block.body.label.text}`), {
    Type: 'Parallel',
    Comment: 'critical: the body; when it fails, the first option whose condition accepts the error ($.error)',
    Branches: [branchOf(c, block.body.body, stateName(block.id + c.copy, lineOf(block.span.start.line), 'empty body'))],
    ResultPath: null,
    Catch: [breakCatch(rethrow), { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: options }],
    Next: after,
  });
}

function compileBreak(c: Compiler, scope: Scope, block: PlannedBreak, next: string | null): string {
  const after = continuation(c, scope, next, stateName(block.id + c.copy, lineOf(block.endSpan.start.line), 'break not taken'));
  const { label } = block.branch;
  const stop = addState(c, scope, stateName(block.id + c.copy, lineOf(block.endSpan.start.line), `break: ${label.text}`), {
    Type: 'Fail',
    Comment: 'leaves the enclosing loop (its Catch), or ends the run failed at the top level',
    Error: ERRORS.break,
    Cause: `break: ${label.text}`,
  });
  const broken: PlannedBranch = block.branch;
  const bodyEntry = entryOf(inside(c), scope, broken.body, stop, stateName(block.id + c.copy, lineOf(label.span.start.line), 'empty body'));
  const choice = addState(c, scope, stateName(`${block.id}.0${c.copy}`, lineOf(label.span.start.line), 'holds?'), {
    Type: 'Choice',
    Comment: `the break's condition on line ${label.span.start.line}`,
    Choices: [{ Variable: `$.condition_${block.id}_0.holds`, BooleanEquals: true, Next: bodyEntry }],
    Default: after,
  });
  return labelTask(c, scope, `${block.id}.0`, label.span.start.line, label.text, 'condition', choice);
}
