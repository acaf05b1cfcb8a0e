// The tdlint extension: it only starts `tdlint server` for Python files and
// lets VS Code's language client do the rest (diagnostics, code actions,
// hovers, file watching), so the editor shows exactly what the CLI finds.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

const INSTALL_HINT =
  'Install tdlint (go install github.com/tdlint/tdlint/cmd/tdlint@latest) ' +
  'or set "tdlint.path" to the executable.';

let client;

function settings() {
  const config = vscode.workspace.getConfiguration('tdlint');
  return {
    path: config.get('path', 'tdlint') || 'tdlint',
    debounceMilliseconds: config.get('debounceMilliseconds', 0),
  };
}

function newClient() {
  const { path, debounceMilliseconds } = settings();
  const server = { command: path, args: ['server'], transport: TransportKind.stdio };
  return new LanguageClient('tdlint', 'tdlint', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    initializationOptions: { debounceMilliseconds },
    outputChannelName: 'tdlint',
  });
}

async function start() {
  client = newClient();
  try {
    await client.start();
  } catch (err) {
    // The usual cause is a tdlint that is not installed or not on PATH.
    client = undefined;
    vscode.window.showErrorMessage(`tdlint could not start: ${err && err.message ? err.message : err}. ${INSTALL_HINT}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('tdlint.restart', restart),
    // A new path or debounce needs a new server process.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tdlint')) {
        return restart();
      }
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
