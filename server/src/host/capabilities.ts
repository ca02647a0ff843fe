/**
 * What the client takes, from its capabilities (LSP 3.17/3.18), as plain options, and what the
 * server offers in return. The services never see LSP's capability objects.
 */
import type { ClientCapabilities, ServerCapabilities } from 'vscode-languageserver-protocol';
import type { ClientSupport } from '../languageService';
import { FIX_ALL_KIND } from '../services/codeActions';

export interface ClientOptions {
  /** Pull diagnostics (else pushed). */
  pull: boolean;
  support: ClientSupport;
  /** `workspace/configuration`, and registering for configuration changes. */
  configurationPull: boolean;
  configurationRegistration: boolean;
  /** The client watches files for the server (else the server watches the folders itself). */
  watcherRegistration: boolean;
  /** LocationLink for definitions; versioned edits for rename; code actions as literals. */
  definitionLinks: boolean;
  documentChanges: boolean;
  codeActionLiterals: boolean;
}

/**
 * Pull diagnostics only with `workspace.diagnostics.refreshSupport`: without it, cross-card
 * changes could never reach the client, so such a client (Neovim before 0.12, Eglot) gets pushed
 * diagnostics. A pulling client may declare `relatedInformation` and `dataSupport` on either
 * capability (3.18 moved them to a shared base of both).
 */
export function clientSupport(caps: ClientCapabilities): { pull: boolean; support: ClientSupport } {
  const td = caps.textDocument ?? {};
  const pull = !!td.diagnostic && !!caps.workspace?.diagnostics?.refreshSupport;
  const publish = td.publishDiagnostics ?? {};
  const pulled = pull ? (td.diagnostic ?? {}) : {};
  return {
    pull,
    support: {
      data: !!(publish.dataSupport || pulled.dataSupport),
      relatedInformation: !!(publish.relatedInformation || pulled.relatedInformation),
      snippetSupport: !!td.completion?.completionItem?.snippetSupport,
      hoverMarkdown: !!td.hover?.contentFormat?.includes('markdown'),
      documentationMarkdown: !!td.completion?.completionItem?.documentationFormat?.includes('markdown'),
    },
  };
}

export function clientOptions(caps: ClientCapabilities): ClientOptions {
  return {
    ...clientSupport(caps),
    configurationPull: !!caps.workspace?.configuration,
    configurationRegistration: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    watcherRegistration: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    definitionLinks: !!caps.textDocument?.definition?.linkSupport,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    codeActionLiterals: !!caps.textDocument?.codeAction?.codeActionLiteralSupport,
  };
}

/** TextDocumentSyncKind.Incremental. */
const INCREMENTAL = 2;

export function serverCapabilities(pull: boolean): ServerCapabilities {
  return {
    textDocumentSync: INCREMENTAL,
    completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false },
    hoverProvider: true,
    documentSymbolProvider: { label: 'TRL card' },
    foldingRangeProvider: true,
    documentLinkProvider: { resolveProvider: false },
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    workspaceSymbolProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND, 'refactor.graduate'] },
    codeLensProvider: { resolveProvider: false },
    ...(pull ? { diagnosticProvider: { identifier: 'trl', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
  };
}

/** A small card touching every rule's code path; checked once at start-up (the first card opened does not pay for compiling the checks). */
export const WARM_UP_CARD = `technology: Warm-up
id: WARM-1
version: "1.0"
level: 9
owners:
  rnd: { owner: A, reviewers: [B] }
requirements:
  - id: "1"
    kind: product
    text: x
    verification: x
    validation: x
    p_failure: 2
    value: 3
    risk: 1
  - id: "1"
    kind: reserch
data:
  datasets:
    - name: d
      simulated: true
unknown: 1
history:
  - level: 1
    date: 2020-01-01
`;
