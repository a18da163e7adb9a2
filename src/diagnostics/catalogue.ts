// The code catalogue: every diagnostic seqrun emits, with its usual severity and default hint. Codes
// are stable (tools and docs refer to them). SEQ0xx: input, SEQ1xx: syntax errors, SEQ2xx: syntax
// warnings (the table in docs/syntax.md); SEQ3xx: bind and check, and RUN001 (docs/handlers.md).
// test/docs/diagnostic-codes.test.ts holds both tables to this one.
import type { Severity } from './types.ts';

export interface CatalogueEntry {
  readonly severity: Severity;
  readonly summary: string;
  readonly hint: string;
}

export const CATALOGUE = {
  SEQ001: {
    severity: 'error',
    summary: 'cannot read the input',
    hint: 'Check the path; give a .seq file, a Markdown file, `file.md#slug` or a folder.',
  },
  SEQ002: {
    severity: 'error',
    summary: 'no diagram matches the selector',
    hint: 'Use the slug of the heading above the ```sequence fence, e.g. `doc.md#final-candidate-release-process`.',
  },
  SEQ003: { severity: 'warning', summary: 'unclosed ```sequence fence', hint: 'Close the fence with a line of ``` after the diagram.' },
  SEQ004: {
    severity: 'error',
    summary: 'the file is not UTF-8',
    hint: 'seqrun reads UTF-8 only and never rewrites a file it cannot decode: save the file as UTF-8.',
  },
  SEQ005: {
    severity: 'error',
    summary: 'no diagram in the path',
    hint: 'Give a .seq or .mmd file, a Markdown file with a ```sequence or ```mermaid fence, `file.md#slug`, or a folder holding them.',
  },
  SEQ006: {
    severity: 'error',
    summary: 'a mermaid diagram in a ```sequence fence',
    hint: 'seqrun never guesses the language from the content: put a mermaid sequenceDiagram in a ```mermaid fence.',
  },
  SEQ007: {
    severity: 'error',
    summary: 'a .mmd file that is not a mermaid sequenceDiagram',
    hint: 'seqrun runs sequence diagrams only: start the .mmd file with `sequenceDiagram`.',
  },
  SEQ008: { severity: 'warning', summary: 'unclosed ```mermaid fence', hint: 'Close the fence with a line of ``` after the diagram.' },
  SEQ100: {
    severity: 'error',
    summary: 'not a statement',
    hint: 'A statement is `A->B: text`, `Note left of A: text`, `participant A` or `Title: text`.',
  },
  SEQ101: {
    severity: 'error',
    summary: 'missing arrow',
    hint: "A message is two participants joined by ->, -->, ->> or -->>, then ':' and a text: `A->B: text`.",
  },
  SEQ102: {
    severity: 'error',
    summary: 'arrow without a participant on its right',
    hint: 'Name the receiving participant after the arrow: `A->B: text`.',
  },
  SEQ103: {
    severity: 'error',
    summary: 'unknown arrow',
    hint: 'The arrows are ->, -->, ->>, -->> (and the headless - and --); there are no left arrows: write `B->A: text`.',
  },
  SEQ104: { severity: 'error', summary: 'keyword used as a participant name', hint: 'Quote the name, e.g. "Note taker", or rename it.' },
  SEQ105: {
    severity: 'error',
    summary: "message without ':'",
    hint: "A message needs ':' before its text: `A->B: text` (the text may be empty: `A->B:`).",
  },
  SEQ106: {
    severity: 'error',
    summary: 'note without placement',
    hint: 'Write `Note left of A: text`, `Note right of A: text` or `Note over A,B: text` (exactly one space in "left of").',
  },
  SEQ107: { severity: 'error', summary: 'note without participant', hint: 'Name the participant the note is about: `Note over A: text`.' },
  SEQ108: {
    severity: 'error',
    summary: 'too many participants in a note',
    hint: "'Note over' takes one or two participants, 'Note left of' and 'Note right of' take one.",
  },
  SEQ109: { severity: 'error', summary: 'title without text', hint: 'Write the title on the same line: `Title: text` or `title text`.' },
  SEQ110: {
    severity: 'error',
    summary: 'participant without name',
    hint: 'Write `participant Name` or `participant Name as Alias` on one line.',
  },
  SEQ120: {
    severity: 'error',
    summary: 'mermaid: not a statement',
    hint: 'A statement is `A->>B: text`, `Note over A: text`, `participant A as Label`, a block keyword (`loop`, `alt`, ...) or `end`.',
  },
  SEQ121: {
    severity: 'error',
    summary: 'mermaid: missing arrow',
    hint: 'A message is two participants joined by an arrow (->>, -->>, ->, -->, -x, --x, -), --), <<->>, <<-->>), then `:` and a text.',
  },
  SEQ122: {
    severity: 'error',
    summary: 'mermaid: unknown arrow',
    hint: 'The arrows are ->>, -->>, ->, -->, -x, --x, -), --), <<->>, <<-->> and the half arrows; there are no left arrows: write `B->>A: text`.',
  },
  SEQ123: {
    severity: 'error',
    summary: 'mermaid: arrow without a participant on its right',
    hint: 'Name the receiving participant after the arrow (and its `+`/`-`): `A->>+B: text`.',
  },
  SEQ124: {
    severity: 'error',
    summary: "mermaid: message or note without ':'",
    hint: 'Write `:` before the text: `A->>B: text` (the text may be empty: `A->>B:`).',
  },
  SEQ125: {
    severity: 'error',
    summary: 'mermaid: note without placement or participant',
    hint: 'Write `Note left of A: text`, `Note right of A: text`, `Note over A: text` or `Note over A,B: text`.',
  },
  SEQ126: {
    severity: 'error',
    summary: 'mermaid: participant name missing or invalid',
    hint: 'Write `participant A`, `participant A as Label`, `actor A`, `activate A`: a name without < > : , ; on one line.',
  },
  SEQ127: {
    severity: 'error',
    summary: 'mermaid: invalid autonumber',
    hint: 'Write `autonumber`, `autonumber 10`, `autonumber 10 5` or `autonumber off`.',
  },
  SEQ128: {
    severity: 'error',
    summary: 'mermaid: block never closed',
    hint: 'Close every `loop`, `alt`, `opt`, `par`, `critical`, `break`, `rect` and `box` with a line `end`.',
  },
  SEQ129: {
    severity: 'error',
    summary: "mermaid: 'else', 'and' or 'option' outside its block",
    hint: '`else` continues an `alt`, `and` a `par`, `option` a `critical`; close any block opened inside it first.',
  },
  SEQ130: { severity: 'error', summary: "mermaid: 'end' without a block", hint: 'Remove the `end`, or open the block it should close.' },
  SEQ131: {
    severity: 'error',
    summary: 'mermaid: deactivating a participant that is not active',
    hint: 'Activate it first (`A->>+B: text` or `activate B`), or remove the `-` / `deactivate`.',
  },
  SEQ132: {
    severity: 'error',
    summary: 'mermaid: invalid create',
    hint: 'Follow `create participant B` with the message that creates it, `A->>B: text`; a created participant needs a new id.',
  },
  SEQ133: {
    severity: 'error',
    summary: 'mermaid: invalid destroy',
    hint: 'Follow `destroy B` with the message that destroys it, to or from B.',
  },
  SEQ134: {
    severity: 'error',
    summary: 'mermaid: front matter never closed',
    hint: 'Close the front matter with a line `---` before `sequenceDiagram`.',
  },
  SEQ137: {
    severity: 'error',
    summary: 'mermaid: invalid box',
    hint: 'A `box` holds participant declarations only, cannot nest, and a participant belongs to one box.',
  },
  SEQ138: { severity: 'error', summary: "mermaid: 'accDescr {' never closed", hint: 'Close the description with `}`.' },
  SEQ139: {
    severity: 'error',
    summary: "mermaid: no 'sequenceDiagram' header",
    hint: 'A mermaid sequence diagram starts with the line `sequenceDiagram` (after front matter, directives and comments).',
  },
  SEQ150: {
    severity: 'error',
    summary: 'fmt --to mermaid: a text or name holds `<br>`, which mermaid always reads as a line break',
    hint: "Write the line break as js-sequence's `\\n`, or the text without `<br>`; the diagram is not converted until then.",
  },
  SEQ201: {
    severity: 'warning',
    summary: "'Title' read as a title",
    hint: 'A participant named Title must be quoted: `"Title"->B: text`; a title is written `Title: text`.',
  },
  SEQ202: {
    severity: 'warning',
    summary: "'<' read as part of a participant name",
    hint: 'There are no left arrows: write `B->A: text` instead of `A<-B: text`.',
  },
  SEQ203: {
    severity: 'warning',
    summary: "text not introduced by ':'",
    hint: "Put ':' before the text: `A->B: text`; the first character after the participant was dropped.",
  },
  SEQ204: {
    severity: 'warning',
    summary: "'#' read as part of a participant name",
    hint: "'#' starts a comment only where a token starts; put the comment on its own line.",
  },
  SEQ205: {
    severity: 'warning',
    summary: 'statement continues on the next line',
    hint: 'A line ending in whitespace right after a keyword, arrow or comma continues on the next line; remove the line break.',
  },
  SEQ206: {
    severity: 'warning',
    summary: 'several statements on one line',
    hint: 'Put each statement on its own line (`seqrun fmt` does it).',
  },
  SEQ207: {
    severity: 'warning',
    summary: 'line break inside a quoted name',
    hint: 'Close the quote on the same line; use \\n for a line break in a label.',
  },
  SEQ208: { severity: 'warning', summary: 'title set twice', hint: 'Only the last title is shown; remove the others.' },
  SEQ209: {
    severity: 'warning',
    summary: 'declaration after first use',
    hint: 'A participant keeps the label of its first appearance: declare `participant Name as Alias` before using the alias.',
  },
  SEQ210: {
    severity: 'warning',
    summary: 'label used where the alias is expected',
    hint: 'Statements refer to a participant by its alias; using the label creates a second participant.',
  },
  SEQ211: {
    severity: 'warning',
    summary: 'note over the same participant twice',
    hint: 'Name two different participants, `Note over A,B: text`, or one, `Note over A: text`.',
  },
  SEQ140: {
    severity: 'error',
    summary: "mermaid: a participant's `@{...}` is not valid YAML",
    hint: 'Write the configuration as YAML or JSON: `participant DB@{ "type": "database" }`.',
  },
  SEQ141: {
    severity: 'error',
    summary: 'mermaid: the front matter is not valid YAML',
    hint: 'Fix the YAML between the `---` lines (mermaid rejects the diagram otherwise).',
  },
  SEQ142: {
    severity: 'error',
    summary: 'mermaid: a diagram too repetitive to read',
    hint: 'Split the longest line; no real diagram comes near this.',
  },
  SEQ220: {
    severity: 'warning',
    summary: "mermaid: '#' cuts a text short",
    hint: "In mermaid `#` starts a comment even inside a message: write `#35;` for a literal '#'.",
  },
  SEQ221: {
    severity: 'warning',
    summary: 'mermaid: character ignored',
    hint: 'mermaid skips a character it cannot read at the start of a statement; remove it.',
  },
  SEQ222: {
    severity: 'warning',
    summary: 'mermaid: participant relabelled',
    hint: 'A later `participant A as Label` replaces the label everywhere; declare each participant once.',
  },
  SEQ223: {
    severity: 'warning',
    summary: 'mermaid: declaration after first use keeps the shape',
    hint: 'Declare `actor A` (or `participant A`) before the first message that uses A.',
  },
  SEQ224: { severity: 'warning', summary: 'mermaid: title set twice', hint: 'Only the last title is shown; remove the others.' },
  SEQ225: { severity: 'warning', summary: 'NUL character in a mermaid diagram', hint: 'Remove the NUL character; diagram files are text.' },
  SEQ226: {
    severity: 'warning',
    summary: "mermaid: 'title' at the end of a line takes the next line",
    hint: 'Write the title on the same line: `title Release` or `title: Release`.',
  },
  SEQ227: {
    severity: 'warning',
    summary: "mermaid: '%%' inside a text is text",
    hint: 'A `%%` comment must start its own line in mermaid; move it there.',
  },
  SEQ301: { severity: 'error', summary: 'undefined step', hint: 'Write a handler for it; `seqrun check` prints one to paste.' },
  SEQ302: { severity: 'error', summary: 'ambiguous step', hint: 'Make the expressions disjoint, or scope them with from/to/over.' },
  SEQ303: {
    severity: 'error',
    summary: 'a reply answers no call',
    hint: 'Move it right after its call, or register that call with s.job() if it runs in the background.',
  },
  SEQ304: {
    severity: 'warning',
    summary: 'a job nobody waits for',
    hint: 'Add a reply where the pipeline should wait for it; else it is joined at the end.',
  },
  SEQ305: {
    severity: 'error',
    summary: 'a handler no step uses',
    hint: 'Remove it, fix its expression, or pass --allow-unused when checking a subset of the diagrams.',
  },
  SEQ306: { severity: 'error', summary: "a parameter type's transformer threw", hint: 'Fix the parameter type transformer.' },
  SEQ310: {
    severity: 'error',
    summary: 'no config file',
    hint: 'Create seqrun.config.ts with `export default defineConfig({ bindings: [...] })`, or pass --config.',
  },
  SEQ311: {
    severity: 'error',
    summary: 'invalid config',
    hint: 'Fix the key the message names (unknown key, wrong type, unknown profile).',
  },
  SEQ312: { severity: 'error', summary: 'the config file failed to load', hint: 'Fix the error at the line the message names.' },
  SEQ313: { severity: 'error', summary: 'a binding module failed to load', hint: 'Fix the error at the line the message names.' },
  SEQ314: {
    severity: 'error',
    summary: 'a `bindings` glob matches nothing, or a module exports no steps (a warning)',
    hint: 'Fix the path or glob in `bindings`, or export `defineSteps(...)` from the module.',
  },
  SEQ315: { severity: 'error', summary: 'a parameter type defined twice', hint: 'Rename one of them or remove the duplicate.' },
  SEQ316: { severity: 'error', summary: 'an expression that does not compile', hint: 'Fix the Cucumber expression or regular expression.' },
  SEQ317: { severity: 'error', summary: 'an invalid parameter type', hint: 'Fix its name or regexp.' },
  SEQ318: { severity: 'error', summary: 'an invalid registration', hint: 'Fix the unknown option or give the missing handler.' },
  SEQ319: {
    severity: 'warning',
    summary: 'a `steps` override that addresses no checked step',
    hint: 'Use the exact step text or `file:line` (relative to the config), or remove it.',
  },
  SEQ325: {
    severity: 'error',
    summary: 'a participant that is not declared and is a near miss of one that is (a typo)',
    hint: 'Correct the name, or declare it with `participant Name` if it is a participant of its own.',
  },
  SEQ330: {
    severity: 'error',
    summary: 'an undefined block label (a `loop` text or a condition)',
    hint: 'Register a `loop` or `condition` handler for it; `seqrun check` prints one to paste.',
  },
  SEQ331: { severity: 'error', summary: 'an ambiguous block label', hint: 'Make the `loop` or `condition` expressions disjoint.' },
  SEQ332: {
    severity: 'error',
    summary: 'a deactivation (`-` or `deactivate`) with nothing active',
    hint: 'Activate the participant first (`A->>+B` or `activate B`), or remove the `-`.',
  },
  SEQ333: {
    severity: 'error',
    summary: 'an asynchronous call (`-)`) bound to a sync handler',
    hint: 'Register the call with s.job(), or draw it as a call (`->>`).',
  },
  SEQ350: {
    severity: 'error',
    summary: '`seqrun diff`: no default branch or merge base to compare with',
    hint: 'Give BASE explicitly (`seqrun diff origin/main`), or fetch the default branch with its history.',
  },
  SEQ351: {
    severity: 'error',
    summary: '`seqrun diff`: not a git work tree, or BASE is not a known ref',
    hint: 'Run it inside the repository and give a branch, tag or commit that exists there.',
  },
  SEQ352: {
    severity: 'error',
    summary: "`seqrun diff`: BASE's files could not be read from git",
    hint: 'Check that the commit is complete (not a shallow clone).',
  },
  SEQ353: {
    severity: 'warning',
    summary: '`seqrun diff`: the config or bindings at BASE did not load',
    hint: "BASE's steps are compared without their handlers; nothing to fix in the working tree.",
  },
  SEQ370: {
    severity: 'error',
    summary: '`seqrun export --to stepfunctions`: jobs whose lifetimes interleave without nesting',
    hint: 'Join the job started last before the one started first (move its reply up), or draw them in a par block.',
  },
  SEQ371: {
    severity: 'error',
    summary: '`seqrun export --to stepfunctions`: a job inside a block that nobody joins',
    hint: 'Add its reply inside the same block (mermaid: `B-->>-A: Success`), where the block should wait for it.',
  },
  // RUN001 was named before the catalogue; it stays as it is, since scripts may match on it.
  RUN001: {
    severity: 'error',
    summary: '`run` or `resume` given a file with several diagrams, or none',
    hint: 'Name one diagram: `file.md#slug`.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof CATALOGUE;
