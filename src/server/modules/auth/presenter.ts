import type { SessionResponse } from '../../../contract/auth.js';
import type { UserView } from '../../../services/accounts.js';

export function presentSession(user: UserView, csrfToken: string): SessionResponse {
  const { id, username, displayName, role, roleLabel, organisation, mustChangePassword } = user;
  return { user: { id, username, displayName, role, roleLabel, organisation, mustChangePassword }, csrfToken };
}
