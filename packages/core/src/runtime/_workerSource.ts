// The source of a GEMM worker thread, shipped as a string so that it travels inside the
// package: Node runs it with `new Worker(source, { eval: true })` (CommonJS, `require`
// defined), a browser from a Blob URL (it then waits for one message). Both receive the
// compiled module, the shared memory and the thread's index (≥ 1; the main thread is 0).
import {
  A,
  ACS,
  ALPHA,
  ARS,
  B,
  BCS,
  BETA,
  BRS,
  BY_WORKERS,
  C,
  CCS,
  CHUNK,
  CRS,
  DONE,
  ERROR,
  K,
  KIND,
  LIMIT,
  M,
  N,
  READY,
  REM,
  SEQ,
  SPLIT,
  TOTAL,
  WORDS,
  WS_BASE,
  WS_STRIDE,
} from './_control.js';

/** JavaScript (ES2017) run by every worker thread. */
export const WORKER_SOURCE = `'use strict';
function runChunk(x, w, f, chunk, slot) {
  var m = w[${M}], n = w[${N}], a = w[${A}], b = w[${B}], c = w[${C}];
  var es = w[${KIND}] === 0 ? 8 : 4, size = w[${CHUNK}], start = chunk * size;
  if (w[${SPLIT}] === 1) {
    n = Math.min(size, n - start);
    b += start * w[${BCS}] * es;
    c += start * w[${CCS}] * es;
  } else {
    m = Math.min(size, m - start);
    a += start * w[${ARS}] * es;
    c += start * w[${CRS}] * es;
  }
  var ws = w[${WS_BASE}] + slot * w[${WS_STRIDE}];
  var gemm = w[${KIND}] === 0 ? x.dgemm : x.sgemm;
  gemm(m, n, w[${K}], f[${ALPHA}], a, w[${ARS}], w[${ACS}], b, w[${BRS}], w[${BCS}],
    f[${BETA}], c, w[${CRS}], w[${CCS}], ws);
}
function start(module, memory, index) {
  var x = new WebAssembly.Instance(module, { env: { memory: memory } }).exports;
  var w = new Int32Array(memory.buffer, 0, ${WORDS});
  var f = new Float64Array(memory.buffer, 0, ${WORDS / 2});
  Atomics.add(w, ${READY}, 1);
  Atomics.notify(w, ${READY});
  for (;;) {
    var seq = Atomics.load(w, ${SEQ});
    // A parked worker (index ≥ LIMIT) takes no chunks but stays alive: its index and
    // workspace slot are never handed to another thread.
    while (index < Atomics.load(w, ${LIMIT})) {
      var r = Atomics.sub(w, ${REM}, 1);
      if (r <= 0) break;
      try {
        runChunk(x, w, f, Atomics.load(w, ${TOTAL}) - r, index);
        Atomics.add(w, ${BY_WORKERS}, 1);
      } catch (e) {
        Atomics.store(w, ${ERROR}, 1);
      }
      Atomics.add(w, ${DONE}, 1);
      Atomics.notify(w, ${DONE});
    }
    Atomics.wait(w, ${SEQ}, seq);
  }
}
if (typeof require === 'function') {
  var d = require('node:worker_threads').workerData;
  start(d.module, d.memory, d.index);
} else {
  self.onmessage = function (e) {
    self.onmessage = null;
    start(e.data.module, e.data.memory, e.data.index);
  };
}
`;
