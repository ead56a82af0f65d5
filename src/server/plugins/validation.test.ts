import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { describeIssue } from './errors.js';
import { closeObjects, validatorCompiler, type ValidationIssue } from './validation.js';

const Id = Type.Integer({ minimum: 1 });
const Body = Type.Object(
  {
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('已完成'), Type.Literal('未完成'), Type.Null()])),
    rule: Type.Optional(
      Type.Union([
        Type.Object({ kind: Type.Literal('day'), day: Type.Integer() }, { additionalProperties: false }),
        Type.Object({ kind: Type.Literal('after'), days: Type.Integer() }, { additionalProperties: false }),
      ]),
    ),
    flag: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

function messages(httpPart: string, schema: object, value: unknown): string[] {
  const validate = validatorCompiler({ schema: schema as never, httpPart, method: 'POST', url: '/' }) as (value: unknown) => {
    value?: unknown;
    error?: ValidationIssue[];
  };
  return (validate(value).error ?? []).map((issue) => describeIssue(issue, httpPart));
}

describe('the request validator', () => {
  it('names the branch of a union that was meant, or says the value is not one of the choices', () => {
    expect(messages('body', Body, { parentId: 0 })).toEqual(['请求体 parentId 不能小于 1']);
    expect(messages('body', Body, { parentId: 'x' })).toEqual(['请求体 parentId 的取值不在允许范围内']);
    expect(messages('body', Body, { status: '差不多' })).toEqual(['请求体 status 的取值不在允许范围内']);
    expect(messages('body', Body, { rule: { kind: 'after', days: 3, extra: 1 } })).toEqual(['请求体 rule 含有不认识的字段“extra”']);
  });

  it('converts nothing in a body, and says when null was sent', () => {
    expect(messages('body', Body, { flag: 'true' })).toEqual(['请求体 flag 应为布尔值（true 或 false）']);
    expect(messages('body', Body, { flag: null })).toEqual(['请求体 flag 不能为 null，应为布尔值（true 或 false）']);
    expect(messages('body', Body, { flag: true })).toEqual([]);
  });

  it('converts the text of a query string to the numbers and booleans its schema asks for', () => {
    const Query = Type.Object({ limit: Type.Integer(), facets: Type.Optional(Type.Boolean()) });
    const validate = validatorCompiler({ schema: Query as never, httpPart: 'querystring', method: 'GET', url: '/' }) as (
      value: unknown,
    ) => { value?: unknown };
    expect(validate({ limit: '20', facets: 'true' }).value).toEqual({ limit: 20, facets: true });
  });

  it('refuses ill-formed text anywhere, property names included', () => {
    expect(messages('body', Type.Object({ list: Type.Array(Type.String()) }), { list: ['a', 'b\ud800'] })).toEqual([
      '请求体 list.1 含有无效的 Unicode 字符（不成对的代理项），请删去后重新输入',
    ]);
    expect(messages('body', Type.Record(Type.String(), Type.String()), { 'a\udfff': 'x' })).toEqual([
      '请求体 a\ufffd 含有无效的 Unicode 字符（不成对的代理项），请删去后重新输入',
    ]);
    expect(messages('querystring', Type.Object({ q: Type.String() }), { q: '\ud800' })).toEqual([
      '查询参数 q 含有无效的 Unicode 字符（不成对的代理项），请删去后重新输入',
    ]);
  });

  it('closes every object of a body schema that says nothing about other properties, and leaves records open', () => {
    const open = { type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { b: { type: 'string' } } } } } };
    const closed = closeObjects(open) as any;
    expect(closed.additionalProperties).toBe(false);
    expect(closed.properties.a.items.additionalProperties).toBe(false);
    expect(open).not.toHaveProperty('additionalProperties');
    const record = { type: 'object', patternProperties: { '^.*$': { type: 'string' } } };
    expect(closeObjects(record)).toBe(record);
  });
});
