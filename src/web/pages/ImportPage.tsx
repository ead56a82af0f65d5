import type { ReactNode } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Collapse,
  Input,
  InputNumber,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { SelectProps, TableColumnsType } from 'antd';
import {
  CheckCircleOutlined,
  CloseOutlined,
  DeleteOutlined,
  FileExcelOutlined,
  FileOutlined,
  FileTextOutlined,
  FileWordOutlined,
  InboxOutlined,
  LoadingOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, api, importApi } from '../api.js';
import type { ImportInput, UploadProgress } from '../api.js';
import type { ColumnMeaningKey } from '../../contract/column-meanings.js';
import { errorMessage } from '../components/QueryState.js';
import { SummaryTableView } from '../components/SummaryTableView.js';
import { pageTitle } from '../format.js';
import {
  ACCEPTED_EXTENSIONS,
  MAX_UPLOAD_BYTES,
  changeList,
  changesWithMappings,
  checkImportFile,
  COLUMN_MEANING_OPTIONS,
  formatBytes,
  formatLabel,
  issuesOf,
  mappingsOf,
  missingField,
  periodInYear,
  periodOptions,
  rowMarks,
  withColumnMeaning,
} from '../importing.js';
import type { Issue, MappingChoice } from '../importing.js';
import type { ImportColumn as ImportColumnReading, ImportFiling, ImportOrganisation, ImportPreview } from '../../contract/imports.js';
import type { OrganisationRecord as OrganisationRow } from '../../contract/organisations.js';

type Stage =
  | { step: 'select' }
  | { step: 'preview'; input: ImportInput; preview: ImportPreview }
  | { step: 'done'; input: ImportInput; result: ImportPreview };

/** A value the file did not say and the server needs (the year, or the filing unit for a table with report texts). */
interface Missing {
  field: 'year' | 'organisation';
  message: string;
}

