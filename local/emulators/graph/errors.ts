/**
 * Graph's error contract: every failure is `{ error: { code, message, innerError } }` with a
 * status. Handlers throw `GraphHttpError`; the dispatcher turns it (and anything unexpected)
 * into that body, so no route can answer with a bare stack trace.
 */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(
  code: string,
  message: string,
  requestId: string,
  clientRequestId: string,
  now: Date,
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

export const notFound = (what = 'The specified object was not found in the store.') =>
  new GraphHttpError(404, 'ErrorItemNotFound', what);

export const badRequest = (code: string, message: string) => new GraphHttpError(400, code, message);
