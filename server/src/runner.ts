/** Keeps one failing request from taking the server down (after vscode's json server runner). */
import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { Notification, Request } from '../../protocol/methods';

/** The answer to a request the client cancelled: the LSP cancellation error. */
export function cancelled(): ResponseError<undefined> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export function runSafe<T>(
  log: (message: string) => void,
  what: string,
  token: CancellationToken | undefined,
  fallback: T,
  fn: () => T,
): T | ResponseError<undefined> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    return fn();
  } catch (err) {
    const detail = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    log(`${what} failed: ${detail}`);
    return fallback;
  }
}

/** Runs `fn`; on an exception, logs it and returns `fallback()` instead. */
export function attempt<T>(log: (message: string) => void, what: string, fn: () => T, fallback: () => T): T {
  try {
    return fn();
  } catch (err) {
    log(`${what} failed: ${err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err)}`);
    return fallback();
  }
}

/** A request refused, with a message for the user: bad params, a request that cannot be made here, or cards that kept changing. */
export function refused(kind: 'invalidParams' | 'invalidRequest' | 'contentModified', message: string): ResponseError<undefined> {
  const code = kind === 'invalidParams' ? ErrorCodes.InvalidParams : kind === 'invalidRequest' ? ErrorCodes.InvalidRequest : LSPErrorCodes.ContentModified;
  return new ResponseError(code, message);
}

/**
 * Whether a custom request was cancelled. Its token comes after its params, or alone when a
 * client sent none (vscode-jsonrpc then passes the token first).
 */
export function isCancelled(params: unknown, token?: CancellationToken): boolean {
  const t = token ?? (CancellationToken.is(params) ? params : undefined);
  return t?.isCancellationRequested === true;
}

/** An error answer to a request. */
export type RequestError = ResponseError<undefined>;

/** A handler of a custom request: its answer, or an error (cancelled, refused). */
export type RequestHandler<P, R> = (params: P, token?: CancellationToken) => R | ResponseError<undefined> | Promise<R | ResponseError<undefined>>;

/** Registers the handler of a custom request declared in protocol/: its types are the request's. */
export function onRequest<P, R>(connection: Connection, request: Request<P, R>, handler: RequestHandler<P, R>): void {
  connection.onRequest(request.method, handler as (params: unknown, token: CancellationToken) => unknown);
}

/** Sends a custom notification declared in protocol/ (a notification of a closed connection is dropped). */
export function sendNotification<P>(connection: Connection, notification: Notification<P>, ...params: P extends void ? [] : [P]): void {
  void connection.sendNotification(notification.method, ...params).catch(() => undefined);
}
