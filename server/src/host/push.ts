/**
 * Diagnostics for the client, pulled or pushed. A pulling client (`textDocument/diagnostic` with
 * `workspace/diagnostic/refresh`) is asked to pull again when other cards may have changed. A
 * client that takes pushes gets them after the event loop has seen every queued edit: the
 * changes of one turn to a card give one push, of its latest version.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { attempt } from '../runner';
import type { Disposable, Timers } from './runtime';

export interface DiagnosticsTarget {
  /** An open card's version and diagnostics now (may throw), or undefined when it is not open. */
  current(uri: string): { version: number; diagnostics: () => Diagnostic[] } | undefined;
  /** The open cards, and the open team configuration files with their own problems. */
  cards(): Iterable<string>;
  configurations(): Iterable<{ uri: string; version: number; diagnostics: () => Diagnostic[] }>;
  /** `textDocument/publishDiagnostics`. */
  send(params: { uri: string; version?: number; diagnostics: Diagnostic[] }): void;
  /** `workspace/diagnostic/refresh`. */
  refresh(): void;
}

export class DiagnosticsScheduler {
  /** The client pulls (else it gets pushes); known from `initialize`. */
  pull = false;
  private readonly pending = new Map<string, Disposable>();

  constructor(
    private readonly timer: Timers,
    private readonly target: DiagnosticsTarget,
    private readonly log: (message: string) => void,
  ) {}

  /** Push mode: publishes a card's diagnostics once this turn's queued events are handled. */
  schedule(uri: string): void {
    if (this.pull) return;
    this.pending.get(uri)?.dispose();
    this.pending.set(
      uri,
      this.timer.setImmediate(() => {
        this.pending.delete(uri);
        const current = this.target.current(uri);
        if (!current) return;
        const diagnostics = attempt(this.log, 'Validation', current.diagnostics, () => []);
        this.target.send({ uri, version: current.version, diagnostics });
      }),
    );
  }

  /** Push mode: publishes now (a team configuration's own problems; none for a closed file). */
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    if (!this.pull) this.target.send(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  /** A card closed: nothing pending for it, and (push mode) its problems cleared. */
  closed(uri: string): void {
    this.pending.get(uri)?.dispose();
    this.pending.delete(uri);
    this.publish(uri, undefined, []);
  }

  /** Cards that depend on a changed card: checked again. */
  recheck(uris: Iterable<string>): void {
    const all = new Set(uris);
    if (all.size === 0) return;
    if (this.pull) this.target.refresh();
    else all.forEach((uri) => this.schedule(uri));
  }

  /** Settings or configurations changed: every open card and configuration file checked again. */
  refreshAll(): void {
    if (this.pull) return this.target.refresh();
    for (const uri of this.target.cards()) this.schedule(uri);
    for (const c of this.target.configurations()) this.publish(c.uri, c.version, c.diagnostics());
  }
}
