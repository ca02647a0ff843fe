/**
 * How the custom requests and notifications are declared: each once, in protocol/, as a typed
 * object under the one prefix `trlCards/`, read by both sides (the server registers its handler
 * with it, the client sends it), so that the method, its parameters and its answer cannot
 * disagree. Plain objects: this module imports nothing.
 */

/** The one prefix of every custom method. */
export const METHOD_PREFIX = 'trlCards/';

/** A custom request: its method, and (as types only) its parameters and its answer. */
export interface Request<P, R> {
  readonly method: string;
  /** Never set: carries the parameters' and the answer's types. */
  readonly types?: { params: P; result: R };
}

/** A custom notification: its method, and (as a type only) its parameters. */
export interface Notification<P> {
  readonly method: string;
  /** Never set: carries the parameters' type. */
  readonly types?: { params: P };
}

/** The request `trlCards/<name>`. */
export function request<P, R>(name: string): Request<P, R> {
  return { method: METHOD_PREFIX + name };
}

/** The notification `trlCards/<name>`. */
export function notification<P = void>(name: string): Notification<P> {
  return { method: METHOD_PREFIX + name };
}
