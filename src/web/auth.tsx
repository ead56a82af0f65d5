import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, authApi, setCsrfToken, setUnauthenticatedHandler, type SessionResponse, type User } from './api.js';

interface AuthState {
  /** undefined while the session is being checked, null when nobody is signed in */
  user: User | null | undefined;
  signIn(username: string, password: string): Promise<User>;
  signOut(): Promise<void>;
  /** after a password change: the server started a new session */
  replaceSession(session: SessionResponse): void;
}

const AuthContext = createContext<AuthState | undefined>(undefined);
const ME = ['auth', 'me'] as const;

/** Where the sign-in page sends the person back to: a path of this app, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        return await authApi.me();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    retry: false,
    staleTime: Infinity,
  });
  const session = me.data;
  setCsrfToken(session?.csrfToken ?? '');

  const replaceSession = useCallback(
    (next: SessionResponse | null) => {
      setCsrfToken(next?.csrfToken ?? '');
      queryClient.setQueryData(ME, next);
      if (!next) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
    },
    [queryClient],
  );

  useEffect(() => {
    // any API call answered 401: the session ended (idle, expired, signed out elsewhere)
    setUnauthenticatedHandler(() => {
      replaceSession(null);
      if (!window.location.pathname.startsWith('/login')) {
        navigate(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
      }
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [navigate, replaceSession]);

  const state = useMemo<AuthState>(
    () => ({
      user: me.isPending ? undefined : (session?.user ?? null),
      async signIn(username, password) {
        const signedIn = await authApi.login(username, password);
        replaceSession(signedIn);
        return signedIn.user;
      },
      async signOut() {
        try {
          await authApi.logout();
        } finally {
          replaceSession(null);
          navigate('/login', { replace: true });
        }
      },
      replaceSession,
    }),
    [me.isPending, session, replaceSession, navigate],
  );
  void location;
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
