// The AWS SDK packages load on first use, not when a pack module is imported: binding modules import
// the packs, and `seqrun check` / `plan` / `run --dry-run` load bindings but never call AWS (loading
// the four clients and lib-storage cost ~300 ms of every start). The packages are CommonJS without an
// exports map, so a synchronous require loads the very module a static import would, and callers keep
// their synchronous shape (createAwsClients). Types stay static imports.
import { createRequire } from 'node:module';
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import type * as CodeBuild from '@aws-sdk/client-codebuild';
import type * as Ecr from '@aws-sdk/client-ecr';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Storage from '@aws-sdk/lib-storage';

const load = createRequire(import.meta.url);

export const cloudWatchLogsSdk = (): typeof CloudWatchLogs => load('@aws-sdk/client-cloudwatch-logs') as typeof CloudWatchLogs;
export const codeBuildSdk = (): typeof CodeBuild => load('@aws-sdk/client-codebuild') as typeof CodeBuild;
export const ecrSdk = (): typeof Ecr => load('@aws-sdk/client-ecr') as typeof Ecr;
export const s3Sdk = (): typeof S3 => load('@aws-sdk/client-s3') as typeof S3;
export const storageSdk = (): typeof Storage => load('@aws-sdk/lib-storage') as typeof Storage;
