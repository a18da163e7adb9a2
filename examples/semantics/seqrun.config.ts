// The examples of docs/semantics.md ("Each block and arrow, run"): one small diagram per block or
// arrow, all bound by steps.ts. test/docs/semantics-examples.test.ts runs each and keeps the page true.
import { defineConfig } from 'seqrun';

export default defineConfig({
  bindings: ['steps.ts'],
});
