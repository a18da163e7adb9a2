// Formatting is `seqrun fmt`: the document's text through formatSource, sent back as the one edit
// that covers what changed (the unchanged start and end are left alone, so the cursor stays put).
import type { TextEdit } from 'vscode-languageserver';
import { LineIndex } from '../diagnostics/lines.ts';
import { formatSource } from '../syntax/printer.ts';

export function formattingEdits(text: string, file: string): TextEdit[] {
  const formatted = formatSource(text, file);
  if (formatted === text) return [];
  let start = 0;
  while (start < text.length && start < formatted.length && text[start] === formatted[start]) start++;
  let end = 0;
  while (
    end < text.length - start &&
    end < formatted.length - start &&
    text[text.length - 1 - end] === formatted[formatted.length - 1 - end]
  )
    end++;
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const p = lines.position(offset);
    return { line: p.line - 1, character: p.column - 1 };
  };
  return [{ range: { start: at(start), end: at(text.length - end) }, newText: formatted.slice(start, formatted.length - end) }];
}
