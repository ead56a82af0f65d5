// Worker entry: parses one document off the main thread. Plain JavaScript so that it starts the same way under
// the tsx runtime, under vitest and when installed; it registers tsx to load the TypeScript parsers.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseDocumentMessage } = await import('./parse-job.ts');
parentPort.postMessage(await parseDocumentMessage(workerData));
