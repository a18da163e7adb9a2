// A minimal VS Code client for `seqrun lsp` (docs/editor.md): it starts the server over stdio and sends
// it diagram documents (.seq, .mmd, Markdown) and the binding modules (TypeScript and JavaScript), so
// that saving a binding re-loads the bindings and "find references" works from a handler.
// Not published; see docs/editor.md for how to try it.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The workspace's own seqrun (node_modules/.bin/seqrun), else the setting, else seqrun on PATH. */
function seqrunCommand(settings) {
  const configured = settings.get('path');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'seqrun.cmd' : 'seqrun');
    if (existsSync(local)) return local;
  }
  return 'seqrun';
}

function activate(context) {
  const settings = vscode.workspace.getConfiguration('seqrun');
  const profile = settings.get('profile');
  const args = ['lsp', ...(profile ? ['--profile', profile] : [])];
  // TransportKind.stdio adds --stdio to the arguments.
  const server = { command: seqrunCommand(settings), args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'seq' },
      { scheme: 'file', language: 'mermaid' },
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', pattern: '**/*.{ts,mts,cts,js,mjs,cjs}' },
    ],
    synchronize: {
      // Bindings changed outside the editor (git checkout, another tool) re-load too.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{ts,mts,cts,js,mjs,cjs,seq,mmd,md}'),
    },
  };
  client = new LanguageClient('seqrun', 'seqrun', { run: server, debug: server }, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
