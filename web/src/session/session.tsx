import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, setCsrfToken } from '../client/http';
import { ProblemError, unwrap } from '../client/problem';
import type { SessionUser } from '../client/types';

const SessionContext = createContext<SessionUser | undefined>(undefined);

/** The signed-in user; only used below <RequireSession>. */
export function useUser(): SessionUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a session');
  return user;
}

/** What a role may do, as the API enforces it: the console only hides what would be refused. */
export const can = (user: SessionUser, needed: 'manager' | 'admin') =>
  user.role === 'admin' || (needed === 'manager' && user.role === 'manager');

export const SESSION_KEY = ['session'] as const;

export async function fetchSession() {
  try {
    const body = await unwrap(api.GET('/v1/auth/session'));
    setCsrfToken(body.csrfToken);
    return body.user;
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 401) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

export function SessionProvider({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useSignOut() {
  const queries = useQueryClient();
  return async () => {
    await api.POST('/v1/auth/logout');
    setCsrfToken(undefined);
    // The session query keeps its observer (clear() would orphan it and the page would not change);
    // everything else the previous user saw is dropped.
    queries.setQueryData(SESSION_KEY, null);
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  };
}
