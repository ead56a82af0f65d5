/**
 * The words for a report's state, one vocabulary for every page and answer. A report nobody has written is 未填报;
 * once the unit saved something it is a 草稿 until it is sent on. Pure constants, shared by server and web.
 */
export const REPORT_STATE_LABELS = {
  /** no report row yet: nothing written for this item, unit and period */
  none: '未填报',
  draft: '草稿',
  submitted: '待单位审核',
  approved: '待审核',
  returned: '已退回',
  accepted: '已采纳',
} as const;

export type ReportStateKey = keyof typeof REPORT_STATE_LABELS;

/** The label of a stored state; null or undefined (no report) is 未填报, an unknown state shows as it is. */
export function reportStateLabel(state: string | null | undefined): string {
  if (state === null || state === undefined) return REPORT_STATE_LABELS.none;
  return (REPORT_STATE_LABELS as Record<string, string>)[state] ?? state;
}

/** What each step of the workflow is called on its button and in the history. */
export const REPORT_EVENT_LABELS = {
  create: '创建',
  import: '导入',
  submit: '报送',
  withdraw: '撤回',
  approve: '单位审核通过',
  reject: '单位退回修改',
  accept: '采纳',
  return: '退回',
} as const;
