// The read baseline: bare Fastify answering every GET with the identical bytes (and content type) that luoshi
// returned for the scenario's request, so that the ratio measures what luoshi adds above HTTP and serialisation.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [bodyFile, contentType, port] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => reply.header('content-type', contentType).send(body));
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
