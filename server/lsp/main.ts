// Entry of the language server (dist/server.js). The transport comes from the command line, as
// vscode-languageclient passes it: --stdio, --node-ipc or --socket=<port>.
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// A client that kills the server sends SIGTERM: exit through process.exit so the browser module's exit hook
// kills any Chromium it started.
process.on('SIGTERM', () => process.exit(0));

startServer(createConnection(ProposedFeatures.all));
