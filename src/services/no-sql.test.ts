import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * All SQL lives in src/db/repositories/: services (and the job runners of src/jobs) keep policy, validation,
 * transactions and audit, and call repository functions for every read and write. This reads each service's syntax
 * tree (comments and texts do not count) and names every place that builds a query itself or imports a Kysely value.
 */

/**
 * Services whose SQL is still being moved into repositories. Temporary: the test below fails as soon as one of them
 * holds no SQL any more, so that it leaves this list, which only shrinks.
 */
const SERVICES_STILL_HOLDING_SQL: readonly string[] = [];

/** Kysely's ways into a query: starting one, its expression helpers, running one, the schema. */
const QUERY_BUILDING = new Set([
  'selectFrom',
  'selectNoFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
  'with',
  'withRecursive',
  'fn',
  'executeTakeFirst',
  'executeTakeFirstOrThrow',
  'executeQuery',
  'stream',
  'schema',
  'introspection',
  'withPlugin',
  'withSchema',
]);

const KYSELY = /^kysely(\/|$)/;

/** Where a source builds SQL or takes a value from kysely, as `line: what`. */
function sqlIn(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && KYSELY.test(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const valueNames = !clause
        ? ['(the module itself)']
        : clause.isTypeOnly
          ? []
          : [
              ...(clause.name ? [clause.name.text] : []),
              ...(clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? [`* as ${clause.namedBindings.name.text}`] : []),
              ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings)
                ? clause.namedBindings.elements.filter((element) => !element.isTypeOnly).map((element) => element.name.text)
                : []),
            ];
      if (valueNames.length > 0) at(node, `imports ${valueNames.join(', ')} from kysely`);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      KYSELY.test(node.moduleSpecifier.text) &&
      !node.isTypeOnly
    ) {
      at(node, 're-exports kysely');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteral(specifier) && KYSELY.test(specifier.text)) at(node, 'imports kysely');
    } else if (ts.isPropertyAccessExpression(node) && QUERY_BUILDING.has(node.name.text)) {
      at(node, `.${node.name.text}`);
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === 'execute' && !runsTransaction(node.expression)) {
      at(node, '.execute');
    } else if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText(source))) {
      at(node, 'sql`…`');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `db.transaction().execute(…)`, optionally with an isolation level: a service owns its transactions. */
function runsTransaction(receiver: ts.Expression): boolean {
  if (!ts.isCallExpression(receiver) || !ts.isPropertyAccessExpression(receiver.expression)) return false;
  const name = receiver.expression.name.text;
  if (name === 'transaction') return true;
  return name === 'setIsolationLevel' && runsTransaction(receiver.expression.expression);
}

// the services, and the job runners (src/jobs), which keep to the same rule
const sourceFolder = fileURLToPath(new URL('..', import.meta.url));
const services = ['services', 'jobs']
  .flatMap((folder) =>
    readdirSync(`${sourceFolder}/${folder}`, { recursive: true, encoding: 'utf8' }).map((name) =>
      folder === 'services' ? name : `../${folder}/${name}`,
    ),
  )
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .sort();
const sqlOf = (name: string) => sqlIn(name, readFileSync(`${sourceFolder}/services/${name}`, 'utf8'));

describe('services hold no SQL', () => {
  it.each(services.filter((name) => !SERVICES_STILL_HOLDING_SQL.includes(name)))('%s calls repositories for every query', (name) => {
    expect(sqlOf(name), `${name}: move these into a function of src/db/repositories/`).toEqual([]);
  });

  it.each([...SERVICES_STILL_HOLDING_SQL])('%s, an exception for now, still needs to be one', (name) => {
    expect(services, `${name} is listed in SERVICES_STILL_HOLDING_SQL but does not exist`).toContain(name);
    expect(sqlOf(name), `${name} holds no SQL any more: remove it from SERVICES_STILL_HOLDING_SQL`).not.toEqual([]);
  });

  it('finds query building, kysely values and SQL templates, and lets types and transactions be', () => {
    const offending = [
      "import { sql, type Kysely } from 'kysely';",
      "import * as k from 'kysely';",
      "import 'kysely/helpers/postgres';",
      'const rows = await ctx.db',
      "  .selectFrom('items')",
      '  .select((eb) => eb.fn.countAll().as("n"))',
      '  .execute();',
      "await trx.insertInto('items').values(row).executeTakeFirstOrThrow();",
      "await trx.updateTable('items').set(row).where('id', '=', 1).execute();",
      "await trx.deleteFrom('items').execute();",
      'const n = sql<number>`count(*)`;',
      "const { sql: raw } = await import('kysely');",
      'await sql.raw(`vacuum`).execute(db);',
    ].join('\n');
    expect(sqlIn('offending.ts', offending)).toEqual([
      '1: imports sql from kysely',
      '2: imports * as k from kysely',
      '3: imports (the module itself) from kysely',
      '4: .execute',
      '4: .selectFrom',
      '6: .fn',
      '8: .executeTakeFirstOrThrow',
      '8: .insertInto',
      '9: .execute',
      '9: .updateTable',
      '10: .execute',
      '10: .deleteFrom',
      '11: sql`…`',
      '12: imports kysely',
      '13: .execute',
    ]);
    const allowed = [
      "import type { Kysely, Transaction } from 'kysely';",
      "import { type Selectable } from 'kysely';",
      "import { findItemById } from '../db/repositories/plans.js';",
      '// a comment may say selectFrom, sql`x` and .execute()',
      'const text = \'db.selectFrom("items").execute()\';',
      'await ctx.db.transaction().execute(async (trx) => findItemById(trx, 1));',
      "await ctx.db.transaction().setIsolationLevel('serializable').execute(async (trx) => findItemById(trx, 1));",
    ].join('\n');
    expect(sqlIn('allowed.ts', allowed)).toEqual([]);
  });
});
