export {
  type BackendInfo,
  type BackendName,
  getBackend,
  type InitWasmOptions,
  initWasm,
  setBackend,
} from './backend.js';
export { getThreads, MAX_THREADS, setThreads } from './threads.js';
