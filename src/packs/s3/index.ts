export { uploadSnapshot, type SnapshotUploadInput, type SnapshotObject } from './snapshot.ts';
export { ensureVersionedBucket } from './bucket.ts';
export { uploadFolder, type FolderUploadInput, type FolderUploadResult } from './folder.ts';
