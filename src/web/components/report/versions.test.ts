import { describe, expect, it } from 'vitest';
import { defaultComparison } from './versions.js';
import type { VersionView } from '../../../contract/reports.js';

const version = (revision: number, event: string, progress: string, files: number[] = []): VersionView => ({
  revision,
  event,
  eventLabel: event,
  state: 'submitted',
  stateLabel: '',
  comment: null,
  by: '张三',
  at: `2030-04-0${revision}T00:00:00Z`,
  content: { progress, problems: '', nextSteps: '', status: '序时推进', figures: [] },
  attachments: files.map((id) => ({
    id,
    fileName: `${id}.pdf`,
    contentType: 'application/pdf',
    size: 1,
    sha256: '',
    scanState: 'clean',
    scanLabel: '',
    createdAt: '',
  })),
});

describe('the comparison 版本比较 opens on', () => {
  it('compares the current version with the previous one that differs, not with an identical step', () => {
    // 报送, 单位审核通过 (same text), 退回 (same text), 报送 again with a new text, 审核通过 (same text)
    const versions = [
      version(2, 'submit', '一'),
      version(3, 'approve', '一'),
      version(4, 'return', '一'),
      version(7, 'submit', '二'),
      version(8, 'approve', '二'),
    ];
    expect(defaultComparison(versions)).toEqual({ from: 4, to: 8 });
  });

  it('counts a changed evidence file as a difference', () => {
    expect(
      defaultComparison([version(1, 'submit', '一', [1]), version(2, 'submit', '一', [1, 2]), version(3, 'approve', '一', [1, 2])]),
    ).toEqual({ from: 1, to: 3 });
  });

  it('falls back to the two newest when nothing ever changed, and to none with one version', () => {
    expect(defaultComparison([version(1, 'submit', '一'), version(2, 'approve', '一')])).toEqual({ from: 1, to: 2 });
    expect(defaultComparison([version(1, 'submit', '一')])).toEqual({ to: 1 });
    expect(defaultComparison([])).toEqual({ to: undefined });
  });
});
