import { defineConfig } from 'seqrun/config';

export default defineConfig({
  // The binding modules: every arrow and note of docs/release.md is bound to a handler in them.
  bindings: ['steps/*.ts'],
  // The diagrams `seqrun check` checks when it is given no path.
  specs: ['docs/release.md'],
  // The run's inputs: `seqrun plan` lists them; a missing or malformed value stops the run before it starts.
  vars: {
    version: {
      description: 'the release to publish, e.g. 1.10.0 (default: the newest vX.Y.Z tag)',
      pattern: '\\d+\\.\\d+\\.\\d+',
    },
    channel: { description: 'the Slack channel told of the release', pattern: '#[a-z0-9_-]+', default: '#site-releases' },
  },
  // Masked wherever they appear (names with TOKEN are masked anyway; said here so nobody renames it unmasked).
  secrets: ['CDN_TOKEN'],
  // What the handlers read as ctx.config. The site's git remote, the CDN's API and the site's URL come
  // from the environment (SITE_GIT_REMOTE, CDN_API_URL, SITE_URL), so the same bindings release for real
  // and in the sandbox.
  settings: { bucket: 'www-example-org', prefix: 'site/' },
  // `seqrun run --sandbox`: the bucket is made in the fresh sandbox, then sandbox/provision.ts pushes the
  // site's sources to a local git remote and starts the CDN stand-in.
  sandbox: { buckets: ['www-example-org'], provision: 'sandbox/provision.ts' },
});
