import { Type, type Static } from 'typebox';
import { Id, Words } from './common.js';
import { DELIVERY_STATES, NOTIFICATION_KINDS, WEBHOOK_KINDS } from './supervision-words.js';

export {
  DELIVERY_STATE_LABELS,
  DELIVERY_STATES,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
  WEBHOOK_KIND_LABELS,
  WEBHOOK_KINDS,
} from './supervision-words.js';

/** The in-app inbox, each person's and unit's preferences, the webhooks, and the outbox with its dead letters. */

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Words(NOTIFICATION_KINDS),
  kindLabel: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()], { description: '站内链接，如 /items/12' }),
  itemId: Type.Union([Type.Integer(), Type.Null()]),
  noticeId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  read: Type.Boolean(),
});
export const InboxQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Words(NOTIFICATION_KINDS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const Inbox = Type.Object({
  notifications: Type.Array(Notification),
  total: Type.Integer(),
  unread: Type.Integer(),
  unreadByKind: Type.Record(Type.String(), Type.Integer()),
});
export const InboxCount = Type.Object({ unread: Type.Integer() });
export const MarkReadBody = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { maxItems: 500 })), all: Type.Optional(Type.Literal(true)) },
  { additionalProperties: false },
);

export const Preference = Type.Object(
  { kind: Words(NOTIFICATION_KINDS), email: Type.Boolean(), webhook: Type.Boolean() },
  { additionalProperties: false },
);
export const Preferences = Type.Object({
  preferences: Type.Array(Type.Object({ ...Preference.properties, label: Type.String() })),
  email: Type.Union([Type.String(), Type.Null()], { description: '收件地址；为空时不发邮件' }),
  mailConfigured: Type.Boolean({ description: '服务器已配置邮件发送' }),
});
export const PreferencesBody = Type.Object(
  { preferences: Type.Array(Preference, { minItems: 1, maxItems: NOTIFICATION_KINDS.length }) },
  { additionalProperties: false },
);
export const OrganisationParams = Type.Object({ organisationId: Id });
/** A unit's defaults: whether its members get each kind by e-mail unless they chose, and its webhooks get it. */
export const UnitPreferences = Type.Object({
  organisation: Type.Object({ id: Type.Integer(), name: Type.String() }),
  preferences: Type.Array(Type.Object({ ...Preference.properties, label: Type.String() })),
});

export const WebhookBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Words(WEBHOOK_KINDS),
    url: Type.String({ minLength: 8, maxLength: 2000 }),
    secret: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    organisationId: Type.Optional(Type.Union([Id, Type.Null()], { description: '单位的群；为空时为督查室的群（接收所有单位的消息）' })),
    events: Type.Optional(
      Type.Array(Words(NOTIFICATION_KINDS), { maxItems: NOTIFICATION_KINDS.length, description: '为空时接收所有类别' }),
    ),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const WebhookUpdateBody = Type.Partial(WebhookBody, { additionalProperties: false });
export const WebhookParams = Type.Object({ webhookId: Id });
export const Webhook = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Words(WEBHOOK_KINDS),
  kindLabel: Type.String(),
  url: Type.String({ description: '地址；其中的密钥参数已隐去' }),
  hasSecret: Type.Boolean(),
  organisation: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  events: Type.Array(Words(NOTIFICATION_KINDS)),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) });

export const DeliveryQuery = Type.Object(
  {
    state: Type.Optional(Words(DELIVERY_STATES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const DeliveryParams = Type.Object({ deliveryId: Id });
export const Delivery = Type.Object({
  id: Type.Integer(),
  channel: Words(['email', 'webhook'] as const),
  target: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  state: Words(DELIVERY_STATES),
  stateLabel: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const DeliveryList = Type.Object({ deliveries: Type.Array(Delivery), total: Type.Integer() });

export type Notification = Static<typeof Notification>;
export type Inbox = Static<typeof Inbox>;
export type Preferences = Static<typeof Preferences>;
export type UnitPreferences = Static<typeof UnitPreferences>;
export type Webhook = Static<typeof Webhook>;
export type WebhookBody = Static<typeof WebhookBody>;
export type Delivery = Static<typeof Delivery>;
