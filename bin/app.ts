import { setFlagsFromString } from 'node:v8';
import { towerlessApp } from '../lib/infra/app';

// CDK's built-in template validation runs a 9 MB WebAssembly engine once per synth. By default V8
// also recompiles the engine's busiest functions with its optimizing compiler, about 3 s of CPU
// that one run never earns back; a budget this high leaves them on the baseline compiler.
setFlagsFromString('--wasm-tiering-budget=1000000000');
towerlessApp();
