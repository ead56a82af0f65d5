/**
 * The longest text a person may write in each field of the reporting workflow, in characters. One table for the
 * server (request schemas and the service's own checks) and the web (counters on the inputs), so the counter a
 * person watches is the rule the server applies. Imports keep their own, larger cell cap (src/documents/limits.ts):
 * an official table that came in must not be cut.
 *
 * Pure constants: this folder imports nothing from the rest of src.
 */
export const TEXT_LIMITS = {
  /** 进展情况: a few paragraphs for a quarter's work */
  progress: { label: '进展情况', max: 5000 },
  /** 存在问题 */
  problems: { label: '存在问题', max: 2000 },
  /** 下一步计划 */
  nextSteps: { label: '下一步计划', max: 2000 },
  /** 审核意见、退回意见 of the leader and the reviewer */
  comment: { label: '意见', max: 2000 },
  /** 延期理由 */
  extensionReason: { label: '延期理由', max: 2000 },
  /** 延期审批意见 */
  decisionComment: { label: '审批意见', max: 2000 },
  /** 退回分工的理由 */
  assignmentReason: { label: '退回理由', max: 1000 },
  /** 指标名称 */
  figureName: { label: '指标名称', max: 100 },
  /** 计量单位 */
  figureUnit: { label: '计量单位', max: 20 },
  /** 再分解步骤的名称 */
  stepTitle: { label: '步骤名称', max: 500 },
} as const;

export type TextField = keyof typeof TEXT_LIMITS;

/** How many figures (指标数据) one report may carry. */
export const FIGURES_MAX = 50;

/** The length the limits count: characters as a person sees them (code points), not UTF-16 units. */
export function textLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** “进展情况不能超过 5000 字（现有 5012 字）。”, or null when the text fits. */
export function textTooLong(field: TextField, text: string): string | null {
  const { label, max } = TEXT_LIMITS[field];
  const length = textLength(text);
  return length > max ? `${label}不能超过 ${max} 字（现有 ${length} 字）。` : null;
}
