/**
 * The custom messages between the extension and its language server, declared once and
 * imported by both sides. Plain names and types only: this module imports nothing of either.
 */

/** Request `trlCards/serverProcess`: which process serves (the extension's tests kill it to test restarts). */
export const SERVER_PROCESS_REQUEST = 'trlCards/serverProcess';

export interface ServerProcessResult {
  pid: number;
}
