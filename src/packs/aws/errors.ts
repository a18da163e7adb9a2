// Turns SDK errors into messages that say what went wrong and where, without leaking secrets.
import { SeqrunError } from '../../errors.ts';

/** `code`: the SDK's or the network's error code (`NoSuchKey`, `ECONNREFUSED`, ...). */
export class AwsCallError extends SeqrunError {
  override readonly name = 'AwsCallError';
  readonly service: string;
  readonly operation: string;
  constructor(message: string, service: string, operation: string, code: string, options?: ErrorOptions) {
    super(message, code, options);
    this.service = service;
    this.operation = operation;
  }
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** The service is busy: the request may be sent again after a while. */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/**
 * A failure that may pass by itself, so a long-lived caller (a worker, a follower) waits and tries again
 * rather than giving up: the network, no answer in time, throttling, or the service's own failure (5xx).
 * Anything else (credentials, access denied, a queue or execution that does not exist) will not pass.
 */
export function isPassing(error: unknown): boolean {
  const code = errorCode(error);
  if (NETWORK_CODES.has(code) || code === 'TimeoutError' || THROTTLING_CODES.has(code)) return true;
  const status = httpStatus(error);
  return status !== undefined && status >= 500;
}

/** The error code of an SDK or network error (`NoSuchKey`, `ECONNREFUSED`, ...). */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const e = error as { name?: unknown; code?: unknown; Code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner);
      if (NETWORK_CODES.has(code)) return code;
    }
  }
  if (e.cause !== undefined && e.cause !== error) {
    const inner = errorCode(e.cause);
    if (NETWORK_CODES.has(inner)) return inner;
  }
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : 'Error';
}

/** An endpoint named by the caller, or the SDK client whose configured endpoint names it. */
export type EndpointLike = string | { readonly config: { readonly endpoint?: unknown; readonly region?: unknown } };

/** `http://127.0.0.1:4566` for a configured endpoint, `AWS (eu-west-1)` when the SDK resolves it. */
export async function endpointName(target: EndpointLike): Promise<string> {
  if (typeof target === 'string') return target;
  try {
    const endpoint =
      typeof target.config.endpoint === 'function'
        ? ((await target.config.endpoint()) as { protocol?: string; hostname?: string; port?: number; path?: string })
        : undefined;
    if (endpoint?.hostname !== undefined) {
      const path = endpoint.path === undefined || endpoint.path === '/' ? '' : endpoint.path;
      return `${endpoint.protocol ?? 'https:'}//${endpoint.hostname}${endpoint.port === undefined ? '' : `:${endpoint.port}`}${path}`;
    }
    const region = typeof target.config.region === 'function' ? String(await target.config.region()) : 'default region';
    return `AWS (${region})`;
  } catch {
    return 'AWS';
  }
}

/** Wraps an SDK call so that its failure names the service, operation, endpoint and cause. */
export async function callAws<T>(service: string, operation: string, endpoint: EndpointLike, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeAwsError(error, service, operation, await endpointName(endpoint));
  }
}

function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** An error body the SDK could not parse (moto answers auth failures on JSON services with XML). */
function isUnreadable(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.message.includes('Deserialization error'));
}

export function describeAwsError(error: unknown, service: string, operation: string, endpoint: string): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  let message: string;
  if (NETWORK_CODES.has(code)) {
    message = `${service} ${operation}: cannot reach ${endpoint} (${code}). Is the endpoint running and the URL right?`;
  } else if (code === 'TimeoutError') {
    // What the HTTP handler says, without its own name and its note on where the timeout was set.
    const what = detail
      .replace(/^@smithy\/node-http-handler - /, '')
      .replace(/ \((configured by client requestHandler|service default socket timeout)\)/, '')
      .replace(/\.$/, '');
    message = `${service} ${operation}: no answer from ${endpoint} (${what}). Is the endpoint up and answering?`;
  } else if (CREDENTIAL_CODES.has(code) || (httpStatus(error) === 403 && isUnreadable(error))) {
    message =
      `${service} ${operation} at ${endpoint} rejected the credentials (${CREDENTIAL_CODES.has(code) ? `${code}: ${detail}` : 'HTTP 403 Forbidden'}). ` +
      'Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or the credentials in the config.';
  } else {
    message = `${service} ${operation} at ${endpoint} failed: ${code}: ${detail}`;
  }
  return new AwsCallError(message, service, operation, code, { cause: error });
}
