// Times Ruff (the WebAssembly build, default rule set) over the files named
// on stdin, one path per line, in this one process. Prints a JSON summary.
import { readFileSync } from 'node:fs';
import { Workspace, PositionEncoding } from '@astral-sh/ruff-wasm-nodejs';

const paths = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const sources = paths.map((p) => readFileSync(p, 'utf8'));
const ws = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf8);
let bytes = 0;
for (const s of sources) bytes += Buffer.byteLength(s);
const start = process.hrtime.bigint();
let findings = 0;
for (const s of sources) findings += ws.check(s).length;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ tool: `ruff-wasm ${Workspace.version()}`, files: paths.length, bytes, seconds, findings }));