interface Busy {
  action: 'preview' | 'confirm';
  progress: UploadProgress;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function fileIcon(name: string): ReactNode {
  const lower = name.toLowerCase();
  if (lower.endsWith('.docx')) return <FileWordOutlined />;
  if (lower.endsWith('.xlsx')) return <FileExcelOutlined />;
  if (lower.endsWith('.txt') || lower.endsWith('.csv')) return <FileTextOutlined />;
  return <FileOutlined />;
}

/** The upload bar: the bytes going up, then the server at work. */
function UploadProgressBar({ busy, serverText }: { busy: Busy; serverText: string }) {
  const uploading = busy.progress.phase === 'upload';
  return (
    <div className="import-progress" role="status" aria-live="polite">
      <Progress percent={busy.progress.percent} status="active" size="small" showInfo={false} />
      <Typography.Text type="secondary" className="import-progress-text">
        {uploading ? (
          `正在上传… ${busy.progress.percent}%`
        ) : (
          <>
            <LoadingOutlined /> {serverText}
          </>
        )}
      </Typography.Text>
    </div>
  );
}

export function ImportPage() {
  const queryClient = useQueryClient();
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => api.organisations(signal) });

  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [yearText, setYearText] = useState('');
  const [unit, setUnit] = useState('');
  const [advancedOpen, setAdvancedOpen] = useState<string[]>([]);
  const [stage, setStage] = useState<Stage>({ step: 'select' });
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, MappingChoice>>({});
  const [missing, setMissing] = useState<Missing | null>(null);
  const [failedAction, setFailedAction] = useState<Busy['action']>('preview');
  const controller = useRef<AbortController | null>(null);

  // leaving the page ends an upload in flight
  useEffect(() => () => controller.current?.abort(), []);

  const start = (action: Busy['action']) => {
    controller.current?.abort();
    const next = new AbortController();
    controller.current = next;
    setBusy({ action, progress: { phase: 'upload', percent: 0 } });
    setError(null);
    setNotice(null);
    return next.signal;
  };
  const year = /^(19|20)\d{2}$/.test(yearText) ? Number(yearText) : null;
  const yearInvalid = yearText !== '' && year === null;
  const onProgress = (action: Busy['action']) => (progress: UploadProgress) => setBusy({ action, progress });

  const choose = (chosen: File) => {
    const problem = checkImportFile(chosen);
    setFileError(problem ?? null);
    setFile(problem ? null : chosen);
    setMissing(null);
    setError(null);
    setNotice(null);
  };

  /**
   * Previews the file (a dry run): first from the chosen file, then again whenever the person changes how it is read
   * (unit, year, period, columns, the unlinked rows), keeping the unit mappings already chosen. A value the file does
   * not say is asked for where it is entered, and the preview runs again once it is given.
   */
  const runPreview = async (input: ImportInput) => {
    if (busy?.action === 'confirm') return;
    const again = stage.step === 'preview';
    const signal = start('preview');
    try {
      const { preview } = await importApi.preview(input, onProgress('preview'), signal);
      setMissing(null);
      if (!again) {
        setChoices({});
        window.scrollTo({ top: 0 });
      }
      setStage({ step: 'preview', input, preview });
    } catch (failure) {
      if (isAbort(failure)) {
        setNotice(again ? '已取消重新识别，预览保持不变。' : '已取消上传。');
      } else {
        const field = failure instanceof ApiError ? missingField(failure.code) : undefined;
        if (field) {
          setMissing({ field, message: errorMessage(failure) });
          // the file did not say it: open the options where it is given
          if (!again) setAdvancedOpen(['advanced']);
        } else {
          setFailedAction('preview');
          setError(failure);
        }
      }
    } finally {
      if (controller.current?.signal === signal) controller.current = null;
      setBusy(null);
    }
  };

  const uploadPreview = async () => {
    if (!file || busy || yearInvalid) return;
    await runPreview({
      file,
      ...(year !== null ? { year } : {}),
      ...(unit.trim() ? { organisation: unit.trim() } : {}),
    });
  };

  const confirm = async () => {
    if (stage.step !== 'preview' || busy) return;
    if (unlinkedChoiceNeeded(stage)) return;
    const mappings = mappingsOf(stage.preview.organisations, choices);
    const signal = start('confirm');
    try {
      const { result } = await importApi.confirm(stage.input, mappings, onProgress('confirm'), signal);
      await Promise.all(
        ['plans', 'plan', 'organisations', 'organisation', 'summary', 'item'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      setStage({ step: 'done', input: stage.input, result });
      window.scrollTo({ top: 0 });
    } catch (failure) {
      if (isAbort(failure)) setNotice('已取消导入，未写入任何数据。');
      else {
        setFailedAction('confirm');
        setError(failure);
      }
    } finally {
      if (controller.current?.signal === signal) controller.current = null;
      setBusy(null);
    }
  };

  const cancelPreview = () => {
    controller.current?.abort();
    setStage({ step: 'select' });
    setChoices({});
    setMissing(null);
    setError(null);
    setNotice('已取消导入：预览已丢弃，没有写入任何数据。');
  };

  const restart = () => {
    setStage({ step: 'select' });
    setFile(null);
    setFileError(null);
    setYearText('');
    setUnit('');
    setChoices({});
    setMissing(null);
    setError(null);
    setNotice(null);
  };

  const current = stage.step === 'select' ? 0 : stage.step === 'preview' ? 1 : 2;
  const errorAlert = error ? (
    <Alert
      type="error"
      showIcon
      className="import-error"
      title={
        stage.step !== 'preview'
          ? '无法预览此文件'
          : failedAction === 'confirm'
            ? '导入失败，没有写入任何数据'
            : '无法按此重新识别，预览保持不变'
      }
      description={errorMessage(error)}
      closable={{ onClose: () => setError(null) }}
    />
  ) : null;
  const noticeAlert = notice ? (
    <Alert type="info" showIcon className="import-notice" title={notice} closable={{ onClose: () => setNotice(null) }} />
  ) : null;

  return (
    <>
      <title>{pageTitle('导入')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>导入</Typography.Title>
          <Typography.Text type="secondary">
            导入已有的任务分解方案或完成情况汇总表（Word、Excel、CSV、文本或 JSON）：先预览核对，确认后才写入。
          </Typography.Text>
        </div>
      </div>
      <Card className="import-steps-card">
        <Steps current={current} size="small" items={[{ title: '选择文件' }, { title: '预览核对' }, { title: '完成' }]} />
      </Card>

      {stage.step === 'select' && (
        <Card className="import-select">
          {noticeAlert}
          <Upload.Dragger
            accept={ACCEPTED_EXTENSIONS.join(',')}
            multiple={false}
            showUploadList={false}
            disabled={busy !== null}
            beforeUpload={(chosen) => {
              choose(chosen);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击选择或把文件拖到这里</p>
            <p className="ant-upload-hint">
              支持 {ACCEPTED_EXTENSIONS.join('、')} 文件，单个文件不超过 {formatBytes(MAX_UPLOAD_BYTES)}
            </p>
          </Upload.Dragger>
          {fileError && <Alert type="error" showIcon className="import-file-error" title={fileError} />}
          {file && (
            <div className="import-file" data-testid="import-file">
              <span className="import-file-icon">{fileIcon(file.name)}</span>
              <span className="import-file-name">{file.name}</span>
              <Typography.Text type="secondary">{formatBytes(file.size)}</Typography.Text>
              <Button
                type="text"
                size="small"
                icon={<DeleteOutlined />}
                aria-label="移除文件"
                disabled={busy !== null}
                onClick={() => {
                  setFile(null);
                  setError(null);
                }}
              />
            </div>
          )}

          <Collapse
            className="import-advanced"
            activeKey={advancedOpen}
            onChange={(keys) => setAdvancedOpen(keys)}
            items={[
              {
                key: 'advanced',
                label: '高级选项',
                extra: (
                  <Typography.Text type="secondary" className="import-advanced-extra">
                    {year !== null || unit.trim()
                      ? [year !== null ? `年份 ${year}` : '', unit.trim() ? `填报单位 ${unit.trim()}` : ''].filter(Boolean).join(' · ')
                      : '文件未写明年份或填报单位时填写'}
                  </Typography.Text>
                ),
                children: (
                  <div className="import-advanced-form">
                    <div className="import-field">
                      <label htmlFor="import-year">年份</label>
                      <Input
                        id="import-year"
                        inputMode="numeric"
                        maxLength={4}
                        placeholder="如 2030"
                        style={{ width: 160 }}
                        status={yearInvalid || missing?.field === 'year' ? 'error' : undefined}
                        value={yearText}
                        onChange={(event) => setYearText(event.target.value.replace(/\D/g, ''))}
                      />
                      <div
                        className={yearInvalid || missing?.field === 'year' ? 'import-field-help import-field-error' : 'import-field-help'}
                      >
                        {yearInvalid
                          ? '请填写四位数年份，如 2030'
                          : missing?.field === 'year'
                            ? '文件没有写明年份：请填写后重新预览'
                            : '文件标题中没有年份时必填（CSV 文件没有标题行）'}
                      </div>
                    </div>
                    <div className="import-field">
                      <label htmlFor="import-unit">填报单位</label>
                      <AutoComplete
                        id="import-unit"
                        style={{ width: 280 }}
                        placeholder="如 市水务局"
                        value={unit}
                        status={missing?.field === 'organisation' ? 'error' : undefined}
                        onChange={(value: string) => setUnit(value)}
                        options={(organisations.data?.organisations ?? []).map((org) => ({ value: org.name }))}
                        showSearch={{
                          filterOption: (input, option) => String(option?.value ?? '').includes(input.trim()),
                        }}
                        allowClear
                      />
                      <div className={missing?.field === 'organisation' ? 'import-field-help import-field-error' : 'import-field-help'}>
                        {missing?.field === 'organisation'
                          ? '文件没有写明填报单位：请填写后重新预览'
                          : '汇总表由哪个单位填报；文件中已写明时可不填，全市汇总表留空'}
                      </div>
                    </div>
                  </div>
                ),
              },
            ]}
          />

          {missing && <MissingAlert missing={missing} />}
          {errorAlert}
          {busy?.action === 'preview' && <UploadProgressBar busy={busy} serverText="正在解析…" />}
          <Space className="import-actions-inline">
            <Button type="primary" disabled={!file || yearInvalid} loading={busy !== null} onClick={() => void uploadPreview()}>
              上传并预览
            </Button>
            {busy && (
              <Button icon={<CloseOutlined />} onClick={() => controller.current?.abort()}>
                取消上传
              </Button>
            )}
          </Space>
        </Card>
      )}

      {stage.step === 'preview' && (
        <PreviewView
          preview={stage.preview}
          allOrganisations={organisations.data?.organisations}
          choices={choices}
          onChoose={(name, choice) => setChoices((previous) => ({ ...previous, [name]: choice }))}
          reading={
            <>
              <ReadingPanel
                preview={stage.preview}
                input={stage.input}
                missing={missing}
                busy={busy?.action === 'preview' ? busy : null}
                allOrganisations={organisations.data?.organisations}
                onChange={(patch) => void runPreview({ ...stage.input, ...patch })}
              />
              <UnlinkedPanel
                preview={stage.preview}
                choice={stage.input.unlinked}
                disabled={busy !== null}
                onChoose={(unlinked) => void runPreview({ ...stage.input, unlinked })}
              />
            </>
          }
          alerts={
            <>
              {noticeAlert}
              {errorAlert}
            </>
          }
          actions={
            <div className="import-actionbar">
              <div className="import-actionbar-status">
                {busy?.action === 'confirm' ? (
                  <UploadProgressBar busy={busy} serverText="正在导入…" />
                ) : unlinkedChoiceNeeded(stage) ? (
                  <Typography.Text type="warning">请先在上方选择如何处理填报单位不是牵头或配合单位的行，再确认导入。</Typography.Text>
                ) : (
                  <Typography.Text type="secondary">核对无误后确认导入；取消则丢弃此预览，不写入任何数据。</Typography.Text>
                )}
              </div>
              <Space>
                <Button onClick={cancelPreview}>取消</Button>
                <Button
                  type="primary"
                  icon={<CheckCircleOutlined />}
                  loading={busy?.action === 'confirm'}
                  disabled={busy?.action === 'preview' || unlinkedChoiceNeeded(stage)}
                  onClick={() => void confirm()}
                >
                  确认导入
                </Button>
              </Space>
            </div>
          }
        />
      )}

      {stage.step === 'done' && <DoneView result={stage.result} allOrganisations={organisations.data?.organisations} onRestart={restart} />}
    </>
  );
}

/** A confirming import with rows the filing unit has no part in needs the person's choice for them. */
function unlinkedChoiceNeeded(stage: Stage): boolean {
  return stage.step === 'preview' && (stage.preview.unlinked?.length ?? 0) > 0 && stage.input.unlinked === undefined;
}

const MISSING_LABELS: Record<Missing['field'], string> = { year: '年份', organisation: '填报单位' };

function MissingAlert({ missing }: { missing: Missing }) {
  return (
    <Alert
      type="warning"
      showIcon
      className="import-missing"
      title={`请补充${MISSING_LABELS[missing.field]}，再重新预览`}
      description={missing.message}
    />
  );
}

function sourceTag(column: ImportColumnReading, source: ImportPreview['columnsSource']): ReactNode {
  if (column.source === 'heading') return <Tag>按表头</Tag>;
  return <Tag color="blue">{source === 'remembered' ? '上次的选择' : '已选择'}</Tag>;
}

/**
 * 识别结果: what the preview read the file as, for the person to change. The filing unit, the year and the period
 * of the reports, the filing date and contact as the file writes them, and what each column of the table was read
 * as. Every change previews again (nothing is written); confirming sends the same choices, and the reading of the
 * columns is then remembered for the next file with the same headings.
 */
function ReadingPanel({
  preview,
  input,
  missing,
  busy,
  allOrganisations,
  onChange,
}: {
  preview: ImportPreview;
  input: ImportInput;
  missing: Missing | null;
  busy: Busy | null;
  allOrganisations: OrganisationRow[] | undefined;
  onChange: (patch: Partial<ImportInput>) => void;
}) {
  const [unitDraft, setUnitDraft] = useState(input.organisation ?? preview.organisation);
  const [yearDraft, setYearDraft] = useState<number | null>(input.year ?? preview.year);
  // what was last sent, so that a selection followed by leaving the field previews once
  const sentUnit = useRef(unitDraft);
  useEffect(() => {
    setUnitDraft(input.organisation ?? preview.organisation);
    sentUnit.current = input.organisation ?? preview.organisation;
    setYearDraft(input.year ?? preview.year);
  }, [preview, input.organisation, input.year]);

  const columns = preview.columns ?? [];
  const filing = preview.filing;
  const chosen = columns.some((column) => column.source === 'chosen');
  const disabled = busy !== null;

  const commitUnit = (value: string) => {
    const next = value.trim();
    if (next === sentUnit.current.trim()) return;
    sentUnit.current = next;
    onChange({ organisation: next === '' ? undefined : next });
  };
  const commitYear = () => {
    if (yearDraft === null || !Number.isInteger(yearDraft) || yearDraft < 1900 || yearDraft > 2099) {
      setYearDraft(input.year ?? preview.year);
      return;
    }
    if (yearDraft === preview.year && missing?.field !== 'year') return;
    const period = periodInYear(input.period, yearDraft);
    onChange({ year: yearDraft, period });
  };

  const columnTable: TableColumnsType<ImportColumnReading> = [
    { key: 'position', title: '列', width: 72, render: (_, column) => `第 ${column.position + 1} 列` },
    { key: 'heading', title: '文件中的表头', render: (_, column) => <span className="import-column-heading">{column.heading}</span> },
    {
      key: 'meaning',
      title: '识别为',
      width: 260,
      render: (_, column) => (
        <Select<ColumnMeaningKey>
          aria-label={`“${column.heading}”列识别为`}
          className="import-column-select"
          style={{ width: '100%' }}
          value={column.meaning}
          disabled={disabled}
          options={COLUMN_MEANING_OPTIONS}
          onChange={(meaning) => onChange({ columns: withColumnMeaning(columns, column.position, meaning) })}
        />
      ),
    },
    { key: 'source', title: '依据', width: 110, render: (_, column) => sourceTag(column, preview.columnsSource) },
  ];

  return (
    <Card
      className="import-reading"
      title="识别结果"
      extra={
        busy ? (
          <Typography.Text type="secondary">
            <LoadingOutlined /> 正在重新识别…
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">更改后自动重新预览，不写入数据</Typography.Text>
        )
      }
    >
      {missing && <MissingAlert missing={missing} />}
      <div className="import-reading-form">
        <div className="import-field">
          <label htmlFor="reading-unit">填报单位</label>
          <AutoComplete
            id="reading-unit"
            style={{ width: 280 }}
            placeholder={filing?.organisation ? `文件写的是 ${filing.organisation}` : '全市汇总表留空'}
            value={unitDraft}
            disabled={disabled}
            status={missing?.field === 'organisation' ? 'error' : undefined}
            onChange={(value: string) => setUnitDraft(value ?? '')}
            onSelect={(value: string) => commitUnit(value)}
            onBlur={() => commitUnit(unitDraft)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') commitUnit(unitDraft);
            }}
            options={(allOrganisations ?? []).map((org) => ({ value: org.name }))}
            showSearch={{ filterOption: (text, option) => String(option?.value ?? '').includes(text.trim()) }}
          />
          <div className={missing?.field === 'organisation' ? 'import-field-help import-field-error' : 'import-field-help'}>
            {missing?.field === 'organisation'
              ? '文件没有写明填报单位：请填写后回车'
              : filing?.organisation && filing.organisation !== preview.organisation
                ? `文件写的是“${filing.organisation}”，按“${preview.organisation || '全市'}”导入`
                : '报告记在这个单位名下'}
          </div>
        </div>
        <div className="import-field">
          <label htmlFor="reading-year">年份</label>
          <InputNumber<number>
            id="reading-year"
            style={{ width: 120 }}
            min={1900}
            max={2099}
            precision={0}
            controls={false}
            value={yearDraft}
            disabled={disabled}
            status={missing?.field === 'year' ? 'error' : undefined}
            onChange={(value) => setYearDraft(value)}
            onBlur={commitYear}
            onPressEnter={commitYear}
          />
          <div className={missing?.field === 'year' ? 'import-field-help import-field-error' : 'import-field-help'}>
            {missing?.field === 'year' ? '文件没有写明年份：请填写后回车' : '计划所属年度'}
          </div>
        </div>
        <div className="import-field">
          <label htmlFor="reading-period">报送周期</label>
          <Select<string>
            id="reading-period"
            style={{ width: 140 }}
            value={preview.period.code}
            disabled={disabled}
            options={periodOptions(preview.year)}
            onChange={(period) => onChange({ period })}
          />
          <div className="import-field-help">{input.period ? '已按您的选择' : '按表头或标题识别'}</div>
        </div>
        <div className="import-field import-reading-filed">
          <span className="import-reading-label">填报时间</span>
          <span>{filing?.date ? dateLabel(filing.date) : <Typography.Text type="secondary">文件未写明</Typography.Text>}</span>
        </div>
        <div className="import-field import-reading-filed">
          <span className="import-reading-label">联系人</span>
          <span>
            {filing?.contact || filing?.phone ? (
              [filing.contact, filing.phone ? `电话 ${filing.phone}` : ''].filter(Boolean).join(' · ')
            ) : (
              <Typography.Text type="secondary">文件未写明</Typography.Text>
            )}
          </span>
        </div>
      </div>

      {columns.length > 0 && (
        <div className="import-columns" data-testid="import-columns">
          <div className="import-columns-head">
            <Typography.Title level={5} className="import-columns-title">
              列对应关系
            </Typography.Title>
            {preview.columnsSource === 'remembered' && (
              <Tag color="blue" className="import-columns-remembered">
                已按上次的选择识别
              </Tag>
            )}
            {chosen && (
              <Button size="small" disabled={disabled} onClick={() => onChange({ columns: {} })}>
                恢复按表头识别
              </Button>
            )}
          </div>
          <Typography.Text type="secondary" className="import-columns-hint">
            {preview.columnsSource === 'heading'
              ? '各列按表头文字识别；如有不对，请在右侧选择该列的含义。确认导入后，相同表头的文件下次将按同样方式识别。'
              : '确认导入后，相同表头的文件下次将按此识别；“恢复按表头识别”则不再记住这些选择。'}
          </Typography.Text>
          <Table<ImportColumnReading>
            rowKey="position"
            size="small"
            columns={columnTable}
            dataSource={columns}
            pagination={false}
            rowClassName={(column) => (column.source === 'chosen' ? 'import-column-chosen' : '')}
          />
        </div>
      )}
    </Card>
  );
}

/** Rows whose texts the filing unit files though it is neither a lead nor a cooperating unit: a choice is required. */
function UnlinkedPanel({
  preview,
  choice,
  disabled,
  onChoose,
}: {
  preview: ImportPreview;
  choice: ImportInput['unlinked'];
  disabled: boolean;
  onChoose: (choice: 'cooperate' | 'omit') => void;
}) {
  const rows = preview.unlinked ?? [];
  if (rows.length === 0) return null;
  const unit = preview.organisation || '填报单位';
  return (
    <Alert
      type={choice ? 'info' : 'warning'}
      showIcon
      className="import-unlinked"
      title={`${unit}不是以下 ${rows.length} 行事项的牵头或配合单位，却填报了进展`}
      description={
        <>
          <ul className="issue-list">
            {rows.map((row, index) => (
              <li key={index}>
                <span className="issue-static">
                  <span className="issue-where">{row.location || `第 ${row.line} 行`}</span>
                  <Tag className="issue-column">序号 {row.task}</Tag>
                  <span className="issue-message">{row.work}</span>
                </span>
              </li>
            ))}
          </ul>
          <div className="import-unlinked-choice">
            <span className="import-unlinked-label">请选择（必选）：</span>
            <Radio.Group
              value={choice}
              disabled={disabled}
              onChange={(event) => onChoose(event.target.value as 'cooperate' | 'omit')}
              options={[
                { value: 'cooperate', label: '将填报单位加为配合单位' },
                { value: 'omit', label: '不导入这些文字' },
              ]}
            />
          </div>
        </>
      }
    />
  );
}

function dateLabel(iso: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return date ? `${Number(date[1])}年${Number(date[2])}月${Number(date[3])}日` : iso;
}

function ChangeTags({ changes }: { changes: ImportPreview['changes'] }) {
  const list = changeList(changes);
  if (list.length === 0) return null;
  return (
    <span className="import-changes" data-testid="import-changes">
      {list.map((change) => (
        <Tag key={change.key} color={change.key === 'revisedReports' ? 'orange' : 'blue'}>
          {change.label} <b>{change.count}</b> {change.unit}
        </Tag>
      ))}
    </span>
  );
}

function PreviewView({
  preview,
  allOrganisations,
  choices,
  onChoose,
  reading,
  alerts,
  actions,
}: {
  preview: ImportPreview;
  allOrganisations: OrganisationRow[] | undefined;
  choices: Record<string, MappingChoice>;
  onChoose: (name: string, choice: MappingChoice) => void;
  /** how the file was read (unit, year, period, columns), for the person to change */
  reading: ReactNode;
  alerts: ReactNode;
  actions: ReactNode;
}) {
  const issues = useMemo(() => issuesOf(preview), [preview]);
  const marks = useMemo(() => rowMarks(issues), [issues]);
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const changes = changesWithMappings(preview.changes, preview.organisations, choices);
  const mapped = preview.organisations.filter((org) => org.status === 'new' && typeof choices[org.name] === 'number');
  const nothing = changeList(changes).length === 0;
  const { counts } = preview;
  const unreported =
    !preview.organisation &&
    preview.table.columns.completion !== '' &&
    preview.table.chapters.some((chapter) => chapter.tasks.some((task) => task.items.some((item) => item.completion.trim() !== '')));

  const show = (issue: Issue) => {
    if (!issue.rowKey) return;
    setActiveKey(issue.rowKey);
    const row = document.querySelector(`.import-table [data-row-key="${CSS.escape(issue.rowKey)}"]`);
    row?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };

  return (
    <div className="import-preview">
      {alerts}
      <Card className="import-summary" title={`预览：${preview.fileName}`}>
        <dl className="import-facts">
          <div className="import-fact import-fact-wide">
            <dt>标题</dt>
            <dd>{preview.title}</dd>
          </div>
          <div className="import-fact">
            <dt>年份</dt>
            <dd>{preview.year}年</dd>
          </div>
          <div className="import-fact">
            <dt>填报单位</dt>
            <dd>{preview.organisation || '全市'}</dd>
          </div>
          <div className="import-fact">
            <dt>报送期</dt>
            <dd>{preview.period.label}</dd>
          </div>
          <div className="import-fact">
            <dt>格式</dt>
            <dd>{formatLabel(preview.format)}</dd>
          </div>
        </dl>
        {preview.filing && (
          <div className="import-filing" data-testid="import-filing">
            <Typography.Text type="secondary">{filingLine(preview.filing)}</Typography.Text>
          </div>
        )}
        <div className="import-counts-line">
          <span className="counts" data-testid="import-counts">
            <b>{counts.chapters}</b> 个章节 · <b>{counts.tasks}</b> 项任务 · <b>{counts.items}</b> 个事项
          </span>
          {(preview.warnings.length > 0 || preview.conflicts.length > 0) && (
            <Typography.Text type="warning">
              <WarningOutlined /> {preview.warnings.length} 条提示
              {preview.conflicts.length > 0 ? ` · ${preview.conflicts.length} 处冲突` : ''}
            </Typography.Text>
          )}
        </div>
        {unreported && (
          <Alert
            type="info"
            showIcon
            className="import-unreported"
            title={`未指定填报单位：表中的“${preview.table.columns.completion}”不会记为任何单位的报告。如需导入，请在下方“识别结果”中填写填报单位。`}
          />
        )}
        <div className="import-will-change">
          <span className="import-will-change-label">确认导入将：</span>
          {nothing ? (
            <Typography.Text type="secondary">数据库中已有相同内容，确认导入不会做任何更改</Typography.Text>
          ) : (
            <ChangeTags changes={changes} />
          )}
          {mapped.length > 0 && (
            <Typography.Text type="secondary" className="import-note">
              （已按单位对应关系调整：{mapped.length} 个新名称对应到已有单位，不再新建）
            </Typography.Text>
          )}
        </div>
      </Card>

      {reading}

      <IssueList
        kind="warning"
        title={`解析提示（${preview.warnings.length} 条）`}
        hint="这些行已按文件内容读入，请核对；点击可定位到表格中的行。"
        issues={issues.filter((issue) => issue.kind === 'warning')}
        onShow={show}
      />
      <IssueList
        kind="conflict"
        title={`与已有数据不一致（${preview.conflicts.length} 处）`}
        hint="确认导入不会覆盖已有数据，这些差异保持原样；可先核对序号，不影响确认。"
        issues={issues.filter((issue) => issue.kind === 'conflict')}
        onShow={show}
      />

      <OrganisationsPanel organisations={preview.organisations} allOrganisations={allOrganisations} choices={choices} onChoose={onChoose} />

      <Card className="summary-card import-table" title="表格预览" styles={{ body: { padding: '8px 24px 24px' } }}>
        <Typography.Title level={3} className="summary-title">
          {preview.table.title || preview.title}
        </Typography.Title>
        <div className="summary-meta">
          <span>填报单位：{preview.organisation || preview.table.organisation || '全市'}</span>
          <span>
            {preview.year}年 · {preview.period.label}
          </span>
        </div>
        <SummaryTableView
          columns={preview.table.columns}
          chapters={preview.table.chapters}
          emptyCompletion={null}
          marks={marks}
          activeKey={activeKey}
        />
      </Card>
      {actions}
    </div>
  );
}

/** 填报单位 X · 填报时间 Y · 联系人 Z 电话 W, from what the file's filing lines say. */
function filingLine(filing: ImportFiling): string {
  const date = filing.date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(filing.date) : null;
  const contact = [filing.contact ? `联系人 ${filing.contact}` : '', filing.phone ? `电话 ${filing.phone}` : ''].filter(Boolean).join(' ');
  return [
    filing.organisation ? `填报单位 ${filing.organisation}` : '',
    date ? `填报时间 ${Number(date[1])}年${Number(date[2])}月${Number(date[3])}日` : '',
    contact,
  ]
    .filter(Boolean)
    .join(' · ');
}

const COLLAPSED_ISSUES = 8;

function IssueList({
  kind,
  title,
  hint,
  issues,
  onShow,
}: {
  kind: Issue['kind'];
  title: string;
  hint: string;
  issues: Issue[];
  onShow: (issue: Issue) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  if (issues.length === 0) return null;
  const shown = expanded ? issues : issues.slice(0, COLLAPSED_ISSUES);
  return (
    <Alert
      type="warning"
      showIcon
      className={`import-issues import-issues-${kind}`}
      title={title}
      description={
        <>
          <Typography.Text type="secondary">{hint}</Typography.Text>
          <ul className="issue-list">
            {shown.map((issue, index) => {
              const content = (
                <>
                  <span className="issue-where">{issue.where}</span>
                  {issue.column && <Tag className="issue-column">{issue.column}</Tag>}
                  <span className="issue-message">{issue.message}</span>
                </>
              );
              return (
                <li key={index}>
                  {issue.rowKey ? (
                    <button type="button" className="issue-link" onClick={() => onShow(issue)} title="定位到表格中的行">
                      {content}
                    </button>
                  ) : (
                    <span className="issue-static">{content}</span>
                  )}
                </li>
              );
            })}
          </ul>
          {issues.length > COLLAPSED_ISSUES && (
            <Button type="link" size="small" onClick={() => setExpanded(!expanded)} style={{ padding: 0 }}>
              {expanded ? '收起' : `显示全部 ${issues.length} 条`}
            </Button>
          )}
        </>
      }
    />
  );
}

type MappingOption = NonNullable<SelectProps<MappingChoice>['options']>[number];

function mappingOptions(organisation: ImportOrganisation, all: OrganisationRow[]): MappingOption[] {
  const aliases = new Map(all.map((org) => [org.id, org.aliases]));
  const option = (org: { id: number; name: string; kindLabel: string }, suggested: boolean): MappingOption => ({
    value: org.id,
    label: org.name,
    kindLabel: org.kindLabel,
    suggested,
    search: [org.name, ...(aliases.get(org.id) ?? []), org.kindLabel].join(' ').toLowerCase(),
  });
  const suggested = new Set(organisation.suggestions.map((suggestion) => suggestion.id));
  const options: MappingOption[] = [{ value: 'create', label: '新建单位', search: '新建单位' }];
  if (organisation.suggestions.length > 0) {
    options.push({
      label: '名称相近的已有单位',
      title: '名称相近的已有单位',
      options: organisation.suggestions.map((suggestion) => option(suggestion, true)),
    });
  }
  const others = all.filter((org) => !suggested.has(org.id)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  if (others.length > 0) {
    options.push({ label: '全部已有单位', title: '全部已有单位', options: others.map((org) => option(org, false)) });
  }
  return options;
}

function OrganisationsPanel({
  organisations,
  allOrganisations,
  choices,
  onChoose,
}: {
  organisations: ImportOrganisation[];
  allOrganisations: OrganisationRow[] | undefined;
  choices: Record<string, MappingChoice>;
  onChoose: (name: string, choice: MappingChoice) => void;
}) {
  // new units first: they are the ones that need a decision
  const rows = useMemo(() => [...organisations].sort((a, b) => Number(b.status === 'new') - Number(a.status === 'new')), [organisations]);
  const newCount = organisations.filter((org) => org.status === 'new').length;
  const columns: TableColumnsType<ImportOrganisation> = [
    {
      key: 'name',
      title: '单位名称',
      render: (_, org) =>
        org.organisationId !== null ? (
          <Link to={`/organisations/${org.organisationId}`} target="_blank">
            {org.name}
          </Link>
        ) : (
          org.name
        ),
    },
    {
      key: 'written',
      title: '文件中的写法',
      render: (_, org) => {
        const written = org.written.filter((form) => form !== org.name);
        return written.length > 0 ? written.join('、') : <Typography.Text type="secondary">同左</Typography.Text>;
      },
    },
    { key: 'kind', title: '类型', width: 150, render: (_, org) => org.kindLabel },
    {
      key: 'status',
      title: '状态',
      width: 90,
      render: (_, org) => (org.status === 'known' ? <Tag color="green">已有</Tag> : <Tag color="orange">新单位</Tag>),
    },
    {
      key: 'mapping',
      title: '确认导入时',
      width: 320,
      render: (_, org) => {
        if (org.status === 'known') return <Typography.Text type="secondary">对应已有单位</Typography.Text>;
        const choice = choices[org.name] ?? 'create';
        return (
          <Select<MappingChoice>
            aria-label={`${org.name} 的对应单位`}
            className="mapping-select"
            style={{ width: '100%' }}
            value={choice}
            loading={!allOrganisations}
            options={mappingOptions(org, allOrganisations ?? [])}
            onChange={(value) => onChoose(org.name, value)}
            showSearch={{
              filterOption: (input, option) => String(option?.search ?? '').includes(input.trim().toLowerCase()),
            }}
            optionRender={(option) => (
              <span className="mapping-option">
                <span>{option.label}</span>
                {option.data.suggested ? (
                  <Tag color="gold" className="mapping-option-tag">
                    相近
                  </Tag>
                ) : null}
                {option.data.kindLabel ? <span className="mapping-option-kind">{String(option.data.kindLabel)}</span> : null}
              </span>
            )}
            notFoundContent="没有匹配的单位"
          />
        );
      },
    },
  ];
  return (
    <Card
      className="import-organisations"
      title="文件中的单位"
      extra={
        <Typography.Text type="secondary">
          共 {organisations.length} 个{newCount > 0 ? `，其中新单位 ${newCount} 个` : ''}
        </Typography.Text>
      }
      styles={{ body: { padding: 0 } }}
    >
      <div className="import-organisations-hint">
        {newCount > 0
          ? '新单位默认新建；如果它其实是某个已有单位（如“发改委”其实就是“市发展和改革委员会”），请在右侧选择，该写法会记为那个单位的别名，下次导入时自动识别。'
          : '文件中的单位都已在系统中，无需处理。'}
      </div>
      <Table<ImportOrganisation>
        rowKey="name"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        rowClassName={(org) => (org.status === 'new' ? 'row-new-organisation' : '')}
      />
    </Card>
  );
}

function DoneView({
  result,
  allOrganisations,
  onRestart,
}: {
  result: ImportPreview;
  allOrganisations: OrganisationRow[] | undefined;
  onRestart: () => void;
}) {
  const unit = result.organisation ? allOrganisations?.find((org) => org.name === result.organisation) : undefined;
  const nothing = changeList(result.changes).length === 0;
  return (
    <Card className="import-done">
      <Result
        status="success"
        title={nothing ? '导入完成：没有需要写入的内容' : '导入完成'}
        subTitle={
          <div className="import-done-sub">
            <div>
              {result.title} · {result.organisation || '全市'} · {result.period.label}
            </div>
            <div className="import-done-changes">
              {nothing ? '数据库中已有相同内容，没有做任何更改。' : <ChangeTags changes={result.changes} />}
            </div>
            {result.columnsSource === 'chosen' && (
              <div className="import-done-columns">
                <Typography.Text type="secondary">已记住本次的列对应关系：表头相同的文件下次导入时将按此识别。</Typography.Text>
              </div>
            )}
            {result.conflicts.length > 0 && (
              <div>
                <Typography.Text type="warning">{result.conflicts.length} 处与已有数据不一致，已保留原有数据。</Typography.Text>
              </div>
            )}
          </div>
        }
        extra={[
          result.planId !== null ? (
            <Link key="plan" to={`/plans/${result.planId}`}>
              <Button type="primary">查看工作任务</Button>
            </Link>
          ) : null,
          result.organisation ? (
            unit ? (
              <Link key="unit" to={`/organisations/${unit.id}${result.planId !== null ? `?plan=${result.planId}` : ''}`}>
                <Button>查看本单位汇总表</Button>
              </Link>
            ) : (
              <Button key="unit" loading={!allOrganisations} disabled>
                查看本单位汇总表
              </Button>
            )
          ) : null,
          <Button key="again" onClick={onRestart}>
            继续导入
          </Button>,
        ]}
      />
    </Card>
  );
}
