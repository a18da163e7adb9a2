// GetAuthorizationToken: the user name and password for `docker login` / skopeo against ECR.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { callAws, endpointName } from '../aws/errors.ts';
import { ecrSdk } from '../aws/sdk.ts';

export interface RegistryLogin {
  readonly username: string;
  /** A secret: pass it through ctx.secret() before it can reach a log. */
  readonly password: string;
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com` */
  readonly registry: string;
  readonly expiresAt: Date | undefined;
}

export async function getRegistryLogin(ecr: ECRClient, endpoint?: string): Promise<RegistryLogin> {
  const { GetAuthorizationTokenCommand } = ecrSdk();
  const output = await callAws('ECR', 'GetAuthorizationToken', endpoint ?? ecr, () => ecr.send(new GetAuthorizationTokenCommand({})));
  const data = output.authorizationData?.[0];
  if (data?.authorizationToken === undefined)
    throw new Error(`ECR GetAuthorizationToken at ${await endpointName(endpoint ?? ecr)} returned no token`);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new Error(`ECR GetAuthorizationToken at ${await endpointName(endpoint ?? ecr)} returned a token that is not "user:password"`);
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    registry: data.proxyEndpoint ?? '',
    expiresAt: data.expiresAt,
  };
}
