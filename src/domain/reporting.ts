import { REPORT_EVENTS, REPORT_STATUSES, type ReportEvent, type ReportStatus } from '../contract/vocabulary.js';

export { REPORT_EVENTS, REPORT_STATUSES, type ReportEvent, type ReportStatus };
import { FIGURES_MAX, textTooLong, type TextField } from '../contract/limits.js';
import { REPORT_EVENT_LABELS as EVENT_WORDS, REPORT_STATE_LABELS as STATE_WORDS } from '../contract/labels.js';
import type { Role } from './roles.js';

/**
 * The life of a report, item × unit × period. A unit drafts and submits; its leader approves (or sends it back);
 * the reviewer accepts it or returns it with a comment. The reviewer of the lead unit's report (the consolidated
 * one) is the supervision office; the reviewer of a cooperating unit's report is the lead unit, which consolidates
 * it, and the office may act for it. An accepted report is locked.
 */
export const REPORT_STATES = ['draft', 'submitted', 'approved', 'returned', 'accepted'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** The words of src/contract/labels.ts, which the web shows too. */
export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  draft: STATE_WORDS.draft,
  submitted: STATE_WORDS.submitted,
  approved: STATE_WORDS.approved,
  returned: STATE_WORDS.returned,
  accepted: STATE_WORDS.accepted,
};

/** A report's label as the reader should see it: 未填报 while no report exists, else its state's word. */
export function reportStateLabelOf(state: ReportState | string | null | undefined, exists = state !== null && state !== undefined): string {
  if (!exists) return STATE_WORDS.none;
  return REPORT_STATE_LABELS[state as ReportState] ?? String(state);
}

export const REPORT_EVENT_LABELS: Record<ReportEvent | 'create' | 'import', string> = EVENT_WORDS;

const TRANSITIONS: Record<ReportEvent, { from: readonly ReportState[]; to: ReportState; needsComment: boolean }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', needsComment: false },
  withdraw: { from: ['submitted'], to: 'draft', needsComment: false },
  approve: { from: ['submitted'], to: 'approved', needsComment: false },
  reject: { from: ['submitted'], to: 'returned', needsComment: true },
  accept: { from: ['approved'], to: 'accepted', needsComment: false },
  return: { from: ['approved'], to: 'returned', needsComment: true },
};

export function nextState(state: ReportState, event: ReportEvent): ReportState | undefined {
  const transition = TRANSITIONS[event];
  return transition.from.includes(state) ? transition.to : undefined;
}

export function needsComment(event: ReportEvent): boolean {
  return TRANSITIONS[event].needsComment;
}

/** A draft or a returned report is the unit's to change; from submission on it is not. */
export function isEditable(state: ReportState): boolean {
  return state === 'draft' || state === 'returned';
}

/**
 * Versions whose content left the unit, which is what the lead unit and the office read: the approved text, the
 * text the reviewer returned or accepted, and imported tables (already official when they came in).
 */
export const DELIVERED_EVENTS: ReadonlySet<string> = new Set(['import', 'approve', 'accept', 'return']);

/** States whose content has left the unit: visible to the lead unit and the office. */
export function isDelivered(state: string): boolean {
  return state === 'approved' || state === 'accepted';
}

/** Who is acting, as the reporting rules need to know them. */
export interface ReportingActor {
  role: Role;
  organisationId: number;
}

/** What the rules need to know of a report and its item. */
export interface ReportSubject {
  organisationId: number;
  /** the units leading the item */
  leadOrganisationIds: readonly number[];
}

const UNIT_MEMBERS: readonly Role[] = ['unit_leader', 'unit_reporter'];

/** May this person do this to this report? The state is checked separately, by nextState. */
export function mayActOnReport(actor: ReportingActor, subject: ReportSubject, action: ReportEvent | 'edit' | 'request_extension'): boolean {
  const ownUnit = actor.organisationId === subject.organisationId && UNIT_MEMBERS.includes(actor.role);
  switch (action) {
    case 'edit':
    case 'submit':
    case 'request_extension':
      return ownUnit;
    // taking a submission back is the reporter's; the leader it waits for answers it instead (approve or send back)
    case 'withdraw':
      return ownUnit && actor.role === 'unit_reporter';
    case 'approve':
    case 'reject':
      return ownUnit && actor.role === 'unit_leader';
    case 'accept':
    case 'return': {
      if (actor.role === 'supervisor') return true;
      const reportOfLead = subject.leadOrganisationIds.includes(subject.organisationId);
      return !reportOfLead && UNIT_MEMBERS.includes(actor.role) && subject.leadOrganisationIds.includes(actor.organisationId);
    }
  }
}

