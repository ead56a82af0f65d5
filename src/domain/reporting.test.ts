import { describe, expect, it } from 'vitest';
import { canonicalStatus, contentProblems, diffTexts, mayActOnReport, nextState, type ReportContent } from './reporting.js';

const content = (overrides: Partial<ReportContent> = {}): ReportContent => ({
  progress: '已完成管网建设12.4公里。',
  problems: '',
  nextSteps: '',
  status: '已完成',
  figures: [],
  ...overrides,
});

describe('the report workflow', () => {
  it('goes draft → submitted → approved → accepted, and back to the unit when returned', () => {
    expect(nextState('draft', 'submit')).toBe('submitted');
    expect(nextState('submitted', 'approve')).toBe('approved');
    expect(nextState('approved', 'accept')).toBe('accepted');
    expect(nextState('approved', 'return')).toBe('returned');
    expect(nextState('submitted', 'reject')).toBe('returned');
    expect(nextState('returned', 'submit')).toBe('submitted');
    expect(nextState('submitted', 'withdraw')).toBe('draft');
  });

  it('locks an accepted report and keeps steps in order', () => {
    for (const event of ['submit', 'withdraw', 'approve', 'reject', 'accept', 'return'] as const)
      expect(nextState('accepted', event)).toBeUndefined();
    expect(nextState('draft', 'approve')).toBeUndefined();
    expect(nextState('submitted', 'accept')).toBeUndefined();
  });

  it('lets the unit write, its leader approve, the office review the lead’s report and the lead unit a cooperator’s', () => {
    const leadReport = { organisationId: 1, leadOrganisationIds: [1] };
    const cooperatorReport = { organisationId: 2, leadOrganisationIds: [1] };
    expect(mayActOnReport({ role: 'unit_reporter', organisationId: 1 }, leadReport, 'edit')).toBe(true);
    expect(mayActOnReport({ role: 'unit_reporter', organisationId: 2 }, leadReport, 'edit')).toBe(false);
    expect(mayActOnReport({ role: 'unit_reporter', organisationId: 1 }, leadReport, 'approve')).toBe(false);
    expect(mayActOnReport({ role: 'unit_leader', organisationId: 1 }, leadReport, 'approve')).toBe(true);
    expect(mayActOnReport({ role: 'supervisor', organisationId: 9 }, leadReport, 'accept')).toBe(true);
    expect(mayActOnReport({ role: 'supervisor', organisationId: 9 }, leadReport, 'edit')).toBe(false);
    expect(mayActOnReport({ role: 'unit_leader', organisationId: 1 }, leadReport, 'accept')).toBe(false);
    expect(mayActOnReport({ role: 'unit_reporter', organisationId: 1 }, cooperatorReport, 'accept')).toBe(true);
    expect(mayActOnReport({ role: 'unit_leader', organisationId: 3 }, cooperatorReport, 'return')).toBe(false);
    expect(mayActOnReport({ role: 'admin', organisationId: 1 }, leadReport, 'edit')).toBe(false);
    expect(mayActOnReport({ role: 'viewer', organisationId: 9 }, leadReport, 'accept')).toBe(false);
  });

  it('lets the reporter take a submission back, not the leader it waits for', () => {
    const leadReport = { organisationId: 1, leadOrganisationIds: [1] };
    expect(mayActOnReport({ role: 'unit_reporter', organisationId: 1 }, leadReport, 'withdraw')).toBe(true);
    expect(mayActOnReport({ role: 'unit_leader', organisationId: 1 }, leadReport, 'withdraw')).toBe(false);
    expect(mayActOnReport({ role: 'unit_leader', organisationId: 1 }, leadReport, 'reject')).toBe(true);
  });
});

describe('report content', () => {
  it('needs progress and a status to be submitted, not to be saved', () => {
    expect(contentProblems(content({ progress: '', status: null }), false)).toEqual([]);
    expect(contentProblems(content({ progress: ' ', status: null }), true)).toEqual(['报送前请填写进展情况。', '报送前请选择完成状态。']);
    expect(contentProblems(content({ status: '差不多' as never }), false)[0]).toContain('不可用');
    expect(contentProblems(content({ figures: [{ name: '', value: Number.NaN, unit: '' }] }), false)).toHaveLength(2);
  });

  it('holds each text to its limit of src/contract/limits.ts and says which field, how long it may be and is', () => {
    expect(
      contentProblems(content({ progress: '进'.repeat(5000), problems: '问'.repeat(2000), nextSteps: '计'.repeat(2000) }), false),
    ).toEqual([]);
    expect(contentProblems(content({ progress: '进'.repeat(50_000) }), false)).toEqual(['进展情况不能超过 5000 字（现有 50000 字）。']);
    expect(contentProblems(content({ problems: '问'.repeat(2001), nextSteps: '计'.repeat(2001) }), false)).toEqual([
      '存在问题不能超过 2000 字（现有 2001 字）。',
      '下一步计划不能超过 2000 字（现有 2001 字）。',
    ]);
    // characters as a person counts them: a character outside the BMP is one, not two
    expect(contentProblems(content({ problems: '𠀀'.repeat(2000) }), false)).toEqual([]);
    expect(contentProblems(content({ figures: [{ name: '指'.repeat(101), value: 1, unit: '' }] }), false)).toEqual([
      '第 1 项指标的指标名称不能超过 100 字（现有 101 字）。',
    ]);
  });

  it('reads the status phrases of real tables', () => {
    expect(canonicalStatus('超额完成')).toBe('已完成');
    expect(canonicalStatus('未如期完成')).toBe('未完成');
    expect(canonicalStatus('未达到序时进度')).toBe('进度滞后');
    expect(canonicalStatus('按序时进度推进')).toBe('序时推进');
    expect(canonicalStatus('持续推进')).toBe('持续推进');
    expect(canonicalStatus('见附件')).toBeUndefined();
  });
});

describe('diffTexts', () => {
  it('shows a changed figure inside a sentence, not the whole paragraph as replaced', () => {
    expect(diffTexts('完成管网建设12公里。', '完成管网建设12.4公里。')).toEqual([
      { kind: 'same', text: '完成管网建设12' },
      { kind: 'added', text: '.4' },
      { kind: 'same', text: '公里。' },
    ]);
  });

  it('compares long texts sentence by sentence', () => {
    const first = '第一句没有变化。'.repeat(60);
    const diff = diffTexts(`${first}第二句原来这样。`, `${first}第二句现在那样。`);
    expect(diff).toEqual([
      { kind: 'same', text: first },
      { kind: 'removed', text: '第二句原来这样。' },
      { kind: 'added', text: '第二句现在那样。' },
    ]);
  });
});
