import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../auth.js';
import { errorMessage, ErrorState, LoadingState } from '../components/QueryState.js';
import { DownloadButton } from '../components/supervision/DownloadButton.js';
import { formatDateTime, pageTitle } from '../format.js';
import { bulletinDocumentUrl, bulletinKey, bulletinsKey, percent, supervisionApi } from '../supervisionApi.js';
import type { Bulletin } from '../../contract/supervision.js';

/** The wording of a draft: title, intro and closing, saved together. */
function Wording({ bulletin }: { bulletin: Bulletin }) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [title, setTitle] = useState(bulletin.title);
  const [intro, setIntro] = useState(bulletin.intro);
  const [closing, setClosing] = useState(bulletin.closing);
  useEffect(() => {
    setTitle(bulletin.title);
    setIntro(bulletin.intro);
    setClosing(bulletin.closing);
  }, [bulletin.title, bulletin.intro, bulletin.closing]);
  const changed = title !== bulletin.title || intro !== bulletin.intro || closing !== bulletin.closing;
  const save = useMutation({
    mutationFn: () => supervisionApi.updateBulletin(bulletin.id, { title: title.trim(), intro, closing }),
    onSuccess: (result) => {
      queryClient.setQueryData(bulletinKey(result.id), result);
      void queryClient.invalidateQueries({ queryKey: bulletinsKey(result.plan.id) });
      void message.success('通报文字已保存');
    },
  });
  return (
    <Card title="通报文字" style={{ marginBottom: 16 }}>
      <div className="dialog-form">
        <label htmlFor="bulletin-title">标题</label>
        <Input id="bulletin-title" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
        <label htmlFor="bulletin-intro">导语</label>
        <Input.TextArea id="bulletin-intro" value={intro} rows={5} maxLength={10_000} onChange={(event) => setIntro(event.target.value)} />
        <label htmlFor="bulletin-closing">结束语</label>
        <Input.TextArea
          id="bulletin-closing"
          value={closing}
          rows={4}
          maxLength={10_000}
          onChange={(event) => setClosing(event.target.value)}
        />
        {save.error && <Alert type="error" showIcon title={errorMessage(save.error)} />}
        <Space>
          <Button type="primary" disabled={!changed || !title.trim()} loading={save.isPending} onClick={() => save.mutate()}>
            保存
          </Button>
          {changed && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
        </Space>
      </div>
    </Card>
  );
}

/** One of the bulletin's numbered tables, as it stands in the document. */
function Section<Row extends object>({
  title,
  rows,
  rowKey,
  empty,
  columns,
}: {
  title: string;
  rows: Row[];
  rowKey: TableProps<Row>['rowKey'];
  empty: string;
  columns: TableColumnsType<Row>;
}) {
  return (
    <Card title={title} style={{ marginBottom: 16 }} styles={{ body: { padding: 0 } }}>
      <Table<Row>
        rowKey={rowKey}
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
        columns={columns}
      />
    </Card>
  );
}

function Tables({ bulletin }: { bulletin: Bulletin }) {
  return (
    <>
      <Section
        title="一、各单位报送情况"
        rows={bulletin.units}
        rowKey="unit"
        empty="该期没有应报送的单位"
        columns={[
          { title: '序号', width: 60, render: (_, __, index) => index + 1 },
          { title: '单位', dataIndex: 'unit' },
          { title: '承担事项', dataIndex: 'items', width: 100, align: 'right' },
          { title: '已报送', dataIndex: 'reported', width: 100, align: 'right' },
          { title: '按时报送', dataIndex: 'onTime', width: 100, align: 'right' },
          { title: '已完成', dataIndex: 'completed', width: 100, align: 'right' },
          { title: '按时报送率', width: 110, align: 'right', render: (_, row) => percent(row.onTimeRate) },
          { title: '完成率', width: 100, align: 'right', render: (_, row) => percent(row.completionRate) },
        ]}
      />
      <Section
        title="二、逾期和滞后事项"
        rows={bulletin.lagging}
        rowKey={(row) => `${row.unit}-${row.taskNumber}-${row.work}`}
        empty="该期没有逾期和滞后事项"
        columns={[
          { title: '单位', dataIndex: 'unit', width: 160 },
          { title: '序号', dataIndex: 'taskNumber', width: 80 },
          { title: '工作任务', dataIndex: 'work' },
          {
            title: '预警',
            dataIndex: 'lightLabel',
            width: 90,
            render: (label: string) => <Tag color={/红/.test(label) ? 'red' : /黄/.test(label) ? 'gold' : undefined}>{label}</Tag>,
          },
          { title: '原因', dataIndex: 'reason', width: 240 },
        ]}
      />
      <Section
        title="三、督办单办理情况"
        rows={bulletin.notices}
        rowKey={(row) => row.number}
        empty="该期没有督办单"
        columns={[
          { title: '文号', dataIndex: 'number', width: 150 },
          { title: '颜色', dataIndex: 'colourLabel', width: 100 },
          { title: '主送单位', dataIndex: 'unit', width: 160 },
          { title: '督办事项', dataIndex: 'work' },
          { title: '办理状态', dataIndex: 'stateLabel', width: 100 },
        ]}
      />
    </>
  );
}

