/**
 * The configuration store: the user's settings (the client's `trlCards` section) and the team
 * configurations (trl-cards.config.yaml), one per workspace folder — from disk, or from the
 * editor while the file is open there — and the settings each card is checked with.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, CONFIG_FILES, parseConfig, type LoadedConfig } from '../config';
import { MAX_CONFIG_FILE_BYTES } from '../limits';
import type { ValidationSettings } from '../services/diagnostics';
import { localDate } from '../text/date';
import type { CardFiles } from './runtime';

export interface Settings extends ValidationSettings {
  validate: { enable: boolean };
}

export const DEFAULT_SETTINGS: Settings = { validate: { enable: true }, rules: {} };

/** The extension's settings section, as the client sends it. */
export function readSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as { validate?: { enable?: unknown }; rules?: unknown; risk?: { mitigationThreshold?: unknown } };
  const enable = typeof r.validate?.enable === 'boolean' ? r.validate.enable : true;
  const rules: Settings['rules'] = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, value] of Object.entries(r.rules as Record<string, unknown>)) {
      if (value === 'off' || value === 'error' || value === 'warning' || value === 'information') rules[code] = value;
    }
  }
  const t = r.risk?.mitigationThreshold;
  return typeof t === 'number' && Number.isFinite(t) ? { validate: { enable }, rules, mitigationThreshold: t } : { validate: { enable }, rules };
}

export class ConfigurationStore {
  /** The user's settings. */
  settings: Settings = DEFAULT_SETTINGS;
  /** The workspace folders on disk (paths). */
  private roots: string[] = [];
  /** Each folder's team configuration, by the folder's path. */
  private readonly configs = new Map<string, LoadedConfig>();
  /** Team configuration files open in the editor, by URI. */
  readonly documents = new Map<string, TextDocument>();

  constructor(
    private readonly files: Pick<CardFiles, 'read'>,
    private readonly log: (message: string) => void,
    private readonly today: () => string = () => localDate(new Date()),
  ) {}

  setRoots(roots: readonly string[]): void {
    this.roots = [...roots];
  }

  /** How many folders have a team configuration. */
  get size(): number {
    return this.configs.size;
  }

  /** The folder a file belongs to (the longest root containing it). */
  rootOf(uri: string): string | undefined {
    const roots = this.roots;
    if (!uri.startsWith('file:')) return roots.length === 1 ? roots[0] : undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    let best: string | undefined;
    for (const r of roots) if ((file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) && (!best || r.length > best.length)) best = r;
    return best;
  }

  /** The settings for one card (the user's, over its folder's team configuration); the user's alone without a card. */
  settingsFor(uri: unknown): Settings {
    if (typeof uri !== 'string') return this.settings;
    const root = this.rootOf(uri);
    const config = root !== undefined ? this.configs.get(root)?.config : undefined;
    // Today's date for the targets rules, read at each request (a server may run past midnight).
    return { ...this.settings, ...(config ? { config } : {}), today: this.today() };
  }

  /** A configuration file at a folder's root (its folder), or undefined for any other file. */
  configRoot(uri: string): string | undefined {
    if (!CONFIG_FILE.test(uri) || !uri.startsWith('file:')) return undefined;
    const dir = path.dirname(fileURLToPath(uri));
    return this.roots.find((r) => path.resolve(r) === dir);
  }

  /** Reads a folder's configuration: the open document, else the first of CONFIG_FILES on disk. */
  async load(root: string): Promise<void> {
    for (const name of CONFIG_FILES) {
      const file = path.join(root, name);
      const open = this.documents.get(pathToFileURL(file).toString());
      if (open) {
        this.configs.set(root, parseConfig(open.getText()));
        return;
      }
      // Read like a card: never a pipe or a device, never more than the limit.
      const read = await this.files.read(file, { maxBytes: MAX_CONFIG_FILE_BYTES });
      if (read.error !== undefined) {
        if (!read.missing) this.log(`${file}: not read (${read.error}); the team configuration does not apply.`);
        continue;
      }
      const loaded = parseConfig(read.text);
      this.configs.set(root, loaded);
      if (loaded.problems.length) this.log(`${file}: ${loaded.problems.length} problem(s) in the team configuration; the valid rest applies.`);
      return;
    }
    this.configs.delete(root);
  }

  /** Every folder's configuration; true when any folder has one. */
  async loadAll(): Promise<boolean> {
    await Promise.all(this.roots.map((r) => this.load(r)));
    return this.configs.size > 0;
  }

  /** Files changed on disk: reloads the folders whose configuration they are; true when any was. */
  async filesChanged(uris: readonly string[]): Promise<boolean> {
    const roots = new Set(uris.map((u) => this.configRoot(u)).filter((r): r is string => r !== undefined));
    await Promise.all([...roots].map((r) => this.load(r)));
    return roots.size > 0;
  }

  /**
   * An open configuration file changed (or was opened): its folder's configuration now. True
   * when it is a folder's configuration (every card of the folder needs checking again).
   */
  edited(document: TextDocument): boolean {
    this.documents.set(document.uri, document);
    const root = this.configRoot(document.uri);
    if (root !== undefined) this.configs.set(root, parseConfig(document.getText()));
    return root !== undefined;
  }

  /** Applies an editor's changes to an open configuration file; undefined when it is not one. */
  change(uri: string, changes: TextDocumentContentChangeEvent[], version: number): TextDocument | undefined {
    const old = this.documents.get(uri);
    return old && TextDocument.update(old, changes, version);
  }

  /**
   * An open configuration file closed: the file on disk counts again. False when it was not
   * open, else when its folder's configuration is read again: true for a folder's configuration.
   */
  close(uri: string): false | Promise<boolean> {
    if (!this.documents.delete(uri)) return false;
    const root = this.configRoot(uri);
    return root === undefined ? Promise.resolve(false) : this.load(root).then(() => true);
  }
}
