// Worker entry of the export pool (piscina): writes documents off the main thread. Plain JavaScript so that it starts
// the same way under the tsx runtime, under vitest and when installed; it registers tsx to load the TypeScript writers.
import { register } from 'tsx/esm/api';

register();
const { writeDocumentMessage } = await import('./write-job.ts');
export default writeDocumentMessage;
