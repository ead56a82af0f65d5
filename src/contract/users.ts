import { Type, type Static } from 'typebox';
import { User } from './auth.js';
import { Id, Words } from './common.js';
import { ROLES } from './vocabulary.js';

/** Accounts and integration tokens: the system administrator's work. */
export const RoleName = Words(ROLES);

export const UserAccount = Type.Object({
  ...User.properties,
  active: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()], { description: '接收通知邮件的地址' }),
});

export const UserParams = Type.Object({ userId: Id });

export const NewUserBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 64 }),
    displayName: Type.Optional(Type.String({ maxLength: 50 })),
    organisationId: Id,
    role: RoleName,
    email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()], { description: '接收通知邮件的地址' })),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(RoleName),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    active: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()], { description: '为空或 null 时不再发邮件' })),
    confirm: Type.Optional(Type.Literal(true, { description: '停用账户（active: false）时必须为 true' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** The one answer that carries a password: shown once to the administrator, never stored in clear. */
export const UserWithPassword = Type.Object({ user: UserAccount, password: Type.String() });

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  organisationId: Type.Integer(),
  scope: Type.String(),
  createdBy: Type.String({ description: '创建者' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    organisationId: Id,
    scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
  },
  { additionalProperties: false },
);

export const TokenParams = Type.Object({ tokenId: Id });
export const UsersResponse = Type.Object({ users: Type.Array(UserAccount) });
export const TokensResponse = Type.Object({ tokens: Type.Array(ApiToken) });
export const NewTokenResponse = Type.Object({ token: Type.String({ description: '令牌本身，只在此返回一次' }), view: ApiToken });

export type RoleName = Static<typeof RoleName>;
export type UserAccount = Static<typeof UserAccount>;
export type NewUserBody = Static<typeof NewUserBody>;
export type UpdateUserBody = Static<typeof UpdateUserBody>;
export type UserWithPassword = Static<typeof UserWithPassword>;
export type ApiToken = Static<typeof ApiToken>;
export type NewTokenBody = Static<typeof NewTokenBody>;
export type UsersResponse = Static<typeof UsersResponse>;
export type TokensResponse = Static<typeof TokensResponse>;
export type NewTokenResponse = Static<typeof NewTokenResponse>;
export type TokenScope = NewTokenBody['scope'];
