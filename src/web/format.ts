const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An ISO timestamp shown in Beijing time, e.g. 2023/01/10 09:30. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTime.format(date);
}

export function chapterHeading(chapter: { numeral: string; title: string }): string {
  return chapter.numeral ? `${chapter.numeral}、${chapter.title}` : chapter.title;
}

export function planLabel(plan: { year: number; title: string }): string {
  return plan.title.includes(String(plan.year)) ? plan.title : `${plan.year}年 · ${plan.title}`;
}

/** A document title for a page (rendered as a React 19 <title>), e.g. 责任单位 · 落实. */
export function pageTitle(...parts: (string | undefined)[]): string {
  return [...parts.filter((part): part is string => Boolean(part)), '落实'].join(' · ');
}
