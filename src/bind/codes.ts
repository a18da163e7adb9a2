// Names for the bind stage's codes (SEQ3xx); the codes themselves live in the one catalogue.
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';

export const BindCode = {
  undefinedStep: 'SEQ301',
  ambiguousStep: 'SEQ302',
  replyAnswersNothing: 'SEQ303',
  jobNeverJoined: 'SEQ304',
  unusedHandler: 'SEQ305',
  argumentFailed: 'SEQ306',
  configNotFound: 'SEQ310',
  configInvalid: 'SEQ311',
  configLoadFailed: 'SEQ312',
  bindingLoadFailed: 'SEQ313',
  bindingNotFound: 'SEQ314',
  duplicateParameterType: 'SEQ315',
  invalidExpression: 'SEQ316',
  invalidParameterType: 'SEQ317',
  invalidRegistration: 'SEQ318',
  unusedOverride: 'SEQ319',
  undefinedBlockLabel: 'SEQ330',
  ambiguousBlockLabel: 'SEQ331',
  nothingActive: 'SEQ332',
  asyncCallNotJob: 'SEQ333',
} as const satisfies Readonly<Record<string, DiagnosticCode>>;
