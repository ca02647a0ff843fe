/** Entry of dist/server.js: `node dist/server.js --stdio` (or --node-ipc, as the client starts it). */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// A stray exception must not kill the server: log it and keep serving.
process.on('uncaughtException', (err) => connection.console.error(`Uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
startServer(connection);
