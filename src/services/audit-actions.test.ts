import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_GROUP_LABELS, AUDIT_ACTION_LABELS, AUDIT_OBJECT_TYPE_LABELS } from '../contract/audit-labels.js';
import { REPORT_EVENTS } from '../domain/reporting.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** The server-side sources that may write to the trail: everything but tests and the web. */
function sources(dir = SRC): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'web' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/**
 * Codes built from a value (`report.${input.event}`) and the values they take; a new template fails the scan until
 * it is listed here, so that its codes get labels too.
 */
const TEMPLATES: Record<string, readonly string[]> = {
  'report.${input.event}': REPORT_EVENTS.map((event) => `report.${event}`),
  'assignment.${input.answer}': ['assignment.acknowledge', 'assignment.return'],
};

function writtenCodes(): { actions: Set<string>; objectTypes: Set<string>; unknownTemplates: string[] } {
  const actions = new Set<string>();
  const objectTypes = new Set<string>();
  const unknownTemplates: string[] = [];
  for (const { text } of sources()) {
    if (!text.includes('appendAuditEvent(')) continue;
    for (const match of text.matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)) actions.add(match[1]!);
    // the sign-in's local helper: audit('auth.login_failed', ...)
    for (const match of text.matchAll(/\baudit\('([a-z_]+\.[a-z_]+)'/g)) actions.add(match[1]!);
    for (const match of text.matchAll(/\baction: `([^`]+)`/g)) {
      const expanded = TEMPLATES[match[1]!];
      if (expanded) for (const action of expanded) actions.add(action);
      else unknownTemplates.push(match[1]!);
    }
    for (const match of text.matchAll(/\bobjectType: '([a-z_]+)'/g)) objectTypes.add(match[1]!);
  }
  return { actions, objectTypes, unknownTemplates };
}

describe('the labels of the audit trail', () => {
  const written = writtenCodes();

  it('finds the codes the services write', () => {
    expect(written.unknownTemplates).toEqual([]);
    // a scan that found nothing would pass everything below
    expect(written.actions).toContain('report.submit');
    expect(written.actions).toContain('plan.schedule');
    expect(written.actions).toContain('auth.login_refused_locked');
    expect(written.objectTypes).toContain('extension_request');
  });

  it('has a Chinese label for every action, group and object type written, and none for codes nobody writes', () => {
    const labelled = new Set(Object.keys(AUDIT_ACTION_LABELS));
    expect([...written.actions].filter((action) => !labelled.has(action))).toEqual([]);
    expect([...labelled].filter((action) => !written.actions.has(action))).toEqual([]);
    const groups = new Set([...written.actions].map((action) => action.slice(0, action.indexOf('.') + 1)));
    expect([...groups].filter((group) => !(group in AUDIT_ACTION_GROUP_LABELS))).toEqual([]);
    expect([...written.objectTypes].filter((type) => !(type in AUDIT_OBJECT_TYPE_LABELS))).toEqual([]);
    for (const label of [
      ...Object.values(AUDIT_ACTION_LABELS),
      ...Object.values(AUDIT_ACTION_GROUP_LABELS),
      ...Object.values(AUDIT_OBJECT_TYPE_LABELS),
    ]) {
      expect(label).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
