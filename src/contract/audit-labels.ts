/**
 * The Chinese names of the audit trail's codes, shared by the server (exports) and the web (table and filters).
 * The trail itself keeps the codes, which stay stable when a label is reworded. Every action the services write
 * must have a label here: src/contract/audit-labels.test.ts scans the sources for the codes written.
 * Pure constants: this folder imports nothing from the rest of src.
 */

export const AUDIT_ACTION_LABELS = {
  'auth.login': '登录成功',
  'auth.login_failed': '登录失败',
  'auth.login_refused_locked': '账户锁定期间尝试登录',
  'auth.locked': '连续输错密码，账户锁定',
  'auth.logout': '退出登录',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.reset_password': '重置密码',
  'user.change_password': '修改本人密码',
  'token.create': '新建接口令牌',
  'token.revoke': '撤销接口令牌',
  'import.summary_table': '导入汇总表',
  'organisation.create': '新建单位',
  'organisation.update': '修改单位',
  'organisation.merge': '合并重复单位',
  'plan.schedule': '设置报送安排',
  'period.update': '修改报送期',
  'calendar.update': '修改工作日历',
  'item.assign': '调整分工',
  'item.steps': '修改工作步骤',
  'assignment.acknowledge': '签收分工',
  'assignment.return': '退回分工',
  'report.save': '保存报告草稿',
  'report.submit': '报送报告',
  'report.withdraw': '撤回报告',
  'report.approve': '单位审核通过',
  'report.reject': '单位退回修改',
  'report.accept': '采纳报告',
  'report.return': '退回报告',
  'report.attach': '添加佐证材料',
  'report.detach': '删除佐证材料',
  'report.extension_request': '申请延期',
  'report.extension_decide': '审批延期申请',
  'item.urge': '催办',
  'item.closure_request': '申请办结销号',
  'item.close': '批准办结销号',
  'item.closure_return': '退回办结销号申请',
  'notice.raise': '发督办单',
  'notice.reply': '反馈督办单',
  'notice.close': '督办单办结',
  'warning_rules.update': '修改预警规则',
  'supervision_settings.update': '修改提醒和督办设置',
  'bulletin.create': '起草通报',
  'bulletin.update': '修改通报',
  'bulletin.issue': '印发通报',
  'webhook.create': '添加消息推送地址',
  'webhook.update': '修改消息推送地址',
  'webhook.delete': '删除消息推送地址',
  'delivery.resend': '重新发送消息',
  'organisation.notification_preferences': '修改单位的通知设置',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

/** The groups of the 操作 filter: an action's code up to and including its first dot. */
export const AUDIT_ACTION_GROUP_LABELS: Record<string, string> = {
  'auth.': '登录与退出',
  'user.': '用户账户',
  'token.': '接口令牌',
  'import.': '数据导入',
  'organisation.': '责任单位',
  'plan.': '工作计划',
  'period.': '报送期',
  'calendar.': '工作日历',
  'item.': '事项',
  'assignment.': '分工签收',
  'report.': '进展报告',
  'notice.': '督办单',
  'warning_rules.': '预警规则',
  'supervision_settings.': '督办设置',
  'bulletin.': '通报',
  'webhook.': '消息推送',
  'delivery.': '消息发送',
};

/** Entries an auditor looks for first: refused or failed sign-ins. */
export const ALARMING_AUDIT_ACTIONS: readonly string[] = ['auth.login_failed', 'auth.login_refused_locked', 'auth.locked'];

export const AUDIT_OBJECT_TYPE_LABELS: Record<string, string> = {
  user: '用户',
  api_token: '接口令牌',
  import: '导入记录',
  organisation: '责任单位',
  plan: '工作计划',
  period: '报送期',
  calendar: '工作日历',
  item: '事项',
  report: '进展报告',
  attachment: '佐证材料',
  extension_request: '延期申请',
  notice: '督办单',
  bulletin: '通报',
  webhook: '消息推送地址',
  delivery: '消息发送记录',
};

/** The label of an action code, or the code itself for one this table does not know (an entry of a newer version). */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}

export function auditActionGroupLabel(prefix: string): string {
  return AUDIT_ACTION_GROUP_LABELS[prefix] ?? prefix;
}

export function auditObjectTypeLabel(objectType: string): string {
  return AUDIT_OBJECT_TYPE_LABELS[objectType] ?? objectType;
}