/** One 通报: while a draft the office edits its wording, then 印发 gives it a number; downloadable as Word and Excel. */
export function BulletinPage() {
  const params = useParams();
  const bulletinId = Number(params.bulletinId);
  const { user } = useAuth();
  const { modal, message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const bulletin = useQuery({
    queryKey: bulletinKey(bulletinId),
    queryFn: ({ signal }) => supervisionApi.bulletin(bulletinId, signal),
    enabled: Number.isInteger(bulletinId) && bulletinId > 0,
  });
  const issue = useMutation({
    mutationFn: () => supervisionApi.issueBulletin(bulletinId),
    onSuccess: (result) => {
      queryClient.setQueryData(bulletinKey(result.id), result);
      void queryClient.invalidateQueries({ queryKey: bulletinsKey(result.plan.id) });
      void message.success(`通报已印发${result.numberText ? `，文号 ${result.numberText}` : ''}`);
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  if (bulletin.isError) return <ErrorState error={bulletin.error} onRetry={() => void bulletin.refetch()} />;
  if (bulletin.isPending) return <LoadingState rows={12} />;
  const data = bulletin.data;
  const draft = data.state === 'draft';
  const supervisor = user?.role === 'supervisor';
  return (
    <>
      <title>{pageTitle(data.title, '通报')}</title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to={`/plans/${data.plan.id}`}>{data.plan.title}</Link> },
          { title: <Link to={`/plans/${data.plan.id}/bulletins`}>通报</Link> },
          { title: data.period.label },
        ]}
      />
      <div className="page-head">
        <div>
          <Typography.Title level={2}>{data.title}</Typography.Title>
          <Space size={8} wrap>
            {draft ? <Tag>草稿</Tag> : <Tag color="green">已印发</Tag>}
            {data.numberText && <Typography.Text>{data.numberText}</Typography.Text>}
            <Typography.Text type="secondary">
              {data.period.label} · 创建于 {formatDateTime(data.createdAt)}
              {data.issuedAt ? ` · 印发于 ${formatDateTime(data.issuedAt)}` : ''}
            </Typography.Text>
          </Space>
        </div>
        <Space wrap>
          <DownloadButton href={bulletinDocumentUrl(data.id, 'docx')} label="下载 Word" />
          <DownloadButton href={bulletinDocumentUrl(data.id, 'xlsx')} label="下载 Excel" />
          {supervisor && draft && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={issue.isPending}
              onClick={() =>
                modal.confirm({
                  title: '印发这期通报？',
                  content: '印发后编排文号，通报文字和表格不能再修改。',
                  okText: '印发',
                  cancelText: '取消',
                  onOk: () => issue.mutateAsync(),
                })
              }
            >
              印发
            </Button>
          )}
        </Space>
      </div>
      {supervisor && draft ? (
        <Wording bulletin={data} />
      ) : (
        <Card style={{ marginBottom: 16 }}>
          <Typography.Paragraph className="pre-wrap">{data.intro}</Typography.Paragraph>
          <Typography.Paragraph className="pre-wrap" style={{ marginBottom: 0 }}>
            {data.closing}
          </Typography.Paragraph>
        </Card>
      )}
      <Tables bulletin={data} />
    </>
  );
}
