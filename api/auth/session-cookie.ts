import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { Request } from 'express';

export const SESSION_COOKIE = 'outdial_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export const newToken = (): string => randomBytes(32).toString('base64url');

/** Sessions are stored by this hash, never by the token the browser holds. */
export const sessionTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function sessionTokenOf(request: Request): string | undefined {
  const header = request.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** HttpOnly and SameSite=Strict always; Secure once the API is served over https. */
export function sessionCookie(token: string, options: { secure: boolean; expires?: Date }): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: options.secure,
    ...(options.expires ? { expires: options.expires } : {}),
  });
}

export function clearedSessionCookie(options: { secure: boolean }): string {
  return sessionCookie('', { ...options, expires: new Date(0) });
}
