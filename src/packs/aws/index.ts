export { createAwsClients, resolveAwsConfig, type AwsClients, type AwsConfig, type AwsCredentials, type AwsEndpoints } from './clients.ts';
export { AwsCallError, callAws, describeAwsError, endpointName, type EndpointLike, errorCode } from './errors.ts';
