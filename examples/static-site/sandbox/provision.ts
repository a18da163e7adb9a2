// `seqrun run --sandbox`: after the config's declared bucket is made, this makes the rest of what the
// release expects to find. On AWS these are the site's GitHub repository, the bucket's policy and the
// CDN; here: a local git remote with the site's sources tagged v1.9.0 and v1.10.0 (the newest by semver,
// not by text), a public-read policy on the bucket (the CDN's origin), and the CDN stand-in (cdn.ts).
// What it returns is added to the run's environment.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SandboxProvision } from 'seqrun';
import { startCdn } from './cdn.ts';

const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=Site CI', '-c', 'user.email=ci@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd });

/** A bare repository with the site's sources: two releases, tagged v1.9.0 and v1.10.0. */
async function pushSite(root: string, remote: string): Promise<void> {
  await mkdir(remote, { recursive: true });
  await git(remote, 'init', '--bare', '--quiet');
  const work = await mkdtemp(join(tmpdir(), 'site-'));
  try {
    await cp(join(root, 'site'), work, { recursive: true });
    await git(work, 'init', '--quiet');
    const releases: readonly (readonly [string, string])[] = [
      ['v1.9.0', 'The previous release.'],
      ['v1.10.0', 'The newest release.'],
    ];
    for (const [tag, note] of releases) {
      await writeFile(join(work, 'NOTES'), `${note}\n`);
      await git(work, 'add', '-A');
      await git(work, 'commit', '--quiet', '-m', `Release ${tag}`);
      await git(work, 'tag', tag);
    }
    await git(work, 'push', '--quiet', '--tags', remote, 'HEAD:refs/heads/main');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The bucket readable without credentials, as a website bucket behind a CDN is (moto takes it unsigned). */
async function publicRead(s3: string, bucket: string): Promise<void> {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  };
  const answer = await fetch(`${s3}/${bucket}?policy`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(policy),
  });
  if (!answer.ok) throw new Error(`setting the policy of bucket ${bucket} answered HTTP ${answer.status}`);
}

const provision: SandboxProvision = async (sandbox, ctx) => {
  const { bucket, prefix } = ctx.settings as { bucket: string; prefix: string };
  const s3 = sandbox.env['AWS_ENDPOINT_URL_S3'];
  if (s3 === undefined) throw new Error('the sandbox has no S3 (moto did not start)');
  const remote = join(sandbox.dir, 'github', 'www-example-org.git');
  await pushSite(ctx.root, remote);
  ctx.log('sandbox: pushed the site (v1.9.0, v1.10.0) to a local git remote');
  await publicRead(s3, bucket);
  const token = randomBytes(12).toString('hex');
  const cdn = await startCdn({ origin: `${s3}/${bucket}/${prefix}`.replace(/\/$/, ''), token });
  ctx.log(`sandbox: the CDN stand-in serves the site on ${cdn.url}`);
  return { SITE_GIT_REMOTE: remote, SITE_URL: cdn.url, CDN_API_URL: cdn.apiUrl, CDN_TOKEN: token };
};
export default provision;
