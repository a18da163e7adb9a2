export { uploadSnapshot, type SnapshotUploadInput, type SnapshotObject } from './snapshot.ts';
export { ensureVersionedBucket } from './bucket.ts';
