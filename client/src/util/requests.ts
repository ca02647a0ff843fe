/** Sending the custom requests declared in protocol/ (protocol/methods.ts), typed by them. */
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { Request } from '../../../protocol/methods';

/** Sends `request` with `params`: the answer's type is the request's. */
export function sendRequest<P, R>(client: BaseLanguageClient, request: Request<P, R>, params: P): Promise<R> {
  return params === undefined ? client.sendRequest<R>(request.method) : client.sendRequest<R>(request.method, params);
}
