import { describe, expect, it } from 'vitest';
import { DEFAULT_LIGHT_RULES, lightOf, type LightInput } from './lights.js';

const input = (overrides: Partial<LightInput> = {}): LightInput => ({
  reported: true,
  status: '序时推进',
  figures: [],
  expectedProgress: 50,
  dueOn: '2030-07-20',
  today: '2030-07-10',
  ...overrides,
});

describe('warning lights', () => {
  it('follows the status words', () => {
    expect(lightOf(input({ status: '已完成' })).light).toBe('green');
    expect(lightOf(input({ status: '序时推进' })).light).toBe('green');
    expect(lightOf(input({ status: '进度滞后' })).light).toBe('yellow');
    expect(lightOf(input({ status: '未完成' })).light).toBe('red');
    expect(lightOf(input({ status: null })).light).toBe('grey');
  });

  it('measures a stated progress against the expected progress, with the thresholds given', () => {
    const progress = (value: number) => [{ name: '完成进度', value, unit: '%' }];
    expect(lightOf(input({ figures: progress(45) }))).toEqual({ light: 'green', reason: '落后序时进度 5 个百分点', rule: 'on_schedule' });
    expect(lightOf(input({ figures: progress(35) }))).toEqual({
      light: 'yellow',
      reason: '落后序时进度 15 个百分点',
      rule: 'behind_yellow',
    });
    expect(lightOf(input({ figures: progress(10) })).light).toBe('red');
    expect(lightOf(input({ figures: progress(10) }), { ...DEFAULT_LIGHT_RULES, yellowBehind: 20, redBehind: 50 }).light).toBe('yellow');
  });

  it('turns a missing report yellow near its due date and red after it', () => {
    expect(lightOf(input({ reported: false, today: '2030-07-01' })).light).toBe('grey');
    expect(lightOf(input({ reported: false, today: '2030-07-16' }))).toEqual({
      light: 'yellow',
      reason: '即将到期（还有4天），尚未报送',
      rule: 'due_soon',
    });
    expect(lightOf(input({ reported: false, today: '2030-07-21' }))).toEqual({
      light: 'red',
      reason: '逾期未报送',
      rule: 'overdue_unreported',
    });
  });
});
