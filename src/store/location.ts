// Where a run's journal lives: the project's `.seqrun/runs` (the default) or `s3://bucket/prefix`.
import { JournalStoreError } from './errors.ts';

export interface S3Location {
  readonly bucket: string;
  /** '' or a prefix without leading or trailing slashes. */
  readonly prefix: string;
}

/** The S3 location `url` names; a JournalStoreError (BAD_LOCATION) saying what is wrong and what to write otherwise. */
export function parseS3Location(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match)
    throw new JournalStoreError(`'${url}' is not an S3 journal location; write s3://BUCKET or s3://BUCKET/PREFIX`, 'BAD_LOCATION');
  const bucket = match[1] as string;
  // Bucket naming rules (the ones a typo breaks): lower-case letters, digits, dots and hyphens, 3-63.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new JournalStoreError(
      `'${bucket}' in ${url} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)`,
      'BAD_LOCATION',
    );
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '.' || part === '..')) {
    throw new JournalStoreError(`the prefix of ${url} has a '.' or '..' part; name a plain folder-like prefix`, 'BAD_LOCATION');
  }
  return { bucket, prefix };
}

export function locationUrl(location: S3Location): string {
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
}

/** The object keys of the S3 layout (docs/semantics.md, "The journal in S3"). */
export const s3Keys = {
  root: (l: S3Location): string => (l.prefix ? `${l.prefix}/` : ''),
  runs: (l: S3Location): string => `${s3Keys.root(l)}runs/`,
  latest: (l: S3Location): string => `${s3Keys.root(l)}runs/latest`,
  segments: (l: S3Location, runId: string): string => `${s3Keys.root(l)}runs/${runId}/journal/`,
  segment: (l: S3Location, runId: string, seq: number): string => `${s3Keys.segments(l, runId)}${String(seq).padStart(8, '0')}.ndjson`,
  lease: (l: S3Location, key: string): string => `${s3Keys.root(l)}leases/${key}.json`,
};
