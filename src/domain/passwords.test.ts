import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, passwordProblems } from './passwords.js';

describe('password policy', () => {
  it('accepts a long password of three classes', () => {
    expect(passwordProblems('Better-passw0rd', DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(passwordProblems('abcdEFGH1234', DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });

  it('names every problem', () => {
    expect(passwordProblems('abc', DEFAULT_PASSWORD_POLICY)).toEqual([
      '须至少 8 个字符',
      '须包含大写字母、小写字母、数字、符号中的至少 3 类',
    ]);
    expect(passwordProblems('Zhangsan-2030', DEFAULT_PASSWORD_POLICY, { username: 'zhangsan' })).toEqual(['不能包含用户名']);
  });

  it('follows a stricter configuration', () => {
    expect(passwordProblems('Abcdefg1', { minLength: 12, minClasses: 4 })).toHaveLength(2);
  });
});
