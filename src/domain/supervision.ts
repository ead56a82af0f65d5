/**
 * Supervision (督查督办): the three-colour 督办单, the periodic 通报 and the words they print. Pure types and rules;
 * the services fill them from the database and src/documents turns them into DOCX, PDF and XLSX.
 */

import { NOTICE_COLOUR_LABELS, NOTICE_COLOURS, type NoticeColour } from '../contract/supervision-words.js';

// the API's closed list and labels are the ones the documents print
export { NOTICE_COLOUR_LABELS, NOTICE_COLOURS, type NoticeColour };

/** The colour a notice is raised to when the office escalates it; red is the last. */
export function nextColour(colour: NoticeColour): NoticeColour | undefined {
  return colour === 'blue' ? 'yellow' : colour === 'yellow' ? 'red' : undefined;
}

/** A notice's number as printed: 〔2026〕第12号. */
export function noticeNumberText(year: number, number: number): string {
  return `〔${year}〕第${number}号`;
}

/** Everything a 督办单 prints, in official-document layout (GB/T 9704 conventions). */
export interface NoticeDocument {
  /** the issuing office, e.g. 苏州市人民政府督查室 */
  issuer: string;
  year: number;
  /** numbered per year from 1 */
  number: number;
  colour: NoticeColour;
  /** the unit the notice is addressed to (主送) */
  unit: string;
  plan: string;
  /** the item as the plan writes it */
  item: { chapter: string; taskNumber: string; task: string; work: string; lead: string; cooperating: string };
  /** why the notice was raised, in words (a light's reason or the office's own) */
  reason: string;
  /** what the unit is asked to do */
  requirement: string;
  /** ISO date by which the unit answers (反馈) */
  replyDueOn: string;
  /** ISO date of issue (Asia/Shanghai) */
  issuedOn: string;
  /** the office's contact line, printed at the foot when given */
  contact?: string;
}

/** One unit's line of a 通报. Rates are fractions 0–1 of the unit's items in the period; null when it has none. */
export interface BulletinUnitRow {
  unit: string;
  items: number;
  reported: number;
  onTime: number;
  completed: number;
  onTimeRate: number | null;
  completionRate: number | null;
}

/** An overdue or lagging item named in a 通报. */
export interface BulletinItemRow {
  unit: string;
  taskNumber: string;
  work: string;
  /** 红灯 / 黄灯 */
  lightLabel: string;
  reason: string;
}

/** A 督办单 issued in the period, as a 通报 lists it. */
export interface BulletinNoticeRow {
  number: string;
  colourLabel: string;
  unit: string;
  work: string;
  stateLabel: string;
}

/** A periodic 通报: the office edits intro and closing before issuing; the tables come from the data. */
export interface BulletinDocument {
  issuer: string;
  year: number;
  /** null while a draft */
  number: number | null;
  title: string;
  plan: string;
  periodLabel: string;
  issuedOn: string;
  intro: string;
  units: BulletinUnitRow[];
  lagging: BulletinItemRow[];
  notices: BulletinNoticeRow[];
  closing: string;
}

/** A Chinese date as official documents print it: 2026年12月1日. */
export function officialDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** A rate as 通报 print it: 87.5%, or — when there is nothing to rate. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** A 督办单's 发文字号 as printed under the 版头: 督办〔2026〕第12号. */
export function noticeReferenceText(year: number, number: number): string {
  return `督办${noticeNumberText(year, number)}`;
}

/** A 通报's 发文字号: 督通〔2026〕第3号. */
export function bulletinReferenceText(year: number, number: number | null): string {
  // a draft has no number yet: the place for it stays blank, as on a paper draft
  return number === null ? `督通〔${year}〕第　　号` : `督通${noticeNumberText(year, number)}`;
}

/** A 督办单's title, its colour first: 黄色督办单. */
export function noticeTitle(colour: NoticeColour): string {
  return `${NOTICE_COLOUR_LABELS[colour]}督办单`;
}

/** The colour each 督办单 prints its title in, as RGB hex without #: blue, a yellow dark enough to read, red. */
export const NOTICE_PRINT_COLOURS: Record<NoticeColour, string> = { blue: '1F4E9D', yellow: 'C9A100', red: 'C00000' };
