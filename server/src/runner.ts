/** Keeps one failing request from taking the server down (after vscode's json server runner). */
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** The answer to a request the client cancelled: the LSP cancellation error. */
export function cancelled(): ResponseError<undefined> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export function runSafe<T>(log: (message: string) => void, what: string, token: CancellationToken | undefined, fallback: T, fn: () => T): T | ResponseError<undefined> {
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
