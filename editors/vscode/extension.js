// The tdlint extension only starts `tdlint server` for Python files (and TDN
// files and toeexpand trees' DAT texts and parameters); VS Code's
// language client does the rest (diagnostics, code actions, hovers, file
// watching), so the editor shows exactly what the CLI finds.
'use strict';

const fs = require('node:fs');
const nodePath = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

const INSTALL_HINT =
  'Install tdlint (pip install tdlint, or go install github.com/tdlint/tdlint/cmd/tdlint@latest) ' +
  'or set "tdlint.path" to the executable.';

// The documents tdlint lints: Python, and the files TD projects keep their
// Python in as text: Embody's TDN networks, and the DAT texts and parameter
// expressions of toeexpand trees.
const DOCUMENTS = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', pattern: '**/*.tdn' },
  { scheme: 'file', pattern: '**/*.{toe,tox}.dir/**/*.{text,parm}' },
];

let client;
// One channel for the extension's life: a restart's log follows the previous
// server's, and a client that failed to start leaves no stray channel behind.
let outputChannel;
// Starts and stops run one at a time: the language client refuses to stop a
// client that is still starting, and saving settings can fire several changes.
let queue = Promise.resolve();

function serially(op) {
  const done = queue.then(op);
  queue = done.catch(() => {});
  return done;
}

// The extension's directory (activate sets it): the platform packages carry
// tdlint in its bin/.
let extensionPath;

// executable is the tdlint to start: the "tdlint.path" setting when set, else
// the binary bundled in this platform's package, else `tdlint` on PATH (the
// package for another platform, or one built without a binary).
function executable(configured, dir, platform = process.platform, exists = fs.existsSync) {
  if (configured) {
    return configured;
  }
  if (dir) {
    const bundled = nodePath.join(dir, 'bin', platform === 'win32' ? 'tdlint.exe' : 'tdlint');
    if (exists(bundled)) {
      return bundled;
    }
  }
  return 'tdlint';
}

function settings() {
  const config = vscode.workspace.getConfiguration('tdlint');
  const debounce = Number(config.get('debounceMilliseconds', 0));
  return {
    path: executable(config.get('path', ''), extensionPath),
    // Whole, non-negative milliseconds: a stray value never reaches initialize.
    debounceMilliseconds: Number.isFinite(debounce) ? Math.max(0, Math.round(debounce)) : 0,
  };
}

async function start() {
  const { path, debounceMilliseconds } = settings();
  const next = new LanguageClient(
    'tdlint',
    'tdlint',
    { command: path, args: ['server'], transport: TransportKind.stdio },
    {
      documentSelector: DOCUMENTS,
      initializationOptions: { debounceMilliseconds },
      outputChannel,
    },
  );
  try {
    await next.start();
    client = next;
  } catch (err) {
    // The usual cause is a tdlint that is not installed or not on PATH.
    const reason = err && err.message ? err.message : String(err);
    vscode.window.showErrorMessage(`tdlint could not start: ${reason}. ${INSTALL_HINT}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // The client has logged why; a restart should still get a new server.
    }
  }
}

function restart() {
  return serially(async () => {
    await stop();
    await start();
  });
}

function activate(context) {
  extensionPath = context.extensionPath;
  outputChannel = vscode.window.createOutputChannel('tdlint');
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand('tdlint.restart', restart),
    // A new path or debounce only takes effect in a new server process.
    vscode.workspace.onDidChangeConfiguration((e) =>
      e.affectsConfiguration('tdlint') ? restart() : undefined),
  );
  return serially(start);
}

function deactivate() {
  return serially(stop);
}

module.exports = { activate, deactivate, executable };
