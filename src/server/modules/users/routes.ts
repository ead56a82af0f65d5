import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConfirmBody } from '../../../contract/common.js';
import {
  NewTokenBody,
  NewTokenResponse,
  NewUserBody,
  TokenParams,
  TokensResponse,
  UpdateUserBody,
  UserAccount,
  UserParams,
  UsersResponse,
  UserWithPassword,
  ApiToken,
} from '../../../contract/users.js';
import {
  createApiToken,
  createUser,
  listApiTokenViews,
  listUserViews,
  resetPasswordById,
  revokeApiToken,
  updateUserAccount,
  type AuthConfig,
} from '../../../services/accounts.js';
import { listErrors, writeErrors as errors } from '../../schemas.js';

/** Accounts and integration tokens: the system administrator's work. */
export const userRoutes: FastifyPluginAsyncTypebox<{ auth: AuthConfig }> = async (app, options) => {
  const policy = { policy: 'users.manage' as const };

  app.get(
    '/api/users',
    { config: policy, schema: { summary: '用户列表', tags: ['users'], response: { 200: UsersResponse, ...listErrors } } },
    async (request) => ({ users: await listUserViews(request.ctx) }),
  );

  app.post(
    '/api/users',
    {
      config: policy,
      schema: {
        summary: '新建用户：生成随机初始密码，只在此返回一次，首次登录须修改',
        tags: ['users'],
        body: NewUserBody,
        response: { 200: UserWithPassword, ...errors },
      },
    },
    async (request) => createUser(request.ctx, request.actor, options.auth, { ...request.body, mustChangePassword: true }),
  );

  app.patch(
    '/api/users/:userId',
    {
      config: policy,
      schema: {
        summary: '修改用户的角色、显示名称或启用状态',
        tags: ['users'],
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: UserAccount, ...errors },
      },
    },
    async (request) => {
      const { confirm, ...changes } = request.body;
      return updateUserAccount(request.ctx, request.actor, request.params.userId, { ...changes, confirmed: confirm === true });
    },
  );

  app.post(
    '/api/users/:userId/reset-password',
    {
      config: policy,
      schema: {
        summary: '重置密码：新随机密码只返回一次，解除锁定并结束其会话；须带 {"confirm": true}',
        tags: ['users'],
        params: UserParams,
        body: ConfirmBody,
        response: { 200: UserWithPassword, ...errors },
      },
    },
    async (request) => resetPasswordById(request.ctx, request.actor, options.auth, request.params.userId),
  );

  app.get(
    '/api/tokens',
    {
      config: policy,
      schema: { summary: '访问令牌列表（不含令牌本身）', tags: ['users'], response: { 200: TokensResponse, ...listErrors } },
    },
    async (request) => ({ tokens: await listApiTokenViews(request.ctx) }),
  );

  app.post(
    '/api/tokens',
    {
      config: policy,
      schema: {
        summary: '新建访问令牌：令牌只在此返回一次',
        tags: ['users'],
        body: NewTokenBody,
        response: { 200: NewTokenResponse, ...errors },
      },
    },
    async (request) => createApiToken(request.ctx, request.actor, request.body),
  );

  app.post(
    '/api/tokens/:tokenId/revoke',
    {
      config: policy,
      schema: {
        summary: '撤销访问令牌（不可恢复）；须带 {"confirm": true}',
        tags: ['users'],
        params: TokenParams,
        body: ConfirmBody,
        response: { 200: ApiToken, ...errors },
      },
    },
    async (request) => revokeApiToken(request.ctx, request.actor, request.params.tokenId),
  );
};
