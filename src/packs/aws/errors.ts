// Turns SDK errors into messages that say what went wrong and where, without leaking secrets.

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    message: string,
    readonly service: string,
    readonly operation: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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

/** Wraps an SDK call so that its failure names the service, operation, endpoint and cause. */
export async function callAws<T>(service: string, operation: string, endpoint: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeAwsError(error, service, operation, endpoint);
  }
}

export function describeAwsError(error: unknown, service: string, operation: string, endpoint: string): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  let message: string;
  if (NETWORK_CODES.has(code)) {
    message = `${service} ${operation}: cannot reach ${endpoint} (${code}). Is the endpoint running and the URL right?`;
  } else if (CREDENTIAL_CODES.has(code)) {
    message =
      `${service} ${operation} at ${endpoint} rejected the credentials (${code}: ${detail}). ` +
      'Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or the credentials in the config.';
  } else {
    message = `${service} ${operation} at ${endpoint} failed: ${code}: ${detail}`;
  }
  return new AwsCallError(message, service, operation, code, { cause: error });
}
