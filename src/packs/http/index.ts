// The HTTP pack: "call this endpoint" and "poll until healthy" steps, with retries, time limits and
// credentials kept out of messages.
export { httpRequest, HttpError, shownHeaders, shownUrl } from './request.ts';
export type { HttpRequest, HttpResponse } from './request.ts';
export { pollUrl, urlJob } from './poll-url.ts';
export type { Until, UrlJobHandle, UrlJobOptions } from './poll-url.ts';
