import { useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, Navigate, useNavigate } from 'react-router';
import { useAuth } from '../auth.js';
import { organisationsApi } from '../organisationsApi.js';
import { MergeDialog, OrganisationDialog } from './OrganisationDialogs.js';
import { Highlight } from '../components/Highlight.js';
import { ErrorState, LoadingState } from '../components/QueryState.js';
import { pageTitle } from '../format.js';
import type { OrganisationRecord } from '../../contract/organisations.js';

type OrganisationRow = OrganisationRecord;

/** Who keeps the register; the server decides in any case. */
const KEEPERS = new Set(['admin', 'supervisor']);
const UNIT_ROLES = new Set(['unit_reporter', 'unit_leader']);

type Dialog = { kind: 'new' } | { kind: 'edit'; record: OrganisationRecord } | { kind: 'merge'; record: OrganisationRecord } | undefined;

export function OrganisationsPage() {
  const navigate = useNavigate();
  const { user } = useAuth();
  const keeper = KEEPERS.has(user?.role ?? '');
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog>();
  // a unit role reads only its own unit (the server lists no other): the register would be a list of one
  const ownUnitOnly = UNIT_ROLES.has(user?.role ?? '');
  const query = useQuery({ queryKey: ['organisations'], queryFn: ({ signal }) => organisationsApi.list(signal), enabled: !ownUnitOnly });
  const needle = search.trim().toLowerCase();

  const rows = useMemo(() => {
    const all = query.data?.organisations ?? [];
    if (!needle) return all;
    return all.filter(
      (org) =>
        org.name.toLowerCase().includes(needle) ||
        org.aliases.some((alias) => alias.toLowerCase().includes(needle)) ||
        org.kindLabel.includes(needle),
    );
  }, [query.data, needle]);

  const kinds = useMemo(() => {
    const seen = new Map<string, string>();
    for (const org of query.data?.organisations ?? []) seen.set(org.kind, org.kindLabel);
    return [...seen].map(([value, text]) => ({ value, text }));
  }, [query.data]);

  if (ownUnitOnly && user) return <Navigate to={`/organisations/${user.organisation.id}`} replace />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <LoadingState rows={12} />;

  const columns: TableColumnsType<OrganisationRow> = [
    {
      key: 'name',
      title: '单位名称',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      render: (_, org) => (
        <Space size={6}>
          <Link to={`/organisations/${org.id}`} onClick={(event) => event.stopPropagation()}>
            <Highlight text={org.name} query={needle} />
          </Link>
          {!org.active && <Tag>已撤销</Tag>}
        </Space>
      ),
    },
    {
      key: 'parent',
      title: '上级单位',
      width: 160,
      render: (_, org) => (org.parent ? org.parent.name : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      key: 'kind',
      title: '类型',
      width: 150,
      filters: kinds,
      onFilter: (value, org) => org.kind === value,
      render: (_, org) => <Tag>{org.kindLabel}</Tag>,
    },
    {
      key: 'aliases',
      title: '别名',
      render: (_, org) =>
        org.aliases.length ? (
          <Typography.Text type="secondary">
            {org.aliases.map((alias, index) => (
              <span key={alias}>
                {index > 0 && '、'}
                <Highlight text={alias} query={needle} />
              </span>
            ))}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: 'lead',
      title: '牵头事项',
      width: 110,
      align: 'right',
      sorter: (a, b) => a.leadCount - b.leadCount,
      render: (_, org) => org.leadCount,
    },
    {
      key: 'cooperating',
      title: '配合事项',
      width: 110,
      align: 'right',
      sorter: (a, b) => a.cooperatingCount - b.cooperatingCount,
      render: (_, org) => org.cooperatingCount,
    },
    {
      key: 'action',
      title: '操作',
      width: keeper ? 210 : 110,
      render: (_, org) => (
        <Space size={12} onClick={(event) => event.stopPropagation()}>
          <Link to={`/organisations/${org.id}`}>查看汇总表</Link>
          {keeper && (
            <>
              <Button
                type="link"
                size="small"
                className="inline-link"
                onClick={() => setDialog({ kind: 'edit', record: org })}
                aria-label={`修改${org.name}`}
              >
                修改
              </Button>
              <Button
                type="link"
                size="small"
                className="inline-link"
                onClick={() => setDialog({ kind: 'merge', record: org })}
                aria-label={`合并${org.name}`}
              >
                合并
              </Button>
            </>
          )}
        </Space>
      ),
    },
  ];

  const total = query.data.organisations.length;
  return (
    <>
      <title>{pageTitle('责任单位')}</title>
      <div className="page-head">
        <div>
          <Typography.Title level={2}>责任单位</Typography.Title>
          <Typography.Text type="secondary">承担工作任务的牵头单位和配合单位，共 {total} 个</Typography.Text>
        </div>
        <Space>
          <Input.Search
            allowClear
            placeholder="搜索单位名称或别名"
            aria-label="搜索单位名称或别名"
            style={{ width: 280 }}
            onChange={(event) => setSearch(event.target.value)}
          />
          {keeper && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'new' })}>
              新建单位
            </Button>
          )}
        </Space>
      </div>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<OrganisationRow>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          rowClassName={(org) => (org.active ? '' : 'row-retired')}
          onRow={(org) => ({ onClick: () => void navigate(`/organisations/${org.id}`), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty description={needle ? '没有符合条件的单位' : '暂无责任单位'} /> }}
        />
      </Card>
      {dialog?.kind === 'new' && <OrganisationDialog open all={query.data.organisations} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'edit' && (
        <OrganisationDialog open record={dialog.record} all={query.data.organisations} onClose={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'merge' && (
        <MergeDialog open source={dialog.record} all={query.data.organisations} onClose={() => setDialog(undefined)} />
      )}
    </>
  );
}
