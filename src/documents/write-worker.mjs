// Worker entry of the export pool (piscina): writes documents off the main thread. Plain JavaScript, so that the same
// file starts compiled and from the sources: in build/ the compiled job module sits beside it and loads as it is,
// without tsx; from src/ (tsx, vitest) there is only the TypeScript, which tsx loads.
import { existsSync } from 'node:fs';

const jobModule = new URL('./write-job.js', import.meta.url);
const compiled = existsSync(jobModule);
if (!compiled) (await import('tsx/esm/api')).register();
const { writeDocumentMessage } = await import(compiled ? jobModule.href : './write-job.ts');
export default writeDocumentMessage;
