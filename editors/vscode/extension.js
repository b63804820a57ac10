// The archform extension: starts `archform lsp` (the language server built
// into the archform program) for *.arch.hcl, *.arch.json and .archform.hcl.
// Highlighting (syntaxes/) and the JSON Schema (schemas/) need no server.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('archform').get('path') || 'archform';
  // An Executable without a transport talks over standard input and
  // output, which is what archform lsp speaks.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'archform' },
      { scheme: 'file', pattern: '**/*.arch.json' },
      { scheme: 'untitled', language: 'archform' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.arch.hcl,*.arch.json,.archform.hcl}'),
    },
  };
  client = new LanguageClient('archform', 'archform', serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `archform: could not start "${command} lsp" (${err.message}). Install archform (see docs/editor.md) or set archform.path.`);
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
