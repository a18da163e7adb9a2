// The registry pack: OCI distribution API (Docker Hub, ECR's registry, any v2 registry).
export { RegistryClient, RegistryError } from './client.ts';
export type { RegistryClientOptions, RetrySettings } from './client.ts';
export type { RegistryAuth } from './auth.ts';
export { RegistryAuthError, parseChallenge } from './auth.ts';
export { DigestMismatchError } from './content.ts';
export { copyImage, pushLayout, resolveDigest, tagImage } from './operations.ts';
export type { ImageLocation, PushResult } from './operations.ts';
export type { CopyStats } from './copy.ts';
