import { describe, expect, it } from 'vitest';
import {
  classifyOrganisation,
  hasCityPrefix,
  organisationNameProblem,
  otherBracketWidth,
  resolveOrganisationList,
  splitFirstOrganisation,
  splitOrganisationList,
  splitOrganisationListDetailed,
} from './organisations.js';

const canonical = (raw: string, known: string[] = []) =>
  resolveOrganisationList(raw, (name) => (known.includes(name) ? name : undefined)).map((r) => r.canonical);

describe('splitOrganisationList', () => {
  it('splits on 、 and on full-width and ASCII commas, dropping stray spaces', () => {
    expect(splitOrganisationList('市发改委、市工信局 ，苏州水务集团, 昆山市政府 ')).toEqual([
      '市发改委',
      '市工信局',
      '苏州水务集团',
      '昆山市政府',
    ]);
  });
  it('gives nothing for an empty cell', () => {
    expect(splitOrganisationList('  ')).toEqual([]);
  });
});

describe('brackets in unit names', () => {
  it('keeps a separator inside brackets of either width as part of the name', () => {
    expect(
      splitOrganisationList('各县（市、区）人民政府、市委宣传部（市新闻办），市市场监管局(市知识产权局); 市发展改革委（市粮食和储备局）'),
    ).toEqual(['各县（市、区）人民政府', '市委宣传部（市新闻办）', '市市场监管局(市知识产权局)', '市发展改革委（市粮食和储备局）']);
  });
  it('keeps nested and mixed-width brackets whole, and a line break inside brackets is only a wrapped line', () => {
    expect(splitOrganisationList('市委宣传部（市新闻办（市政府新闻办））\n市文明办、市委网信办（市网信办)')).toEqual([
      '市委宣传部（市新闻办（市政府新闻办））',
      '市文明办',
      '市委网信办（市网信办)',
    ]);
    expect(splitOrganisationList('各县（市、\n区）人民政府\n市水务局')).toEqual(['各县（市、区）人民政府', '市水务局']);
  });
  it('drops brackets around a whole name or a whole list, which are no part of any name', () => {
    expect(splitOrganisationList('（市发改委）')).toEqual(['市发改委']);
    expect(splitOrganisationList('(市发改委、市工信局)')).toEqual(['市发改委', '市工信局']);
    expect(splitOrganisationList('市水务局、（各县（市、区）人民政府）')).toEqual(['市水务局', '各县（市、区）人民政府']);
  });
  it('reports an unclosed bracket, keeps every character, and splits outside the paired brackets only', () => {
    const result = splitOrganisationListDetailed('市委宣传部（市新闻办、市文明办');
    expect(result.names).toEqual(['市委宣传部（市新闻办', '市文明办']);
    expect(result.problems).toEqual([
      {
        bracket: '（',
        position: 5,
        kind: 'unclosed',
        message: '“市委宣传部（市新闻办、市文明”中的“（”没有对应的“）”：已按括号外的分隔符拆分单位，请核对。',
      },
    ]);
  });
  it('reports a closing bracket that nothing opened, and keeps it', () => {
    const result = splitOrganisationListDetailed('市发改委）、各县（市、区）人民政府');
    expect(result.names).toEqual(['市发改委）', '各县（市、区）人民政府']);
    expect(result.problems.map((problem) => [problem.bracket, problem.position, problem.kind])).toEqual([['）', 4, 'unopened']]);
  });
  it('reports nothing for paired brackets', () => {
    expect(splitOrganisationListDetailed('各县（市、区）人民政府、市委宣传部（市新闻办）').problems).toEqual([]);
  });
  it('drops a closing 等 (and others), which names no unit, but not from a name it would leave too short', () => {
    expect(splitOrganisationList('市发改委、市工信局等')).toEqual(['市发改委', '市工信局']);
    expect(splitOrganisationList('市发改委、各县（市、区）人民政府等有关部门')).toEqual(['市发改委', '各县（市、区）人民政府']);
    expect(splitOrganisationList('市发改委等单位')).toEqual(['市发改委']);
    expect(splitOrganisationList('市工信局等、市发改委')).toEqual(['市工信局等', '市发改委']);
    expect(splitOrganisationList('平等')).toEqual(['平等']);
  });
  it('takes the first unit of a 责任单位 cell whole, brackets and all', () => {
    expect(splitFirstOrganisation('各县（市、区）人民政府、市水务局，市交通局')).toEqual({
      first: '各县（市、区）人民政府',
      rest: '市水务局，市交通局',
    });
    expect(splitFirstOrganisation(' 市委宣传部（市新闻办） ')).toEqual({ first: '市委宣传部（市新闻办）', rest: '' });
  });
  it('resolves the carry-over 市 and short forms on whole bracketed names', () => {
    expect(canonical('市委宣传部（市新闻办）、科技局、各县（市、区）人民政府')).toEqual([
      '市委宣传部（市新闻办）',
      '市科技局',
      '各县（市、区）人民政府',
    ]);
  });
});

