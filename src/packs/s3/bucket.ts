// Buckets for snapshots must be versioned: the object's VersionId is what CodeBuild builds.
import type { S3Client } from '@aws-sdk/client-s3';
import { callAws, describeAwsError, endpointName, errorCode } from '../aws/errors.ts';
import { s3Sdk } from '../aws/sdk.ts';

/** Creates the bucket if missing and turns versioning on (idempotent). */
export async function ensureVersionedBucket(s3: S3Client, bucket: string, endpoint?: string): Promise<void> {
  const { CreateBucketCommand, PutBucketVersioningCommand } = s3Sdk();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') {
      throw describeAwsError(error, 'S3', 'CreateBucket', await endpointName(endpoint ?? s3));
    }
  }
  await callAws('S3', 'PutBucketVersioning', endpoint ?? s3, () =>
    s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })),
  );
}
