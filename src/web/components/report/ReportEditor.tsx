import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, InputNumber, Radio, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { ApiError } from '../../api.js';
import { formatDateTime } from '../../format.js';
import {
  conflictOf,
  EMPTY_CONTENT,
  REPORT_FIGURES_MAX,
  REPORT_STATUSES,
  reportsApi,
  TEXT_LIMITS,
  sameContent,
  type ReportConflict,
} from '../../reportsApi.js';
import { ConflictDialog } from './ConflictDialog.js';
import type { ReportContent, ReportKey, ReportView } from '../../../contract/reports.js';
import type { ReportStatus } from '../../../contract/vocabulary.js';

/** How long after the last keystroke the draft is saved. */
export const AUTOSAVE_DELAY_MS = 2000;
/** How long after a failed save (network, server) it is tried again by itself. */
const RETRY_DELAY_MS = 15_000;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'error'; message: string; retry: boolean }
  | { kind: 'conflict' };

export interface ReportEditorHandle {
  /** saves what is pending now; false when it could not be saved (the reason shows in the save state) */
  flush(): Promise<boolean>;
  /** what submission still needs, marking the fields; [] when complete */
  checkForSubmission(): string[];
}

interface FigureRow {
  key: number;
  name: string;
  value: number | null;
  unit: string;
}

interface Draft {
  progress: string;
  problems: string;
  nextSteps: string;
  status: ReportStatus | null;
  figures: FigureRow[];
}

let nextFigureKey = 1;

function draftOf(content: ReportContent): Draft {
  return { ...content, figures: content.figures.map((figure) => ({ ...figure, key: nextFigureKey++ })) };
}

const isComplete = (row: FigureRow) => row.name.trim() !== '' && row.value !== null && Number.isFinite(row.value);
const isBlank = (row: FigureRow) => row.name.trim() === '' && row.value === null && row.unit.trim() === '';

/** What is saved: the texts, the status and the figures filled in completely (a half-typed row waits). */
function contentOf(draft: Draft): ReportContent {
  return {
    progress: draft.progress,
    problems: draft.problems,
    nextSteps: draft.nextSteps,
    status: draft.status,
    figures: draft.figures.filter(isComplete).map((row) => ({ name: row.name, value: row.value!, unit: row.unit })),
  };
}

// A copy of unsaved text in this browser, so that a lost connection or a closed tab loses nothing.
interface Backup {
  content: ReportContent;
  baseRevision: number;
  at: string;
}

const backupName = (userId: number, key: ReportKey) =>
  `luoshi.report-draft.${userId}.${key.itemId}.${key.organisationId}.${key.periodCode}`;

function readBackup(name: string): Backup | undefined {
  try {
    const text = window.localStorage.getItem(name);
    return text ? (JSON.parse(text) as Backup) : undefined;
  } catch {
    return undefined;
  }
}

function writeBackup(name: string, backup: Backup | undefined): void {
  try {
    if (backup) window.localStorage.setItem(name, JSON.stringify(backup));
    else window.localStorage.removeItem(name);
  } catch {
    // storage full or disabled: the server copy and the unload warning remain
  }
}

/**
 * The form of a report the unit may edit: 进展情况, 存在问题, 下一步计划, 完成状态 and 指标数据. It saves by itself
 * two seconds after typing stops and when a field is left; a save refused because someone else saved meanwhile
 * opens a dialog with both texts, and nothing typed is dropped: what the person chooses not to keep on the
 * server goes to `onKeep`, where it stays to copy from.
 */
