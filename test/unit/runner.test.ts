/** A failing or cancelled request answers, and the server goes on (server/src/runner.ts). */
import * as assert from 'assert';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { attempt, runSafe } from '../../server/src/runner';

describe('runner', () => {
  it('logs an exception with its stack and answers the fallback', () => {
    const logs: string[] = [];
    const answer = runSafe((m) => logs.push(m), 'Hover', undefined, null, () => {
      throw new Error('boom');
    });
    assert.strictEqual(answer, null);
    assert.strictEqual(logs.length, 1);
    assert.match(logs[0], /^Hover failed: boom\nError: boom\n\s+at /);
  });

  it('logs a thrown value that is not an Error', () => {
    const logs: string[] = [];
    assert.deepStrictEqual(
      runSafe((m) => logs.push(m), 'Document symbols', undefined, [], () => {
        throw 'plain';
      }),
      [],
    );
    assert.deepStrictEqual(logs, ['Document symbols failed: plain']);
  });

  it('answers a cancelled request with the LSP cancellation error, without running it', () => {
    const source = new CancellationTokenSource();
    source.cancel();
    let ran = false;
    const answer = runSafe(() => undefined, 'Completion', source.token, null, () => (ran = true));
    assert.ok(answer instanceof ResponseError);
    assert.strictEqual(answer.code, LSPErrorCodes.RequestCancelled);
    assert.strictEqual(ran, false);
  });

  it('answers the value when nothing fails', () => {
    assert.strictEqual(runSafe(() => assert.fail('no log'), 'x', new CancellationTokenSource().token, 0, () => 42), 42);
    assert.strictEqual(attempt(() => assert.fail('no log'), 'x', () => 'ok', () => 'fallback'), 'ok');
    const logs: string[] = [];
    assert.strictEqual(attempt((m) => logs.push(m), 'Parsing', () => { throw new RangeError('deep'); }, () => 'fallback'), 'fallback');
    assert.match(logs[0], /^Parsing failed: deep/);
  });
});
