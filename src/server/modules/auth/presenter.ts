import type { SessionResponse } from '../../../contract/auth.js';
import type { UserAccount } from '../../../contract/users.js';

export function presentSession(user: UserAccount, csrfToken: string): SessionResponse {
  const { id, username, displayName, role, roleLabel, organisation, mustChangePassword } = user;
  return { user: { id, username, displayName, role, roleLabel, organisation, mustChangePassword }, csrfToken };
}
