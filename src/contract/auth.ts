import { Type, type Static } from 'typebox';

/** Signing in and out, the session's user, changing one's own password. */
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  roleLabel: Type.String(),
  organisation: Type.Object({ id: Type.Integer(), name: Type.String() }),
  mustChangePassword: Type.Boolean(),
});

export const SessionResponse = Type.Object({ user: User, csrfToken: Type.String() });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export type User = Static<typeof User>;
export type SessionResponse = Static<typeof SessionResponse>;
export type LoginBody = Static<typeof LoginBody>;
export type PasswordBody = Static<typeof PasswordBody>;
