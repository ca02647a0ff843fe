/**
 * Entry of dist/server.js, the package bin `trl-cards-language-server`: speaks LSP over stdio
 * by default (what Neovim, Eglot and Helix start), or `--node-ipc` (as the VS Code client starts it).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { version } from 'virtual:package';
import { startServer } from './server';
import { CARD_NAMES } from '../../protocol/cardFile';

const SERVER_USAGE = `Usage: trl-cards-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]

The TRL Cards language server: checks TRL cards (${CARD_NAMES}) as you type
with the same rules as the checker trl-cards, and offers completions, hovers, quick
fixes, an outline and navigation between cards, in any editor that speaks the
Language Server Protocol (Neovim, Emacs with Eglot, Helix, VS Code). An editor starts
it; run alone, it waits for a client on stdin. Settings come from the client's
trlCards section; a trl-cards.config.yaml at the workspace root applies too.

Options:
  --stdio           LSP over stdin and stdout (the default)
  --node-ipc        LSP over Node's IPC channel (as the VS Code extension starts it)
  --socket=PORT     LSP over a TCP socket on PORT
  --pipe=NAME       LSP over a named pipe (a Unix socket) NAME
  -h, --help        show this help
  -v, --version     show the version`;

const args = process.argv.slice(2);
if (args.some((a) => a === '-h' || a === '--help')) process.stdout.write(SERVER_USAGE + '\n');
else if (args.some((a) => a === '-v' || a === '--version')) process.stdout.write(version + '\n');
else {
  // No transport named: stdio, so `trl-cards-language-server` alone just works.
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) process.argv.push('--stdio');
  const connection = createConnection(ProposedFeatures.all);
  // A stray exception must not kill the server: log it and keep serving.
  process.on('uncaughtException', (err) => connection.console.error(`Uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  startServer(connection);
}