describe('organisationNameProblem', () => {
  it('accepts separators inside paired brackets, and names ending in a bracket', () => {
    expect(organisationNameProblem('各县（市、区）人民政府')).toBeUndefined();
    expect(organisationNameProblem('市委宣传部（市新闻办（市政府新闻办））')).toBeUndefined();
    expect(organisationNameProblem('市市场监管局(市知识产权局)')).toBeUndefined();
  });
  it('refuses separators outside brackets, unpaired brackets, a leading bracket and a closing 等', () => {
    expect(organisationNameProblem('市发改委、市工信局')).toContain('分隔符“、”');
    expect(organisationNameProblem('各县（市、区人民政府')).toContain('括号“（”不成对');
    expect(organisationNameProblem('市发改委）')).toContain('括号“）”不成对');
    expect(organisationNameProblem('（市发改委）')).toContain('不能以括号开头');
    expect(organisationNameProblem('市发改委等')).toContain('以“等”结尾');
  });
});

describe('city prefix', () => {
  it('does not take the 市 of 市场监管局 for the city prefix', () => {
    expect(hasCityPrefix('市场监管局')).toBe(false);
    expect(hasCityPrefix('市市场监管局')).toBe(true);
    expect(hasCityPrefix('市科技局')).toBe(true);
  });

  it('carries the 市 of the first name to bare department names after it', () => {
    expect(canonical('市交通局、科技局、生态环境局')).toEqual(['市交通局', '市科技局', '市生态环境局']);
    expect(canonical('市发改委、市场监管局')).toEqual(['市发改委', '市市场监管局']);
  });

  it('does not carry 市 to local governments, committees or enterprises', () => {
    expect(canonical('市生态环境局、昆山市政府、吴江区政府，苏州水务集团，工业园区管委会')).toEqual([
      '市生态环境局',
      '昆山市政府',
      '吴江区政府',
      '苏州水务集团',
      '工业园区管委会',
    ]);
  });

  it('prefixes a bare name when the city unit is known, even without a leading 市', () => {
    expect(canonical('农业农村局、生态环境局', ['市生态环境局'])).toEqual(['农业农村局', '市生态环境局']);
  });

  it('maps aliases to their canonical names and says so', () => {
    const result = resolveOrganisationList('发改委', (name) => (name === '发改委' ? '市发展和改革委员会' : undefined));
    expect(result).toEqual([{ written: '发改委', canonical: '市发展和改革委员会', rule: 'alias' }]);
  });
});

describe('classifyOrganisation', () => {
  it.each([
    ['市生态环境局', 'city_department'],
    ['市发改委', 'city_department'],
    ['昆山市政府', 'county_level_government'],
    ['吴江区政府', 'county_level_government'],
    ['工业园区管委会', 'management_committee'],
    ['苏州水务集团', 'state_enterprise'],
    ['各区人民政府', 'collective'],
    ['市各有关部门', 'collective'],
    ['市政府', 'city_government'],
  ])('%s is %s', (name, kind) => {
    expect(classifyOrganisation(name)).toBe(kind);
  });
});

describe('bracket widths', () => {
  const lookupOf = (known: string[]) => (name: string) => (known.includes(name) ? name : undefined);

  it('reads a half-width name as the full-width one known or written too, and says so', () => {
    expect(
      resolveOrganisationList('各县(市、区)人民政府、市公安局', lookupOf(['各县（市、区）人民政府', '各县(市、区)人民政府', '市公安局'])),
    ).toEqual([
      { written: '各县(市、区)人民政府', canonical: '各县（市、区）人民政府', rule: 'bracket_width' },
      { written: '市公安局', canonical: '市公安局' },
    ]);
    // a full-width name not known, where only the half-width one is: the known one
    expect(resolveOrganisationList('市外办（市港澳办）', lookupOf(['市外办(市港澳办)']))).toEqual([
      { written: '市外办（市港澳办）', canonical: '市外办(市港澳办)', rule: 'bracket_width' },
    ]);
  });

  it('keeps a name in the width it was written when no other form is known', () => {
    expect(resolveOrganisationList('市外办(市港澳办)', lookupOf(['市外办(市港澳办)']))).toEqual([
      { written: '市外办(市港澳办)', canonical: '市外办(市港澳办)' },
    ]);
    expect(otherBracketWidth('市市场监管局（市知识产权局）')).toBe('市市场监管局(市知识产权局)');
    expect(otherBracketWidth('市公安局')).toBeUndefined();
  });
});
