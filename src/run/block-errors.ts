// Run-time errors of mermaid blocks: a label's handler that threw or answered nonsense, a loop that
// reached its bound. Each names the label's file, line and column and what to do.
import { SeqrunError } from '../errors.ts';

/** A condition or loop handler threw, or a condition answered other than true or false. */
export class BlockLabelError extends SeqrunError {
  override readonly name = 'BlockLabelError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'RUN002', options);
  }
}

/** A loop handler returned neither an iterable nor a guard function. */
export class LoopAnswerInvalid extends SeqrunError {
  override readonly name = 'LoopAnswerInvalid';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'RUN003', options);
  }
}

/** A loop's items or guard went past its `maxIterations`. */
export class LoopBoundReached extends SeqrunError {
  override readonly name = 'LoopBoundReached';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'RUN004', options);
  }
}

/** A refused call (`-x`) whose handler succeeded. */
export class RefusalExpected extends SeqrunError {
  override readonly name = 'RefusalExpected';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'RUN005', options);
  }
}
