// The one error of journal stores and leases. Its code says what went wrong; the message says where
// (the bucket, the key) and what to do.
import { SeqrunError } from '../errors.ts';

/** Every code a JournalStoreError carries (the worker thread's errors are mapped back onto these). */
export const JOURNAL_STORE_CODES = [
  'BAD_LOCATION',
  'UNREACHABLE',
  'ACCESS_DENIED',
  'NO_SUCH_BUCKET',
  'CORRUPT',
  'LEASE_HELD',
  'LEASE_LOST',
] as const;

export type JournalStoreCode = (typeof JOURNAL_STORE_CODES)[number];

export class JournalStoreError extends SeqrunError {
  override readonly name = 'JournalStoreError';
  declare readonly code: JournalStoreCode;

  constructor(message: string, code: JournalStoreCode, options?: ErrorOptions) {
    super(message, code, options);
  }
}
