// The website's release (docs/release.md), one handler per step, each a few lines over a pack: git
// (the newest semver tag), shell (the build), s3 (the built folder), job and http (the CDN's
// invalidation and the smoke test), slack. Where the site's repository, the CDN and the site are comes
// from the environment, so the same bindings release for real and in the sandbox.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineSteps, type HandlerContext } from 'seqrun';
import { createAwsClients } from 'seqrun/packs/aws';
import { fetchRelease } from 'seqrun/packs/git';
import { httpRequest, urlJob } from 'seqrun/packs/http';
import { pollingJob } from 'seqrun/packs/job';
import { uploadFolder } from 'seqrun/packs/s3';
import { runCommand } from 'seqrun/packs/shell';
import { createSlackClient, escapeMrkdwn, postMessage } from 'seqrun/packs/slack';

/** What the steps hand on to each other (ctx.state, journaled). */
interface Release {
  workspace?: string;
  version?: string;
}
type Ctx = HandlerContext<Release>;

/** An environment variable the step cannot do without. */
function required(ctx: Ctx, name: string): string {
  const value = ctx.env[name];
  if (!value) throw new Error(`${name} is not set: export it (seqrun run --sandbox sets it from sandbox/provision.ts)`);
  return value;
}

const setting = (ctx: Ctx, name: 'bucket' | 'prefix'): string => String(ctx.config[name] ?? '');
const workspace = (ctx: Ctx): string => ctx.state.workspace ?? join('.seqrun', 'work', ctx.runId);
const cdnHeaders = (ctx: Ctx) => ({ authorization: `Bearer ${required(ctx, 'CDN_TOKEN')}` });

export default defineSteps<Release>((s) => {
  s.call('Fetch the newest release tag', { from: 'CI', to: 'GitHub' }, async (ctx) => {
    const asked = ctx.vars['version'];
    const release = await fetchRelease({
      remote: required(ctx, 'SITE_GIT_REMOTE'),
      workspace: workspace(ctx),
      ref: asked ? { tag: `v${asked}` } : { tagScheme: { kind: 'semver' } },
      env: ctx.env,
      signal: ctx.signal,
      log: ctx.log,
    });
    ctx.state.workspace = release.workspace;
    ctx.state.version = asked ?? release.version;
    return { tag: release.tag, commit: release.sha };
  });

  s.call('Build the site', { from: 'CI', to: 'CI' }, async (ctx) => {
    await runCommand({ command: ['sh', 'build.sh', ctx.state.version ?? ''], cwd: workspace(ctx), signal: ctx.signal, log: ctx.log });
  });

  s.expect('The build has an index page', { over: 'CI' }, async (ctx) => {
    const page = await readFile(join(workspace(ctx), 'dist', 'index.html'), 'utf8');
    if (!page.includes(`content="${ctx.state.version}"`)) throw new Error(`dist/index.html is not version ${ctx.state.version}`);
  });

  s.call('Upload the site to the bucket', { from: 'CI', to: 'S3' }, async (ctx) => {
    const aws = createAwsClients({ env: ctx.env });
    try {
      const result = await uploadFolder(aws.s3, {
        dir: join(workspace(ctx), 'dist'),
        bucket: setting(ctx, 'bucket'),
        prefix: setting(ctx, 'prefix'),
        // Pages are revalidated; everything else may be cached for a year.
        cacheControl: (path) => (path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000'),
        signal: ctx.signal,
      });
      return { uploaded: result.uploaded.length, unchanged: result.unchanged.length };
    } finally {
      aws.destroy();
    }
  });

  s.job(
    'Invalidate the cached pages',
    { from: 'CI', to: 'CDN' },
    pollingJob<{ id: string }, { status: string }>({
      start: async (ctx) => {
        const api = required(ctx, 'CDN_API_URL');
        const answer = await httpRequest({
          url: `${api}/invalidations`,
          method: 'POST',
          body: { paths: ['/*'] },
          headers: cdnHeaders(ctx),
          signal: ctx.signal,
        });
        return { id: String((JSON.parse(answer.text) as { id: string }).id) };
      },
      poll: async (ctx, { id }) => {
        const api = required(ctx, 'CDN_API_URL');
        const answer = await httpRequest({
          url: `${api}/invalidations/${encodeURIComponent(id)}`,
          headers: cdnHeaders(ctx),
          signal: ctx.signal,
        });
        const { status } = JSON.parse(answer.text) as { status: string };
        return status === 'Completed' ? { done: true, value: { status } } : { done: false, status };
      },
      describe: ({ id }) => `invalidation ${id}`,
      intervalMs: 250,
      maxIntervalMs: 2000,
      timeoutMs: 600_000,
    }),
  );

  s.job(
    'Smoke test the home page',
    { from: 'CI', to: 'Site' },
    urlJob({ request: (ctx) => ({ url: `${required(ctx, 'SITE_URL')}/` }), intervalMs: 250, maxIntervalMs: 2000, timeoutMs: 300_000 }),
  );

  s.reply('The new version is live', { from: 'Site', to: 'CI' }, (ctx) => {
    const page = (ctx.result as { body: string }).body;
    if (!page.includes(`content="${ctx.state.version}"`)) throw new Error(`the site does not serve version ${ctx.state.version} yet`);
  });

  s.call('Announce the release', { from: 'CI', to: 'Slack' }, async (ctx) => {
    const apiUrl = ctx.env['SEQRUN_SLACK_API_URL'];
    const client = createSlackClient({ token: required(ctx, 'SLACK_BOT_TOKEN'), ...(apiUrl ? { slackApiUrl: apiUrl } : {}), log: ctx.log });
    const report = ctx.run.reportUrl ? ` (<${ctx.run.reportUrl}|the run>)` : '';
    const text = `www.example.org ${escapeMrkdwn(ctx.state.version ?? '')} is live${report}`;
    return postMessage(client, ctx.vars['channel'] ?? '#site-releases', { text, blocks: [] }, { signal: ctx.signal, log: ctx.log });
  });
});
