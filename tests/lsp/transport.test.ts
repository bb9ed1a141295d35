// The server speaks over node IPC too (vscode-languageclient's TransportKind.ipc, what the extension uses).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { it } from 'node:test';
import { IPCMessageReader, IPCMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { SERVER_BUNDLE } from '../support/lspClient';

it('initializes over --node-ipc, announces its features, and exits 0 after shutdown/exit', async () => {
  const child = fork(SERVER_BUNDLE, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }) as InitializeResult;
    assert.equal(result.serverInfo?.name, 'hyperframes-live');
    const caps = result.capabilities;
    assert.deepEqual([caps.hoverProvider, caps.documentSymbolProvider, caps.codeLensProvider, caps.codeActionProvider],
      [true, true, { resolveProvider: false }, { codeActionKinds: ['quickfix'] }]);
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
