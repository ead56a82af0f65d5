import { describe, expect, it } from 'vitest';
import { classifyOrganisation, hasCityPrefix, resolveOrganisationList, splitOrganisationList } from './organisations.js';

const canonical = (raw: string, known: string[] = []) =>
  resolveOrganisationList(raw, (name) => (known.includes(name) ? name : undefined)).map((r) => r.canonical);

describe('splitOrganisationList', () => {
  it('splits on 、 and on full-width and ASCII commas, dropping stray spaces', () => {
    expect(splitOrganisationList('市发改委、市工信局 ，苏州水务集团, 昆山市政府 ')).toEqual(['市发改委', '市工信局', '苏州水务集团', '昆山市政府']);
  });
  it('gives nothing for an empty cell', () => {
    expect(splitOrganisationList('  ')).toEqual([]);
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
