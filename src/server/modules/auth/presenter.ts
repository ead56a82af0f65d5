import type { Static } from 'typebox';
import type { UserView } from '../../../services/accounts.js';
import type { SessionResponse } from './schemas.js';

export function presentSession(user: UserView, csrfToken: string): Static<typeof SessionResponse> {
  const { id, username, displayName, role, roleLabel, organisation, mustChangePassword } = user;
  return { user: { id, username, displayName, role, roleLabel, organisation, mustChangePassword }, csrfToken };
}
