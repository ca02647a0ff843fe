/** Keeps one failing request from taking the server down (after vscode's json server runner). */
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export function runSafe<T>(log: (message: string) => void, what: string, token: CancellationToken | undefined, fallback: T, fn: () => T): T | ResponseError<undefined> {
  if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
  try {
    return fn();
  } catch (err) {
    const detail = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    log(`${what} failed: ${detail}`);
    return fallback;
  }
}
