import type { VersionView } from '../../../contract/reports.js';

/** What a version holds that a comparison shows: the content and which files were attached. */
const substance = (version: VersionView) =>
  JSON.stringify([version.content, version.attachments.map((file) => file.id).sort((a, b) => a - b)]);

/**
 * The two versions 版本比较 opens on: the current (newest) one against the previous one that differs from it. Steps
 * that carry the text on unchanged (报送 then 审核通过, 采纳) record identical versions, and comparing those shows
 * nothing; the newest earlier version with other content is what a reader means by "what changed". When every
 * version has the same content, the two newest are compared, which says so.
 */
export function defaultComparison(versions: readonly VersionView[]): { from?: number; to?: number } {
  const current = versions.at(-1);
  if (!current || versions.length < 2) return { to: current?.revision };
  const previous = [...versions.slice(0, -1)].reverse().find((version) => substance(version) !== substance(current)) ?? versions.at(-2)!;
  return { from: previous.revision, to: current.revision };
}
