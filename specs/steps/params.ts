// Parameter types of the release diagrams: the architectures a step is for, and image tags.
import { defineSteps } from 'seqrun';
import { splitTags, TAG_LIST } from './support/tags.ts';

export type Arch = 'x86' | 'ARM';

export default defineSteps((s) => {
  // `(x86)`, `(ARM)`, `(ARM and x86)`, `(x86, ARM)`: one type, always a list.
  s.parameterType({
    name: 'arch',
    regexp: /\((?:x86|ARM)(?:(?:, | and )(?:x86|ARM))*\)/,
    transformer: (text) => text.slice(1, -1).split(/, | and /) as Arch[],
  });
  // `#build-release, #build-release-arm, latest`: known tag names only, so a typo is an undefined step.
  s.parameterType({ name: 'tags', regexp: TAG_LIST, transformer: (text) => splitTags(text), useForSnippets: false });
});
