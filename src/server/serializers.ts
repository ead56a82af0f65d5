import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
type Serialize = ReturnType<ReturnType<SerializerFactory>>;

// the compiler Fastify uses by default, resolved from Fastify itself so that it is the very copy Fastify would load
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const fastJsonStringifyFactory = (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();

/**
 * Fastify's response serialisers (fast-json-stringify), each compiled on the first response it writes rather than
 * all at start-up: compiling every route's schemas for every status took about a quarter of the server's cold
 * start, and that share grows with every schema the API declares. The compiled serialiser is then kept, so every
 * later response is as fast as before; what is compiled, and with which shared schemas, is unchanged.
 */
export function serializerCompiledOnFirstUse(): CompilersFactory {
  return {
    buildSerializer: (externalSchemas, options) => {
      const compile = fastJsonStringifyFactory(externalSchemas, options);
      return (route) => {
        let serialize: Serialize | undefined;
        return (data) => (serialize ??= compile(route))(data);
      };
    },
  };
}
