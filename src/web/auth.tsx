/**
 * The signed-in person. The session itself is an HttpOnly cookie that the server sets and the browser sends; the
 * app asks GET /api/auth/me who that is (a react-query query, so every page reads the same answer), keeps the
 * session's CSRF token for writes, and hears from the API client when the server ends the session (401) or asks
 * for a password change first (403 password_change_required).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { ApiError, authApi, setCsrfToken, setSessionListener } from './api.js';
import type { SessionResponse, User } from '../contract/auth.js';

export type { User };

export interface AuthState {
  /** loading: the session is being checked; error: the check failed (network, server), see `error` */
  status: 'loading' | 'error' | 'ready';
  /** undefined until the check has answered, null when nobody is signed in */
  user: User | null | undefined;
  csrfToken: string | undefined;
  error: unknown;
  /** why the last session of this page ended: the person signed out, or the server ended it (expired, elsewhere) */
  ended: 'signed_out' | 'expired' | undefined;
  /** signs in with a name and password; throws the server's ApiError (invalid, locked, rate-limited) */
  signIn(username: string, password: string): Promise<User>;
  /** ends the session on the server and here; the route guard then shows the sign-in page */
  signOut(): Promise<void>;
  /** changes the password; the server ends the other sessions and answers with a new one */
  changePassword(currentPassword: string, newPassword: string): Promise<User>;
  /** asks the server again who is signed in */
  refresh(): Promise<User | null>;
  /** takes a session the server answered with (after a password change it starts a new one) */
  replaceSession(session: SessionResponse): void;
}

const AuthContext = createContext<AuthState | undefined>(undefined);
const ME = ['auth', 'me'] as const;

/** Where the sign-in page sends the person back to: a path of this app, never another site or the sign-in page. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  const path = next.split(/[?#]/)[0] ?? '';
  if (path === '/login' || path === '/change-password') return '/';
  return next;
}

/** `/login?next=%2Forganisations%2F3`, or plain `/login` when the page to come back to is the start page. */
export function pathWithNext(page: '/login' | '/change-password', next: string): string {
  const target = safeNext(next);
  return target === '/' ? page : `${page}?next=${encodeURIComponent(target)}`;
}

/** 督查员（duchayuan）, or the user name alone when there is no other display name. */
export function nameOf(user: Pick<User, 'displayName' | 'username'>): string {
  return user.displayName && user.displayName !== user.username ? `${user.displayName}（${user.username}）` : user.username;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [ended, setEnded] = useState<AuthState['ended']>(undefined);
  const me = useQuery({
    queryKey: ME,
    queryFn: async ({ signal }): Promise<SessionResponse | null> => {
      try {
        const session = await authApi.me(signal);
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(undefined);
          return null;
        }
        throw error;
      }
    },
    // the session is checked by every API call; a 401 there updates this answer
    staleTime: Infinity,
    gcTime: Infinity,
  });

  // What the pages see. It follows the query, and a sign-in, sign-out or password change sets it at once (flushSync),
  // so that the page navigated to next already sees the new user: the query tells its observers a moment later.
  const [session, setSessionState] = useState<SessionResponse | null | undefined>(undefined);
  useEffect(() => {
    if (me.data !== undefined) setSessionState(me.data);
  }, [me.data]);

  const setSession = useCallback(
    (next: SessionResponse | null) => {
      setCsrfToken(next?.csrfToken);
      queryClient.setQueryData(ME, next);
      flushSync(() => setSessionState(next));
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    await queryClient.refetchQueries({ queryKey: ME, exact: true });
    return queryClient.getQueryData<SessionResponse | null>(ME)?.user ?? null;
  }, [queryClient]);

  useEffect(
    () =>
      setSessionListener({
        unauthenticated() {
          // expired, or signed out in another window: the guard sends the person to sign in, keeping the page
          setEnded((previous) => previous ?? 'expired');
          setSession(null);
        },
        passwordChangeRequired() {
          void queryClient.invalidateQueries({ queryKey: ME });
        },
      }),
    [queryClient, setSession],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      let session: SessionResponse;
      try {
        session = await authApi.login(username, password);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'csrf_failed')) throw error;
        // the browser still holds a live session (another window signed in): the sign-in needs its CSRF token
        const current = await authApi.me().catch(() => undefined);
        setCsrfToken(current?.csrfToken);
        session = await authApi.login(username, password);
      }
      // nothing read by the previous person stays in the cache
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      setEnded(undefined);
      setSession(session);
      return session.user;
    },
    [queryClient, setSession],
  );

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'csrf_failed') {
        // another window replaced the session: end that one, with its token
        const current = await authApi.me().catch(() => undefined);
        setCsrfToken(current?.csrfToken);
        if (current) await authApi.logout();
      } else if (!(error instanceof ApiError && error.status === 401)) {
        // the server did not end the session (network, server error): say so rather than pretend
        throw error;
      }
    }
    setEnded('signed_out');
    setSession(null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
  }, [queryClient, setSession]);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      const session = await authApi.changePassword(currentPassword, newPassword);
      setSession(session);
      return session.user;
    },
    [setSession],
  );

  const status: AuthState['status'] = session !== undefined ? 'ready' : me.isError ? 'error' : 'loading';
  const state = useMemo<AuthState>(
    () => ({
      status,
      user: status === 'ready' ? (session?.user ?? null) : undefined,
      csrfToken: session?.csrfToken,
      error: me.error,
      ended,
      signIn,
      signOut,
      changePassword,
      refresh,
      replaceSession: setSession,
    }),
    [status, session, me.error, ended, signIn, signOut, changePassword, refresh, setSession],
  );
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
