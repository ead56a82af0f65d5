import {
  CheckCircleFilled,
  CloseCircleFilled,
  EditOutlined,
  ExclamationCircleFilled,
  HistoryOutlined,
  LoadingOutlined,
  ProfileOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Col, Empty, Row, Tabs, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { useAuth } from '../auth.js';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { KeptContent, type Kept } from '../components/report/KeptContent.js';
import { ReportActions } from '../components/report/ReportActions.js';
import { ReportContentView } from '../components/report/ReportContentView.js';
import { ReportEditor, type ReportEditorHandle, type SaveState } from '../components/report/ReportEditor.js';
import { ReportHeader } from '../components/report/ReportHeader.js';
import { ReportHistory } from '../components/report/ReportHistory.js';
import { Attachments } from '../components/report/Attachments.js';
import { CooperatingReports, PreviousReport } from '../components/report/RelatedReports.js';
import { formatDateTime, pageTitle } from '../format.js';
import { clockTime, myWorkKey, reportKey, reportsApi, versionsKey } from '../reportsApi.js';
import type { ReportContent, ReportKey, ReportView } from '../../contract/reports.js';
import type { ReportEvent } from '../../contract/vocabulary.js';

const PERIOD_CODE = /^\d{4}-(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$/;
/** Roles that read the whole city: they see the consolidated report with its cooperating units' reports. */
const CITY_READERS = new Set(['supervisor', 'viewer', 'admin']);

/** The report page at /items/:itemId/reports/:orgId/:period; a new screen (and editor) for every report. */
export function ReportPage() {
  const params = useParams();
  const itemId = Number(params.itemId);
  const organisationId = Number(params.orgId);
  const periodCode = params.period ?? '';
  if (
    !Number.isInteger(itemId) ||
    itemId <= 0 ||
    !Number.isInteger(organisationId) ||
    organisationId <= 0 ||
    !PERIOD_CODE.test(periodCode)
  ) {
    return <ErrorState error={new Error('报告地址无效')} />;
  }
  const key = { itemId, organisationId, periodCode };
  return <ReportScreen key={`${itemId}/${organisationId}/${periodCode}`} reportKeyValue={key} />;
}

function SaveStatus({ state, view, onRetry }: { state: SaveState; view: ReportView; onRetry: () => void }) {
  switch (state.kind) {
    case 'saving':
      return (
        <span className="save-state save-state-saving">
          <LoadingOutlined /> 保存中…
        </span>
      );
    case 'saved':
      return (
        <span className="save-state save-state-saved">
          <CheckCircleFilled /> 已保存 {clockTime(state.at)}
        </span>
      );
    case 'dirty':
      return (
        <span className="save-state save-state-dirty">
          <EditOutlined /> 有未保存的修改，停止输入 2 秒后自动保存
        </span>
      );
    case 'conflict':
      return (
        <span className="save-state save-state-error">
          <ExclamationCircleFilled /> 与他人的修改冲突，请在对话框中选择
        </span>
      );
    case 'error':
      return (
        <span className="save-state save-state-error">
          <CloseCircleFilled /> 保存失败：{state.message}
          {state.retry && (
            <Button size="small" type="link" onClick={onRetry}>
              重试
            </Button>
          )}
        </span>
      );
    default:
      return (
        <span className="save-state">
          {view.updatedAt ? `自动保存已开启 · 上次保存 ${formatDateTime(view.updatedAt)}` : '自动保存已开启：输入的内容会自动保存为草稿'}
        </span>
      );
  }
}

function ReportScreen({ reportKeyValue: key }: { reportKeyValue: ReportKey }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const query = useQuery({ queryKey: reportKey(key), queryFn: ({ signal }) => reportsApi.get(key, signal), staleTime: 0 });
  const reportId = query.data?.id ?? null;
  const versions = useQuery({
    queryKey: versionsKey(reportId ?? 0),
    queryFn: ({ signal }) => reportsApi.versions(reportId!, signal),
    enabled: reportId !== null,
    staleTime: 0,
  });
  const editorRef = useRef<ReportEditorHandle>(null);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [kept, setKept] = useState<Kept[]>([]);
  const [editorGeneration, setEditorGeneration] = useState(0);
  const [tab, setTab] = useState('content');

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <LoadingState rows={12} />;
  const view = query.data;

  const role = user?.role ?? '';
  const ownUnit = user?.organisation.id === view.organisation.id && (role === 'unit_reporter' || role === 'unit_leader');
  const editing = view.actions.includes('edit') && user !== null && user !== undefined;
  const reviewing = view.actions.includes('accept') || view.actions.includes('return');
  const showCooperating = view.relation === 'lead' && (ownUnit || reviewing || CITY_READERS.has(role));

  const keep = (content: ReportContent, note: string) =>
    setKept((previous) => [...previous, { id: Date.now() + previous.length, content, note, at: new Date() }]);

  const refreshAfter = (next: ReportView) => {
    queryClient.setQueryData(reportKey(key), next);
    void queryClient.invalidateQueries({ queryKey: myWorkKey });
    void queryClient.invalidateQueries({
      predicate: (entry) => ['report-versions', 'report-diff', 'item'].includes(String(entry.queryKey[0])),
    });
  };

  const prepare = async (event: ReportEvent): Promise<ReportView | null> => {
    const editor = editorRef.current;
    if (editor) {
      if (event === 'submit') {
        const problems = editor.checkForSubmission();
        if (problems.length > 0) {
          void message.error(`还不能报送：${problems.join('；')}。`);
          return null;
        }
      }
      // the text on the screen is what is submitted: save what is pending first
      if (!(await editor.flush())) {
        void message.error('报告的最新修改未能保存，请先处理保存问题。');
        return null;
      }
    }
    return queryClient.getQueryData<ReportView>(reportKey(key)) ?? view;
  };

  const current = view.content ? (
    <ReportContentView content={view.content} />
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该单位尚未报送" />
  );

  const contentTab = (
    <div className="report-main">
      {kept.map((entry) => (
        <KeptContent
          key={entry.id}
          kept={entry}
          onClose={() => setKept((previous) => previous.filter((candidate) => candidate.id !== entry.id))}
        />
      ))}
      {editing && !query.isFetchedAfterMount ? (
        // the editor starts from the report as the server has it now, not from what this browser read before
        <LoadingState rows={10} />
      ) : editing ? (
        <Card className="report-card" title="填写报告" extra={<Typography.Text type="secondary">带 * 的为报送必填项</Typography.Text>}>
          <ReportEditor
            key={editorGeneration}
            ref={editorRef}
            view={view}
            userId={user.id}
            onSaved={(next) => queryClient.setQueryData(reportKey(key), next)}
            onState={setSaveState}
            onKeep={keep}
            onBlocked={(content, reason) => {
              keep(content, `未能保存：${reason}以下是您最后输入的内容，可复制使用。`);
              void query.refetch().then(() => {
                setSaveState({ kind: 'idle' });
                setEditorGeneration((generation) => generation + 1);
              });
            }}
          />
        </Card>
      ) : reviewing ? (
        <Row gutter={16} className="report-compare-row">
          <Col xs={24} xl={12}>
            <Card className="report-card" title={`本期报告 · ${view.period.label}`} data-testid="current-report">
              {current}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <PreviousReport view={view} />
          </Col>
        </Row>
      ) : (
        <Card className="report-card" title="报告内容" data-testid="current-report">
          {ownUnit && view.state === 'submitted' && (
            <Alert
              type="info"
              showIcon
              className="report-inline-alert"
              title={
                view.actions.includes('approve') ? '本单位填报人员已报送，请审核。' : '报告已报送，等待单位负责人审核；如需修改，可以撤回。'
              }
            />
          )}
          {ownUnit && view.state === 'approved' && (
            <Alert
              type="info"
              showIcon
              className="report-inline-alert"
              title={`单位负责人已审核通过，报告已报送${view.relation === 'lead' ? '督查室' : '牵头单位'}审核。`}
            />
          )}
          {ownUnit && (view.state === 'draft' || view.state === 'returned') && !view.actions.includes('edit') && (
            <Alert
              type="warning"
              showIcon
              className="report-inline-alert"
              title="本单位已退回该事项的分工，等待督查室重新分配，暂不能填报。"
            />
          )}
          {current}
        </Card>
      )}
      {(editing || view.attachments.length > 0 || view.content !== null) && <Attachments view={view} editable={editing} />}
      {showCooperating && <CooperatingReports view={view} />}
    </div>
  );

  const versionCount = versions.data?.versions.length;
  return (
    <div className="report-page">
      <title>{pageTitle(`${view.organisation.name}${view.period.label}报告`, `${view.item.task.number} ${view.item.task.name}`)}</title>
      <ReportHeader view={view} ownUnit={ownUnit} latest={versions.data?.versions.at(-1)} />
      <Tabs
        className="report-tabs"
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'content',
            label: (
              <span>
                <ProfileOutlined /> 报告内容
              </span>
            ),
            children: contentTab,
          },
          {
            key: 'history',
            label: (
              <span>
                <HistoryOutlined /> 历史版本{versionCount ? `（${versionCount}）` : ''}
              </span>
            ),
            children: (
              <Card className="report-card">
                <ReportHistory
                  reportId={reportId}
                  versions={versions.data?.versions ?? []}
                  loading={versions.isPending}
                  error={versions.error}
                />
              </Card>
            ),
          },
        ]}
      />
      {(view.actions.length > 0 || editing) && (
        <div className="report-actionbar" data-testid="report-actionbar">
          <div className="report-actionbar-status" data-testid="save-state">
            {editing ? (
              <SaveStatus state={saveState} view={view} onRetry={() => void editorRef.current?.flush()} />
            ) : (
              <span className="save-state">
                {view.actions.includes('approve')
                  ? '请审核本单位的报告：通过后报送上级审核，或退回修改。'
                  : reviewing
                    ? `请审阅${view.organisation.name}的报告：采纳，或写明意见后退回。`
                    : `当前状态：${view.stateLabel}`}
              </span>
            )}
          </div>
          <ReportActions view={view} prepare={prepare} onDone={refreshAfter} />
        </div>
      )}
    </div>
  );
}
