import { daysBetween } from './calendar.js';
import type { ReportFigure, ReportStatus } from './reporting.js';

/**
 * Warning lights (预警) of an item for a period. DOMAIN.md's common rule: green at or ahead of expected progress;
 * yellow 10–30 points behind or a deadline close; red more than 30 points behind, or overdue and not done. Cities
 * differ, so the thresholds are parameters.
 */
export type Light = 'green' | 'yellow' | 'red' | 'grey';

export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '—' };

export interface LightRules {
  /** points behind expected progress from which the light is yellow */
  yellowBehind: number;
  /** points behind expected progress from which the light is red */
  redBehind: number;
  /** days before the due date from which a missing report turns the light yellow */
  dueSoonDays: number;
}

export const DEFAULT_LIGHT_RULES: LightRules = { yellowBehind: 10, redBehind: 30, dueSoonDays: 5 };

export interface LightInput {
  /** the status of the report that left the unit; undefined when there is none */
  reported: boolean;
  status: ReportStatus | null;
  figures: ReportFigure[];
  /** 序时进度 at the end of the period, in percent */
  expectedProgress: number;
  dueOn: string | null;
  today: string;
}

/** A figure that states the item's own progress in percent: 完成进度 62%, 完成率 80%. */
function progressFigure(figures: ReportFigure[]): number | undefined {
  return figures.find((figure) => /进度|完成率|完成比例/.test(figure.name) && figure.unit.trim() === '%')?.value;
}

export function lightOf(input: LightInput, rules: LightRules = DEFAULT_LIGHT_RULES): { light: Light; reason: string } {
  if (!input.reported) {
    if (input.dueOn && input.today > input.dueOn) return { light: 'red', reason: '逾期未报送' };
    if (input.dueOn && daysBetween(input.today, input.dueOn) <= rules.dueSoonDays) return { light: 'yellow', reason: '即将到期，尚未报送' };
    return { light: 'grey', reason: '尚未报送' };
  }
  if (input.status === '已完成') return { light: 'green', reason: '已完成' };
  if (input.status === '未完成') return { light: 'red', reason: '未完成' };
  const progress = progressFigure(input.figures);
  if (progress !== undefined) {
    const behind = input.expectedProgress - progress;
    if (behind > rules.redBehind) return { light: 'red', reason: `落后序时进度 ${round(behind)} 个百分点` };
    if (behind >= rules.yellowBehind) return { light: 'yellow', reason: `落后序时进度 ${round(behind)} 个百分点` };
    return { light: 'green', reason: behind > 0 ? `落后序时进度 ${round(behind)} 个百分点` : '达到序时进度' };
  }
  if (input.status === '进度滞后') return { light: 'yellow', reason: '进度滞后' };
  if (input.status === '序时推进' || input.status === '持续推进') return { light: 'green', reason: input.status };
  return { light: 'grey', reason: '未标明完成状态' };
}

const round = (value: number) => Math.round(value * 10) / 10;
