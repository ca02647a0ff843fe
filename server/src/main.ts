/**
 * Entry of dist/server.js, the package bin `trl-cards-language-server`: speaks LSP over stdio
 * by default (what Neovim, Eglot and Helix start), or `--node-ipc` (as the VS Code client starts it).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// No transport named: stdio, so `trl-cards-language-server` alone just works.
if (!process.argv.slice(2).some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) process.argv.push('--stdio');
const connection = createConnection(ProposedFeatures.all);
// A stray exception must not kill the server: log it and keep serving.
process.on('uncaughtException', (err) => connection.console.error(`Uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
startServer(connection);
