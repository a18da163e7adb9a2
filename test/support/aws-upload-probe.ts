// Child process for the AWS bench: uploads a git archive snapshot to S3 (mode `upload`) or only reads
// the archive stream (mode `archive`, the baseline), then prints {bytes, ms, maxRssBytes} as JSON.
// Run in its own process so that its peak RSS is the upload's alone.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createAwsClients } from '../../src/packs/aws/index.ts';
import { uploadSnapshot } from '../../src/packs/s3/index.ts';

const [mode, repoDir, s3Endpoint] = process.argv.slice(2);
if (repoDir === undefined) throw new Error('usage: aws-upload-probe.ts upload|archive REPO [S3_ENDPOINT]');

const started = performance.now();
let bytes = 0;
if (mode === 'upload') {
  const clients = createAwsClients({
    region: 'eu-west-1',
    endpoints: { s3: s3Endpoint ?? '' },
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const object = await uploadSnapshot(clients.s3, {
    repoDir,
    ref: 'HEAD',
    bucket: 'bench',
    key: 'sources/snapshot.zip',
    compressionLevel: 0,
  });
  bytes = object.bytes;
  clients.destroy();
} else {
  const git = spawn('git', ['archive', '--format=zip', '-0', 'HEAD'], { cwd: repoDir, stdio: ['ignore', 'pipe', 'inherit'] });
  git.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await new Promise((resolve) => git.once('close', resolve));
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ bytes, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
