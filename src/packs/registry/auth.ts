// Registry authentication: the WWW-Authenticate challenge flow of the distribution spec.
// Basic: credentials on every request after a Basic challenge. Bearer: a token fetched from the realm
// (with the credentials, when there are any) for the scopes the request needs, cached per scope set.
import { SeqrunError } from '../../errors.ts';

export type RegistryAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** A static token (e.g. from a CI secret), sent as `Bearer <token>`. */
  | { readonly kind: 'token'; readonly token: string };

export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `Bearer realm="https://auth",service="registry",scope="repository:a:pull"`. */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match?.[1]) return null;
  const params: Record<string, string> = {};
  const pattern = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of (match[2] ?? '').matchAll(pattern)) {
    if (p[1]) params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1].toLowerCase(), params };
}

export class RegistryAuthError extends SeqrunError {
  override readonly name = 'RegistryAuthError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'REGISTRY_AUTH', options);
  }
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Fetches a bearer token from the challenge's realm for `scopes`. */
export async function fetchToken(
  challenge: Challenge,
  scopes: readonly string[],
  auth: RegistryAuth | undefined,
  fetchFn: typeof fetch,
): Promise<string> {
  const realm = challenge.params['realm'];
  if (!realm) throw new RegistryAuthError('the registry asked for a Bearer token without a realm; check the registry URL');
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  const all = new Set(scopes);
  if (challenge.params['scope']) for (const s of challenge.params['scope'].split(' ')) all.add(s);
  for (const scope of all) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (auth?.kind === 'basic') headers['authorization'] = basicHeader(auth.username, auth.password);
  const response = await fetchFn(url, { headers });
  if (!response.ok) {
    await response.body?.cancel();
    throw new RegistryAuthError(
      `the token service ${url.origin}${url.pathname} refused (${response.status}) for ${[...all].join(' ')}; check the registry credentials`,
    );
  }
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new RegistryAuthError(`the token service ${url.origin}${url.pathname} answered without a token`);
  return token;
}
