// Worker entry: parses documents off the main thread, one at a time. Plain JavaScript so that it starts the same
// way under the tsx runtime, under vitest and when installed; it registers tsx to load the TypeScript parsers.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseDocumentMessage } = await import('./parse-job.ts');
parentPort.on('message', async (job) => {
  parentPort.postMessage(await parseDocumentMessage(job));
});
parentPort.postMessage({ ready: true });