// the status words (DOMAIN.md) and the phrases of a report's text that mean each
const STATUS_PHRASES: [ReportStatus, RegExp][] = [
  ['未完成', /未完成|未如期完成|未启动/],
  ['进度滞后', /未达到序时进度|滞后|欠进度|推进缓慢/],
  ['已完成', /已完成|已全部完成|提前完成|超额完成|办结|销号/],
  ['序时推进', /序时|正常推进|有序推进|按序推进/],
  ['持续推进', /持续推进|长期推进|持续开展/],
];

/** The canonical status a phrase means, or undefined. Negations are tried first: 未完成 contains 完成. */
export function canonicalStatus(phrase: string): ReportStatus | undefined {
  const compact = phrase.replace(/\s+/g, '');
  if ((REPORT_STATUSES as readonly string[]).includes(compact)) return compact as ReportStatus;
  return STATUS_PHRASES.find(([, pattern]) => pattern.test(compact))?.[0];
}

/** A figure reported beside the text: 新增污水日处理能力 14 万吨. */
export interface ReportFigure {
  name: string;
  value: number;
  unit: string;
}

/** The parts of a report a unit writes. */
export interface ReportContent {
  progress: string;
  problems: string;
  nextSteps: string;
  status: ReportStatus | null;
  figures: ReportFigure[];
}

/** Problems with a report's content, in Chinese, or [] when it may be saved. Submitting needs the progress text. */
export function contentProblems(content: ReportContent, forSubmission: boolean): string[] {
  const problems: string[] = [];
  const fields: (keyof ReportContent & TextField)[] = ['progress', 'problems', 'nextSteps'];
  for (const field of fields) {
    const tooLong = textTooLong(field, content[field]);
    if (tooLong) problems.push(tooLong);
  }
  if (content.status !== null && !(REPORT_STATUSES as readonly string[]).includes(content.status)) {
    problems.push(`完成状态“${content.status}”不可用，可选：${REPORT_STATUSES.join('、')}。`);
  }
  if (content.figures.length > FIGURES_MAX) problems.push(`指标数据不能超过 ${FIGURES_MAX} 项。`);
  content.figures.forEach((figure, index) => {
    if (!figure.name.trim()) problems.push(`第 ${index + 1} 项指标缺少名称。`);
    for (const field of ['figureName', 'figureUnit'] as const) {
      const tooLong = textTooLong(field, field === 'figureName' ? figure.name : figure.unit);
      if (tooLong) problems.push(`第 ${index + 1} 项指标的${tooLong}`);
    }
    if (!Number.isFinite(figure.value)) problems.push(`第 ${index + 1} 项指标“${figure.name}”的数值无效。`);
  });
  if (forSubmission) {
    if (!content.progress.trim()) problems.push('报送前请填写进展情况。');
    if (content.status === null) problems.push('报送前请选择完成状态。');
  }
  return problems;
}

/** One line-level change between two texts, for showing what a new version changed. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * The changes between two texts, by line, then within a changed line by character: reports are Chinese prose in a
 * few long paragraphs, where a line diff alone would show whole paragraphs as replaced for one changed figure.
 */
export function diffTexts(before: string, after: string): DiffLine[] {
  const a = splitForDiff(before);
  const b = splitForDiff(after);
  if (a.length * b.length > 4_000_000) {
    // texts too long to compare piece by piece: show them as replaced
    return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  }
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  const push = (kind: DiffLine['kind'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < a.length) push('removed', a[i++]!);
  while (j < b.length) push('added', b[j++]!);
  return out;
}

/** Pieces to compare: sentences ending in 。；！？ or a line break, then characters for short texts. */
function splitForDiff(text: string): string[] {
  if ([...text].length <= 400) return [...text];
  return text.match(/[^。；！？\n]*[。；！？\n]?/g)!.filter((piece) => piece !== '');
}
