import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Checkbox, Descriptions, Input, Modal, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api.js';
import { ORGANISATION_KIND_OPTIONS, organisationsApi } from '../organisationsApi.js';
import type { MergeResponse as MergeResult, OrganisationRecord } from '../../contract/organisations.js';
import { isOrganisationKind, type OrganisationKind } from '../../contract/vocabulary.js';

const ORGANISATIONS = ['organisations'] as const;

function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** Units a record may hang under: current ones other than itself. */
function parentOptions(all: OrganisationRecord[], self?: OrganisationRecord) {
  return all.filter((record) => record.active && record.id !== self?.id).map((record) => ({ value: record.id, label: record.name }));
}

/**
 * New unit or change of one: name, kind, parent, aliases, and for an existing one whether it is current. A rename
 * offers to keep the old name as an alias, which is what lets tables written with it import to the same unit.
 */
export function OrganisationDialog({
  open,
  record,
  all,
  onClose,
}: {
  open: boolean;
  record?: OrganisationRecord;
  all: OrganisationRecord[];
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(record?.name ?? '');
  const [kind, setKind] = useState<OrganisationKind>(record && isOrganisationKind(record.kind) ? record.kind : 'city_department');
  const [parentId, setParentId] = useState<number | null>(record?.parent?.id ?? null);
  const [aliases, setAliases] = useState<string[]>(record?.aliases ?? []);
  const [active, setActive] = useState(record?.active ?? true);
  const [keepOldName, setKeepOldName] = useState(true);
  const renamed = record !== undefined && name.replace(/\s+/g, '') !== record.name;
  const save = useMutation({
    mutationFn: () =>
      record
        ? organisationsApi.update(record.id, {
            name,
            kind,
            parentId,
            aliases,
            // the switch turned off and saved is the person's explicit yes to retiring the unit
            ...(active !== record.active ? { active, ...(active ? {} : { confirm: true as const }) } : {}),
            ...(renamed ? { keepOldNameAsAlias: keepOldName } : {}),
          })
        : organisationsApi.create({ name, kind, parentId, aliases }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ORGANISATIONS });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={record ? `修改单位：${record.name}` : '新建单位'}
      okText={record ? '保存' : '创建'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => save.mutate()}
      okButtonProps={{ disabled: !name.trim(), loading: save.isPending }}
      destroyOnHidden
    >
      <div className="dialog-form">
        <label htmlFor="org-name">规范名称</label>
        <Input id="org-name" value={name} onChange={(event) => setName(event.target.value)} placeholder="如 市生态环境局" maxLength={60} />
        {renamed && (
          <Checkbox checked={keepOldName} onChange={(event) => setKeepOldName(event.target.checked)}>
            保留旧名称“{record.name}”作为别名（按旧名称填写的表格仍能导入到本单位）
          </Checkbox>
        )}
        <label htmlFor="org-kind">类型</label>
        <Select id="org-kind" value={kind} onChange={setKind} options={[...ORGANISATION_KIND_OPTIONS]} />
        <label htmlFor="org-parent">上级单位</label>
        <Select
          id="org-parent"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={parentId ?? undefined}
          onChange={(value?: number) => setParentId(value ?? null)}
          options={parentOptions(all, record)}
          placeholder="无（如县级市、区政府下属部门可选其政府）"
        />
        <label htmlFor="org-aliases">别名</label>
        <Select
          id="org-aliases"
          mode="tags"
          value={aliases}
          onChange={setAliases}
          tokenSeparators={['、', '，', ',']}
          open={false}
          suffixIcon={null}
          placeholder="表格中出现的其他写法，如 生态环境局；回车添加"
        />
        {record && (
          // biome-ignore lint/a11y/noLabelWithoutControl: the label wraps antd's Switch, a button that clicking the words toggles
          <label className="org-active">
            <Switch checked={active} onChange={setActive} size="small" /> {active ? '现行单位' : '已撤销（保留历史记录，不再用于新的分工）'}
          </label>
        )}
        {save.error && <Alert type="error" showIcon title={errorText(save.error, '保存失败')} />}
      </div>
    </Modal>
  );
}

function movedItems(result: MergeResult) {
  const { moved } = result;
  return [
    { key: 'lead', label: '牵头事项', children: moved.leadLinks },
    { key: 'coop', label: '配合事项', children: moved.cooperatingLinks },
    { key: 'reports', label: '报告', children: moved.reports },
    { key: 'users', label: '用户账户', children: moved.users },
    { key: 'tokens', label: '接口令牌', children: moved.tokens },
    { key: 'imports', label: '导入记录', children: moved.imports },
    { key: 'children', label: '下级单位', children: moved.children },
    { key: 'aliases', label: '别名', children: moved.aliases },
  ];
}

/**
 * Merging is done in two steps: choosing the unit shows exactly what would move (a dry run on the server), and only
 * then can it be confirmed. It cannot be undone from here, so the button says so.
 */
export function MergeDialog({
  open,
  source,
  all,
  onClose,
}: {
  open: boolean;
  source: OrganisationRecord;
  all: OrganisationRecord[];
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [targetId, setTargetId] = useState<number>();
  const preview = useMutation({ mutationFn: (into: number) => organisationsApi.previewMerge(source.id, into) });
  const merge = useMutation({
    mutationFn: () => organisationsApi.merge(source.id, targetId!),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ORGANISATIONS });
      onClose();
    },
  });
  const choose = (value: number) => {
    setTargetId(value);
    preview.mutate(value);
  };
  const ready = preview.data !== undefined && preview.variables === targetId && !preview.isPending;
  return (
    <Modal
      open={open}
      title={`合并单位：${source.name}`}
      okText="确认合并"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: !ready, loading: merge.isPending }}
      onOk={() => merge.mutate()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <div className="dialog-form">
        <Typography.Paragraph type="secondary">
          当两条记录其实是同一个单位时使用：把“{source.name}”的事项分工、报告、用户账户、接口令牌等全部移到所选单位，“{source.name}
          ”成为它的别名，本记录保留为“已并入”。
        </Typography.Paragraph>
        <label htmlFor="merge-target">并入单位</label>
        <Select
          id="merge-target"
          showSearch={{ optionFilterProp: 'label' }}
          value={targetId}
          onChange={choose}
          options={parentOptions(all, source)}
          placeholder="选择保留的单位"
        />
        {preview.isPending && <Typography.Text type="secondary">正在计算将要移动的内容…</Typography.Text>}
        {preview.error && <Alert type="error" showIcon title={errorText(preview.error, '无法合并')} />}
        {ready && (
          <>
            <Descriptions size="small" bordered column={2} title="将移到所选单位" items={movedItems(preview.data)} />
            <Alert type="warning" showIcon title="合并后不能在此撤销；所有移动都记入审计日志。" />
          </>
        )}
        {merge.error && <Alert type="error" showIcon title={errorText(merge.error, '合并失败')} />}
      </div>
    </Modal>
  );
}
