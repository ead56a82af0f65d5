// Worker entry: parses documents off the main thread, one at a time. Plain JavaScript, so that the same file starts
// compiled and from the sources: in build/ (`npm run build`) the compiled job module sits beside it and loads as it
// is, without tsx; from src/ (tsx, vitest) there is only the TypeScript, which tsx loads.
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const jobModule = new URL('./parse-job.js', import.meta.url);
const compiled = existsSync(jobModule);
if (!compiled) (await import('tsx/esm/api')).register();
const { parseDocumentMessage } = await import(compiled ? jobModule.href : './parse-job.ts');
parentPort.on('message', async (job) => {
  parentPort.postMessage(await parseDocumentMessage(job));
});
parentPort.postMessage({ ready: true });
