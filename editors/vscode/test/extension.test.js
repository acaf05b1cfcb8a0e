// Unit test of extension.js with VS Code and the language client replaced by
// fakes: what the extension starts, with which settings, and when it
// restarts or stops. The fake client keeps the real one's rule that a client
// still starting cannot be stopped, so overlapping restarts are caught here.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Module = require('node:module');
const path = require('node:path');

const STDIO = 'stdio-transport';

function load({ settings = {}, startFails = false } = {}) {
  const world = { settings, startFails, clients: [], errors: [], commands: {}, configListeners: [], channels: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => {
        assert.strictEqual(section, 'tdlint');
        return { get: (key, fallback) => (key in world.settings ? world.settings[key] : fallback) };
      },
      onDidChangeConfiguration: (listener) => {
        world.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    window: {
      showErrorMessage: (message) => world.errors.push(message),
      createOutputChannel: (name) => {
        const channel = { name, dispose() {} };
        world.channels.push(channel);
        return channel;
      },
    },
    commands: {
      registerCommand: (name, fn) => {
        world.commands[name] = fn;
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, state: 'initial' });
      world.clients.push(this);
    }
    async start() {
      this.state = 'starting';
      await new Promise((resolve) => setImmediate(resolve));
      if (world.startFails) {
        this.state = 'startFailed';
        // The real client rejects with a string when the spawn fails.
        throw `Launching server using command ${this.serverOptions.command} failed. Error: spawn ${this.serverOptions.command} ENOENT`;
      }
      this.state = 'running';
    }
    async stop() {
      if (this.state === 'initial' || this.state === 'stopped') {
        return;
      }
      if (this.state !== 'running') {
        throw new Error(`Client is not running and can't be stopped. It's current state is: ${this.state}`);
      }
      this.state = 'stopped';
    }
  }
  const fakes = {
    vscode,
    'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: STDIO, ipc: 'ipc-transport' } },
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
  world.running = () => world.clients.filter((c) => c.state === 'running');
  world.changeSettings = (section) => world.configListeners[0]({ affectsConfiguration: (s) => s === section });
  return world;
}

test('activate starts tdlint server over stdio for Python files with the settings', async () => {
  const w = load({ settings: { path: '/opt/tdlint/bin/tdlint', debounceMilliseconds: 75 } });
  await w.extension.activate(w.context);
  assert.strictEqual(w.clients.length, 1);
  const c = w.clients[0];
  assert.strictEqual(c.state, 'running');
  assert.deepStrictEqual(c.serverOptions, { command: '/opt/tdlint/bin/tdlint', args: ['server'], transport: STDIO });
  assert.deepStrictEqual(c.clientOptions.documentSelector, [
    { scheme: 'file', language: 'python' },
    { scheme: 'file', pattern: '**/*.tdn' },
    { scheme: 'file', pattern: '**/*.{toe,tox}.dir/**/*.{text,parm}' },
  ]);
  assert.deepStrictEqual(c.clientOptions.initializationOptions, { debounceMilliseconds: 75 });
  assert.strictEqual(c.clientOptions.outputChannel.name, 'tdlint');
  assert.strictEqual(typeof w.commands['tdlint.restart'], 'function', 'the restart command is registered');
  assert.ok(w.context.subscriptions.includes(c.clientOptions.outputChannel), 'the output channel is disposed with the extension');
});

test('by default the command is tdlint on PATH and there is no debounce', async () => {
  const w = load();
  await w.extension.activate(w.context);
  assert.strictEqual(w.clients[0].serverOptions.command, 'tdlint');
  assert.deepStrictEqual(w.clients[0].clientOptions.initializationOptions, { debounceMilliseconds: 0 });
});

test('the debounce sent is whole non-negative milliseconds', async () => {
  for (const [setting, sent] of [[12.6, 13], [-5, 0], ['soon', 0], [null, 0]]) {
    const w = load({ settings: { debounceMilliseconds: setting } });
    await w.extension.activate(w.context);
    assert.deepStrictEqual(w.clients[0].clientOptions.initializationOptions, { debounceMilliseconds: sent }, `setting ${setting}`);
  }
});

test('a change of tdlint settings restarts the server with them; other changes do not', async () => {
  const w = load();
  await w.extension.activate(w.context);
  await w.changeSettings('editor');
  assert.strictEqual(w.clients.length, 1, 'an unrelated setting restarted the server');
  w.settings.path = '/usr/local/bin/tdlint';
  w.settings.debounceMilliseconds = 200;
  await w.changeSettings('tdlint');
  assert.strictEqual(w.clients.length, 2);
  assert.strictEqual(w.clients[0].state, 'stopped', 'the old server was not stopped');
  assert.strictEqual(w.clients[1].state, 'running', 'the new server was not started');
  assert.strictEqual(w.clients[1].serverOptions.command, '/usr/local/bin/tdlint');
  assert.deepStrictEqual(w.clients[1].clientOptions.initializationOptions, { debounceMilliseconds: 200 });
  assert.strictEqual(w.clients[1].clientOptions.outputChannel, w.clients[0].clientOptions.outputChannel, 'a restart opened another output channel');
});

test('changes that arrive while a server is starting leave exactly one server running', async () => {
  const w = load();
  const activated = w.extension.activate(w.context);
  const changes = [w.changeSettings('tdlint'), w.changeSettings('tdlint')];
  await Promise.all([activated, ...changes]);
  assert.strictEqual(w.clients.length, 3);
  assert.deepStrictEqual(w.clients.map((c) => c.state), ['stopped', 'stopped', 'running']);
  assert.deepStrictEqual(w.errors, []);
});

test('the restart command replaces the client', async () => {
  const w = load();
  await w.extension.activate(w.context);
  await w.commands['tdlint.restart']();
  assert.strictEqual(w.clients.length, 2);
  assert.deepStrictEqual(w.clients.map((c) => c.state), ['stopped', 'running']);
});

test('deactivate stops the server', async () => {
  const w = load();
  await w.extension.activate(w.context);
  await w.extension.deactivate();
  assert.strictEqual(w.clients[0].state, 'stopped');
  assert.deepStrictEqual(w.running(), []);
});

test('a server that cannot start shows how to install tdlint, and a fixed path then starts', async () => {
  const w = load({ settings: { path: 'tdlnt' }, startFails: true });
  await w.extension.activate(w.context);
  assert.strictEqual(w.errors.length, 1);
  assert.match(w.errors[0], /spawn tdlnt ENOENT/);
  assert.match(w.errors[0], /go install github\.com\/tdlint\/tdlint\/cmd\/tdlint@latest/);
  assert.match(w.errors[0], /tdlint\.path/);
  w.startFails = false;
  w.settings.path = 'tdlint';
  await w.changeSettings('tdlint');
  assert.strictEqual(w.errors.length, 1);
  assert.deepStrictEqual(w.running(), [w.clients[1]]);
  await w.extension.deactivate();
  assert.deepStrictEqual(w.running(), []);
});

test('the tdlint.path setting wins, then the bundled binary, then tdlint on PATH', () => {
  const { executable } = load().extension;
  const dir = path.join('/ext', 'tdlint-0.1.0');
  const none = () => false;
  const only = (want) => (p) => p === want;
  assert.strictEqual(executable('/opt/tdlint', dir, 'linux', () => true), '/opt/tdlint');
  assert.strictEqual(executable('', dir, 'linux', only(path.join(dir, 'bin', 'tdlint'))), path.join(dir, 'bin', 'tdlint'));
  assert.strictEqual(executable('', dir, 'darwin', only(path.join(dir, 'bin', 'tdlint'))), path.join(dir, 'bin', 'tdlint'));
  assert.strictEqual(executable('', dir, 'win32', only(path.join(dir, 'bin', 'tdlint.exe'))), path.join(dir, 'bin', 'tdlint.exe'));
  // A Windows package's binary is no use elsewhere, nor a Linux one on Windows.
  assert.strictEqual(executable('', dir, 'linux', only(path.join(dir, 'bin', 'tdlint.exe'))), 'tdlint');
  assert.strictEqual(executable('', dir, 'win32', only(path.join(dir, 'bin', 'tdlint'))), 'tdlint');
  assert.strictEqual(executable('', dir, 'linux', none), 'tdlint');
  assert.strictEqual(executable('', undefined, 'linux', () => true), 'tdlint');
});

test('activate starts the binary bundled in the extension when tdlint.path is unset', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdlint-ext-'));
  try {
    const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'tdlint.exe' : 'tdlint');
    fs.mkdirSync(path.dirname(bin));
    fs.writeFileSync(bin, '');
    const w = load();
    w.context.extensionPath = dir;
    await w.extension.activate(w.context);
    assert.strictEqual(w.clients[0].serverOptions.command, bin);
    await w.extension.deactivate();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
