// Unit test of extension.js with VS Code and the language client replaced by
// fakes: what the extension starts, with which settings, and when it
// restarts or stops.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Module = require('node:module');
const path = require('node:path');

function load({ settings = {}, startFails = false } = {}) {
  const world = { clients: [], errors: [], commands: {}, configListeners: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => {
        assert.strictEqual(section, 'tdlint');
        return { get: (key, fallback) => (key in settings ? settings[key] : fallback) };
      },
      onDidChangeConfiguration: (listener) => {
        world.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    window: { showErrorMessage: (message) => world.errors.push(message) },
    commands: {
      registerCommand: (name, fn) => {
        world.commands[name] = fn;
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      world.clients.push(this);
    }
    async start() {
      if (startFails) {
        throw new Error('spawn tdlint ENOENT');
      }
      this.started = true;
    }
    async stop() {
      this.stopped = true;
    }
  }
  const fakes = {
    vscode,
    'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0 } },
  };
  const realLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    return request in fakes ? fakes[request] : realLoad.call(this, request, parent, isMain);
  };
  const file = path.join(__dirname, '..', 'extension.js');
  delete require.cache[file];
  try {
    world.extension = require(file);
  } finally {
    Module._load = realLoad;
  }
  world.context = { subscriptions: [] };
  return world;
}

test('activate starts tdlint server for Python files with the settings', async () => {
  const w = load({ settings: { path: '/opt/tdlint/bin/tdlint', debounceMilliseconds: 75 } });
  await w.extension.activate(w.context);
  assert.strictEqual(w.clients.length, 1);
  const c = w.clients[0];
  assert.ok(c.started);
  assert.strictEqual(c.serverOptions.run.command, '/opt/tdlint/bin/tdlint');
  assert.deepStrictEqual(c.serverOptions.run.args, ['server']);
  assert.deepStrictEqual(c.clientOptions.documentSelector, [{ scheme: 'file', language: 'python' }]);
  assert.deepStrictEqual(c.clientOptions.initializationOptions, { debounceMilliseconds: 75 });
  assert.ok(w.commands['tdlint.restart'], 'the restart command is registered');
  assert.strictEqual(w.context.subscriptions.length, 2);
});

test('the default command is tdlint on PATH', async () => {
  const w = load();
  await w.extension.activate(w.context);
  assert.strictEqual(w.clients[0].serverOptions.run.command, 'tdlint');
  assert.deepStrictEqual(w.clients[0].clientOptions.initializationOptions, { debounceMilliseconds: 0 });
});

test('a change of tdlint settings restarts the server; others do not', async () => {
  const w = load();
  await w.extension.activate(w.context);
  const [listener] = w.configListeners;
  await listener({ affectsConfiguration: (s) => s === 'editor' });
  assert.strictEqual(w.clients.length, 1, 'an unrelated setting restarted the server');
  await listener({ affectsConfiguration: (s) => s === 'tdlint' });
  assert.strictEqual(w.clients.length, 2);
  assert.ok(w.clients[0].stopped, 'the old server was not stopped');
  assert.ok(w.clients[1].started, 'the new server was not started');
});

test('the restart command replaces the client', async () => {
  const w = load();
  await w.extension.activate(w.context);
  await w.commands['tdlint.restart']();
  assert.strictEqual(w.clients.length, 2);
  assert.ok(w.clients[0].stopped && w.clients[1].started);
});

test('deactivate stops the server', async () => {
  const w = load();
  await w.extension.activate(w.context);
  await w.extension.deactivate();
  assert.ok(w.clients[0].stopped);
});

test('a server that cannot start shows how to install tdlint', async () => {
  const w = load({ startFails: true });
  await w.extension.activate(w.context);
  assert.strictEqual(w.errors.length, 1);
  assert.match(w.errors[0], /spawn tdlint ENOENT/);
  assert.match(w.errors[0], /go install github\.com\/tdlint\/tdlint\/cmd\/tdlint@latest/);
  await w.extension.deactivate(); // nothing to stop, and no error
});