export function ReportEditor({
  view,
  userId,
  ref,
  onSaved,
  onState,
  onKeep,
  onBlocked,
}: {
  view: ReportView;
  userId: number;
  ref: Ref<ReportEditorHandle>;
  /** a newer report from the server (a save, or the current one of a conflict) */
  onSaved: (view: ReportView) => void;
  onState: (state: SaveState) => void;
  /** text the person set aside (their own version after taking the other's), to keep visible for copying */
  onKeep: (content: ReportContent, note: string) => void;
  /** the report may no longer be edited (submitted or locked elsewhere): the unsaved text, and why */
  onBlocked: (content: ReportContent, message: string) => void;
}) {
  const key = view.key;
  const storageName = backupName(userId, key);
  const [draft, setDraftState] = useState<Draft>(() => draftOf(view.content ?? EMPTY_CONTENT));
  const [conflict, setConflict] = useState<ReportConflict | null>(null);
  const [overwriting, setOverwriting] = useState(false);
  const [marks, setMarks] = useState<{ progress?: string; status?: string }>({});
  const [recovered, setRecovered] = useState<Backup | undefined>(() => {
    const backup = readBackup(storageName);
    if (backup && view.content && sameContent(backup.content, view.content)) {
      writeBackup(storageName, undefined);
      return undefined;
    }
    return backup;
  });

  const draftRef = useRef(draft);
  const baseRef = useRef(view.revision);
  const savedRef = useRef<ReportContent>(view.content ?? EMPTY_CONTENT);
  const inflightRef = useRef<Promise<boolean> | null>(null);
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const conflictRef = useRef<ReportConflict | null>(null);
  const blockedRef = useRef(false);
  const stateRef = useRef<SaveState>({ kind: 'idle' });
  const callbacks = useRef({ onSaved, onState, onKeep, onBlocked });
  callbacks.current = { onSaved, onState, onKeep, onBlocked };

  const setState = useCallback((state: SaveState) => {
    stateRef.current = state;
    callbacks.current.onState(state);
  }, []);

  const isDirty = () => !sameContent(contentOf(draftRef.current), savedRef.current);

  const setDraft = (next: Draft) => {
    draftRef.current = next;
    setDraftState(next);
  };

  const load = (content: ReportContent, revision: number) => {
    savedRef.current = content;
    baseRef.current = revision;
    setDraft(draftOf(content));
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key's parts are its identity; isDirty and the refs are read at call time on purpose
  const save = useCallback(
    async (content: ReportContent): Promise<boolean> => {
      setState({ kind: 'saving' });
      try {
        const saved = await reportsApi.save(key, content, baseRef.current);
        baseRef.current = saved.revision;
        savedRef.current = content;
        callbacks.current.onSaved(saved);
        if (!isDirty()) {
          writeBackup(storageName, undefined);
          setState({ kind: 'saved', at: new Date() });
        } else {
          setState({ kind: 'dirty' });
        }
        return true;
      } catch (error) {
        const found = conflictOf(error);
        if (found) {
          // what the person has now, which may be more than what was sent
          const pending = { current: found.current, yours: contentOf(draftRef.current) };
          conflictRef.current = pending;
          setConflict(pending);
          setState({ kind: 'conflict' });
          callbacks.current.onSaved(found.current);
          return false;
        }
        const message = error instanceof Error ? error.message : '保存失败';
        if (error instanceof ApiError && (error.status === 409 || error.status === 403 || error.status === 404)) {
          // submitted, locked, or the assignment returned in the meantime: editing is over; keep the text
          blockedRef.current = true;
          setState({ kind: 'error', message, retry: false });
          callbacks.current.onBlocked(contentOf(draftRef.current), message);
          return false;
        }
        const retry = !(error instanceof ApiError && error.status >= 400 && error.status < 500);
        setState({ kind: 'error', message, retry });
        if (retry) {
          clearTimeout(timerRef.current);
          timerRef.current = setTimeout(() => void flushRef.current(), RETRY_DELAY_MS);
        }
        return false;
      }
    },
    // the key is the report's identity: the page mounts a new editor for another report
    [key.itemId, key.organisationId, key.periodCode, storageName, setState],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: isDirty reads refs at call time, so a new closure would change nothing
  const flush = useCallback(async (): Promise<boolean> => {
    clearTimeout(timerRef.current);
    if (conflictRef.current || blockedRef.current) return false;
    // one save at a time: wait for the one under way, then save what changed since
    while (inflightRef.current) await inflightRef.current;
    if (conflictRef.current || blockedRef.current) return false;
    if (!isDirty()) {
      if (stateRef.current.kind === 'dirty') setState({ kind: 'idle' });
      return true;
    }
    const run = (async () => {
      try {
        return await save(contentOf(draftRef.current));
      } finally {
        inflightRef.current = null;
      }
    })();
    inflightRef.current = run;
    return run;
  }, [save, setState]);
  const flushRef = useRef(flush);
  flushRef.current = flush;

  const schedule = (delay = AUTOSAVE_DELAY_MS) => {
    clearTimeout(timerRef.current);
    timerRef.current = setTimeout(() => void flushRef.current(), delay);
  };

  const change = (patch: Partial<Draft>) => {
    const next = { ...draftRef.current, ...patch };
    setDraft(next);
    if (patch.progress !== undefined && patch.progress.trim()) setMarks((previous) => ({ ...previous, progress: undefined }));
    if (patch.status !== undefined) setMarks((previous) => ({ ...previous, status: undefined }));
    if (conflictRef.current || blockedRef.current) return;
    const dirty = isDirty();
    if (dirty) writeBackup(storageName, { content: contentOf(next), baseRevision: baseRef.current, at: new Date().toISOString() });
    if (stateRef.current.kind !== 'saving' && (stateRef.current.kind !== 'error' || dirty))
      setState(dirty ? { kind: 'dirty' } : { kind: 'idle' });
    schedule(patch.status !== undefined ? 300 : AUTOSAVE_DELAY_MS);
  };

  useImperativeHandle(
    ref,
    () => ({
      flush,
      checkForSubmission() {
        const current = draftRef.current;
        const problems: string[] = [];
        const next: { progress?: string; status?: string } = {};
        if (!current.progress.trim()) {
          problems.push('请填写进展情况');
          next.progress = '报送前请填写进展情况';
        }
        if (current.status === null) {
          problems.push('请选择完成状态');
          next.status = '报送前请选择完成状态';
        }
        if (current.figures.some((row) => !isBlank(row) && !isComplete(row)))
          problems.push('请把指标数据填写完整（名称和数值）或删除未填完的行');
        setMarks(next);
        return problems;
      },
    }),
    [flush],
  );

  // a newer version from the server while nothing here is pending (someone else saved, the page refetched): take it
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new revision may replace the draft, not every render's new content object
  useEffect(() => {
    if (view.revision > baseRef.current && view.content && !inflightRef.current && !conflictRef.current && !isDirty()) {
      load(view.content, view.revision);
    }
  }, [view.revision]);

  // leaving the page with unsaved changes: the browser asks; leaving within the app saves on the way out
  // biome-ignore lint/correctness/useExhaustiveDependencies: registered once per editor; everything it needs is read from refs when it runs
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const pending =
        isDirty() || inflightRef.current !== null || draftRef.current.figures.some((row) => !isBlank(row) && !isComplete(row));
      if (!pending) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      clearTimeout(timerRef.current);
      if (!conflictRef.current && !blockedRef.current && isDirty()) {
        const content = contentOf(draftRef.current);
        const name = storageName;
        // the browser copy stays until the server has it
        void (inflightRef.current ?? Promise.resolve(true))
          .then(() => reportsApi.save(key, content, baseRef.current))
          .then((saved) => {
            writeBackup(name, undefined);
            callbacks.current.onSaved(saved);
          })
          .catch(() => undefined);
      }
    };
  }, []);

  const resolveTakeTheirs = () => {
    const pending = conflictRef.current;
    if (!pending) return;
    conflictRef.current = null;
    setConflict(null);
    if (pending.yours)
      callbacks.current.onKeep(
        pending.yours,
        `${pending.current.updatedBy ?? '他人'}的版本已载入编辑框；以下是您当时未保存的内容，可复制需要的部分。`,
      );
    load(pending.current.content ?? EMPTY_CONTENT, pending.current.revision);
    writeBackup(storageName, undefined);
    setState({ kind: 'idle' });
  };

  const resolveKeepMine = async () => {
    const pending = conflictRef.current;
    if (!pending) return;
    setOverwriting(true);
    try {
      // on top of the current revision; if it moved again, the dialog shows the newer one
      baseRef.current = pending.current.revision;
      savedRef.current = pending.current.content ?? EMPTY_CONTENT;
      conflictRef.current = null;
      setConflict(null);
      const ok = await flush();
      if (ok) setState({ kind: 'saved', at: new Date() });
    } finally {
      setOverwriting(false);
    }
  };

  const restoreBackup = () => {
    if (!recovered) return;
    // based on the revision it was typed on: if the report moved since, the save shows both in the conflict dialog
    baseRef.current = Math.min(recovered.baseRevision, baseRef.current);
    setDraft(draftOf(recovered.content));
    setRecovered(undefined);
    setState({ kind: 'dirty' });
    schedule(0);
  };

  const blur = () => void flush();
  const figures = draft.figures;
  const unfinished = figures.filter((row) => !isBlank(row) && !isComplete(row)).length;
  const setFigure = (rowKey: number, patch: Partial<FigureRow>) =>
    change({ figures: draftRef.current.figures.map((row) => (row.key === rowKey ? { ...row, ...patch } : row)) });

  return (
    <div className="report-editor">
      {recovered && (
        <Alert
          type="warning"
          showIcon
          className="report-recovered"
          title={`本机保存有 ${formatDateTime(recovered.at)} 未能保存到服务器的内容`}
          description="可能是网络中断或页面被关闭。恢复后将立即保存；如果报告已被他人修改，会请您对照后决定。"
          action={
            <Space orientation="vertical" size={6}>
              <Button size="small" type="primary" onClick={restoreBackup}>
                恢复
              </Button>
              <Button
                size="small"
                onClick={() => {
                  callbacks.current.onKeep(recovered.content, '本机未保存的内容，供复制；它已不再作为草稿恢复。');
                  writeBackup(storageName, undefined);
                  setRecovered(undefined);
                }}
              >
                不恢复
              </Button>
            </Space>
          }
        />
      )}
      <Form layout="vertical" className="report-form" component="div">
        <Form.Item
          label="完成状态"
          required
          validateStatus={marks.status ? 'error' : undefined}
          help={marks.status}
          className="report-form-status"
        >
          <Radio.Group
            aria-label="完成状态"
            optionType="button"
            buttonStyle="solid"
            value={draft.status}
            onChange={(event) => change({ status: event.target.value as ReportStatus })}
            options={REPORT_STATUSES.map((status) => ({ value: status, label: status }))}
          />
        </Form.Item>
        <Form.Item
          label="进展情况"
          htmlFor="report-progress"
          required
          validateStatus={marks.progress ? 'error' : undefined}
          help={marks.progress}
        >
          <Input.TextArea
            id="report-progress"
            value={draft.progress}
            autoSize={{ minRows: 8, maxRows: 30 }}
            maxLength={TEXT_LIMITS.progress.max}
            showCount
            placeholder="本期工作进展：完成了哪些工作、取得的成效和具体数据"
            onChange={(event) => change({ progress: event.target.value })}
            onBlur={blur}
          />
        </Form.Item>
        <Form.Item label="存在问题" htmlFor="report-problems">
          <Input.TextArea
            id="report-problems"
            value={draft.problems}
            autoSize={{ minRows: 3, maxRows: 16 }}
            maxLength={TEXT_LIMITS.problems.max}
            showCount
            placeholder="推进中遇到的困难和问题（没有可不填）"
            onChange={(event) => change({ problems: event.target.value })}
            onBlur={blur}
          />
        </Form.Item>
        <Form.Item label="下一步计划" htmlFor="report-next-steps">
          <Input.TextArea
            id="report-next-steps"
            value={draft.nextSteps}
            autoSize={{ minRows: 3, maxRows: 16 }}
            maxLength={TEXT_LIMITS.nextSteps.max}
            showCount
            placeholder="下一阶段的工作安排和措施"
            onChange={(event) => change({ nextSteps: event.target.value })}
            onBlur={blur}
          />
        </Form.Item>
        <Form.Item
          label="指标数据"
          className="report-form-figures"
          extra={unfinished > 0 ? undefined : '可选：填报与该项工作相关的量化指标，如“新建管网 12 公里”。'}
        >
          {figures.length > 0 && (
            <Table<FigureRow>
              className="report-figures-table"
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={figures}
              rowClassName={(row) => (!isBlank(row) && !isComplete(row) ? 'report-figure-unfinished' : '')}
              columns={[
                {
                  key: 'name',
                  title: '指标名称',
                  render: (_, row, index) => (
                    <Input
                      aria-label={`第 ${index + 1} 项指标名称`}
                      value={row.name}
                      maxLength={TEXT_LIMITS.figureName.max}
                      showCount
                      placeholder="如 新建污水管网"
                      onChange={(event) => setFigure(row.key, { name: event.target.value })}
                      onBlur={blur}
                    />
                  ),
                },
                {
                  key: 'value',
                  title: '数值',
                  width: 180,
                  render: (_, row, index) => (
                    <InputNumber<number>
                      aria-label={`第 ${index + 1} 项指标数值`}
                      value={row.value}
                      style={{ width: '100%' }}
                      placeholder="数值"
                      onChange={(value) => setFigure(row.key, { value: typeof value === 'number' ? value : null })}
                      onBlur={blur}
                    />
                  ),
                },
                {
                  key: 'unit',
                  title: '单位',
                  width: 140,
                  render: (_, row, index) => (
                    <Input
                      aria-label={`第 ${index + 1} 项指标单位`}
                      value={row.unit}
                      maxLength={TEXT_LIMITS.figureUnit.max}
                      placeholder="如 公里、%"
                      onChange={(event) => setFigure(row.key, { unit: event.target.value })}
                      onBlur={blur}
                    />
                  ),
                },
                {
                  key: 'remove',
                  title: '',
                  width: 48,
                  render: (_, row, index) => (
                    <Button
                      type="text"
                      aria-label={`删除第 ${index + 1} 项指标`}
                      icon={<DeleteOutlined />}
                      onClick={() => {
                        change({ figures: draftRef.current.figures.filter((candidate) => candidate.key !== row.key) });
                      }}
                    />
                  ),
                },
              ]}
            />
          )}
          {unfinished > 0 && (
            <Typography.Text type="warning" className="report-figures-hint">
              有 {unfinished} 项指标未填完整（需要名称和数值），填完整后才会保存。
            </Typography.Text>
          )}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            className="report-figures-add"
            disabled={figures.length >= REPORT_FIGURES_MAX}
            onClick={() =>
              setDraft({
                ...draftRef.current,
                figures: [...draftRef.current.figures, { key: nextFigureKey++, name: '', value: null, unit: '' }],
              })
            }
          >
            添加指标
          </Button>
        </Form.Item>
      </Form>
      <ConflictDialog
        conflict={conflict}
        overwriting={overwriting}
        onTakeTheirs={resolveTakeTheirs}
        onKeepMine={() => void resolveKeepMine()}
      />
    </div>
  );
}
