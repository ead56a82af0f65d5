import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { findIllFormedText } from '../../domain/unicode.js';

/** One validation failure in the shape Fastify's own (Ajv) errors have, which describeIssue reads. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

const MAX_ISSUES = 5;

const valueAt = (root: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (node, part) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
          : undefined,
      root,
    );

const isUnion = (issue: ValidationIssue) => issue.keyword === 'anyOf' || issue.keyword === 'oneOf';
const inBranchOf = (issue: ValidationIssue, union: ValidationIssue) => issue.schemaPath.startsWith(`${union.schemaPath}/${union.keyword}/`);

/**
 * A failed union reports the failures of every branch. The branch meant is the one whose own type or constant
 * fits the value and that has the fewest failures; when no single branch stands out (a wrong literal, a string for
 * a number-or-null), the union's one summary says it best.
 */
function resolveUnions(errors: ValidationIssue[]): ValidationIssue[] {
  const unions = errors.filter(isUnion);
  const resolved: ValidationIssue[] = [];
  for (const error of errors) {
    if (unions.some((union) => union !== error && inBranchOf(error, union))) continue;
    if (!isUnion(error)) {
      resolved.push(error);
      continue;
    }
    const branches = new Map<string, ValidationIssue[]>();
    for (const inner of errors.filter((candidate) => inBranchOf(candidate, error))) {
      const branch = inner.schemaPath.slice(error.schemaPath.length + error.keyword.length + 2).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), inner]);
    }
    const fitting = [...branches.values()].filter(
      (issues) =>
        !issues.some((issue) => issue.instancePath === error.instancePath && (issue.keyword === 'type' || issue.keyword === 'const')),
    );
    const fewest = Math.min(...fitting.map((issues) => issues.length));
    const best = fitting.filter((issues) => issues.length === fewest);
    if (best.length === 1) resolved.push(...resolveUnions(best[0]!));
    else resolved.push(error);
  }
  return resolved;
}

/**
 * TypeBox reports every branch of a union and every extra property twice; a person needs one line per field:
 * the branch meant, each unknown property by name, each missing property by name, and whether null was sent.
 */
export function normaliseIssues(errors: Iterable<ValidationIssue>, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of resolveUnions([...errors])) {
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) continue;
    if (error.keyword === 'additionalProperties' && Array.isArray(error.params.additionalProperties)) {
      for (const name of error.params.additionalProperties as string[]) {
        issues.push({ ...error, params: { additionalProperty: name } });
      }
      continue;
    }
    if (error.keyword === 'required' && Array.isArray(error.params.requiredProperties)) {
      const present = valueAt(value, error.instancePath);
      for (const name of error.params.requiredProperties as string[]) {
        if (present !== null && typeof present === 'object' && name in present) continue;
        issues.push({ ...error, params: { missingProperty: name } });
      }
      continue;
    }
    if ((error.keyword === 'type' || isUnion(error)) && valueAt(value, error.instancePath) === null) {
      issues.push({ ...error, params: { ...error.params, received: 'null' } });
      continue;
    }
    issues.push(error);
  }
  // an unknown property first: a misspelt name is usually also why a required one is missing
  const unknownFirst = [
    ...issues.filter((issue) => issue.keyword === 'additionalProperties'),
    ...issues.filter((issue) => issue.keyword !== 'additionalProperties'),
  ];
  return unknownFirst.slice(0, MAX_ISSUES);
}

/**
 * Request validation without Fastify's default Ajv, which coerces types (true became unit 1, 1 became [1], null
 * became 0 or false) and silently removes unknown properties. A body is checked exactly as sent, and its text
 * must be well-formed Unicode; path parameters and query strings are text by nature, so they are converted to the
 * schema's numbers and booleans first and then checked the same way.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const convert = httpPart !== 'body';
  return (input: unknown) => {
    const value = convert ? Value.Convert(schema, input) : input;
    const illFormed = findIllFormedText(value);
    if (illFormed !== undefined) {
      return {
        error: [{ keyword: 'wellFormed', instancePath: illFormed, schemaPath: '#', params: {}, message: 'must be well-formed Unicode' }],
      };
    }
    if (check.Check(value)) return { value };
    return { error: normaliseIssues(check.Errors(value) as ValidationIssue[], value).map((issue) => withFieldLabel(issue, schema)) };
  };
};

/**
 * The field's name for people, from the description of its schema ("进展情况，最多 5000 字" gives 进展情况), so that
 * a message says 进展情况 and not only content.progress.
 */
function withFieldLabel(issue: ValidationIssue, schema: TSchema): ValidationIssue {
  let node: unknown = schema;
  for (const segment of issue.instancePath.split('/').slice(1)) {
    const current = node as JsonSchema | undefined;
    if (!current || typeof current !== 'object') return issue;
    const properties = current.properties as JsonSchema | undefined;
    node = properties && segment in properties ? properties[segment] : /^\d+$/.test(segment) ? current.items : undefined;
  }
  const description = (node as JsonSchema | undefined)?.description;
  if (typeof description !== 'string' || issue.instancePath === '') return issue;
  const label = description.split(/[，。：,:（(]/)[0]?.trim();
  return label ? { ...issue, params: { ...issue.params, label } } : issue;
}

type JsonSchema = Record<string, unknown>;

/**
 * A copy of a body schema in which every object that lists its properties but says nothing about others refuses
 * them, so that a misspelt field is an error rather than silently ignored. Doing it on the route's schema (not only
 * in the validator) keeps the OpenAPI document saying what the server does.
 */
export function closeObjects(schema: JsonSchema): JsonSchema {
  let changed = false;
  const copy: JsonSchema = { ...schema };
  const visit = (child: unknown): unknown => {
    if (child === null || typeof child !== 'object' || Array.isArray(child)) return child;
    const closed = closeObjects(child as JsonSchema);
    if (closed !== child) changed = true;
    return closed;
  };
  if (
    schema.type === 'object' &&
    schema.properties !== undefined &&
    !('additionalProperties' in schema) &&
    !('patternProperties' in schema)
  ) {
    copy.additionalProperties = false;
    changed = true;
  }
  if (schema.properties && typeof schema.properties === 'object') {
    copy.properties = Object.fromEntries(Object.entries(schema.properties as JsonSchema).map(([key, child]) => [key, visit(child)]));
  }
  if (schema.items !== undefined) copy.items = Array.isArray(schema.items) ? schema.items.map(visit) : visit(schema.items);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) copy[key] = (schema[key] as unknown[]).map(visit);
  }
  return changed ? copy : schema;
}

/** Installs the validator and closes the body schemas of every route registered after it. */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler as FastifySchemaCompiler<unknown>);
  app.addHook('onRoute', (route) => {
    const schema = route.schema as FastifySchema | undefined;
    if (schema?.body && typeof schema.body === 'object') {
      route.schema = { ...schema, body: closeObjects(schema.body as JsonSchema) };
    }
  });
}
