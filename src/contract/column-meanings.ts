/**
 * What a column of an imported table can be read as, with the words a person chooses from in the preview: a
 * meaning of the summary table, an extra column kept as written, or nothing. Pure constants, shared by server and
 * web; the order is the order of the choice list.
 */
export const COLUMN_MEANING_LABELS = {
  number: '序号',
  name: '名称',
  work: '工作任务',
  lead: '牵头单位',
  cooperating: '主要配合单位',
  responsible: '责任单位（首个为牵头）',
  completion: '完成情况/进展',
  problems: '存在问题',
  nextSteps: '下步打算',
  deadline: '完成时限',
  leader: '责任领导',
  status: '完成状态',
  extra: '保留为其他列',
  ignore: '不导入',
} as const;

export type ColumnMeaningKey = keyof typeof COLUMN_MEANING_LABELS;

export const COLUMN_MEANINGS = Object.keys(COLUMN_MEANING_LABELS) as ColumnMeaningKey[];

export function isColumnMeaning(value: unknown): value is ColumnMeaningKey {
  return typeof value === 'string' && Object.hasOwn(COLUMN_MEANING_LABELS, value);
}
