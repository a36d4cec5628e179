import { GatehouseError } from '@gatehouse/core';

/** Longest email accepted at sign-in (RFC 5321 path limit). */
const MAX_EMAIL_LENGTH = 254;
/** Longest password accepted anywhere: argon2 of a megabyte is a denial of service. */
export const MAX_PASSWORD_LENGTH = 256;
/** Most API keys a password change may keep. */
const MAX_KEPT_KEYS = 100;

const invalid = (message: string): GatehouseError => new GatehouseError('validation_failed', { message });
/** The body as an object holding only `allowed` fields: an unknown field is a 400, never echoed. */
const record = (body: unknown, allowed: readonly string[]): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  if (Object.keys(body).some((field) => !allowed.includes(field))) throw invalid('The request body has a field this endpoint does not take.');
  return body as Record<string, unknown>;
};

/** `{email, password}` of a sign-in; 400 `validation_failed` naming the field, never echoing a value. */
export function readSignIn(body: unknown): { email: string; password: string } {
  const { email, password } = record(body, ['email', 'password']);
  if (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email must be an email address');
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) throw invalid('password must be a string of 1 to 256 characters');
  return { email, password };
}

/** What `POST /auth/password` asks for. */
export interface PasswordChangeRequest {
  currentPassword: string;
  newPassword: string;
  /** Ids of active API keys that survive the change; every other active key is revoked. */
  keepApiKeys: string[];
}

/** The body of a password change; `minLength` is the new password's policy minimum. */
export function readPasswordChange(body: unknown, minLength: number): PasswordChangeRequest {
  const { currentPassword, newPassword, keepApiKeys = [] } = record(body, ['currentPassword', 'newPassword', 'keepApiKeys']);
  if (typeof currentPassword !== 'string' || currentPassword.length === 0 || currentPassword.length > MAX_PASSWORD_LENGTH) {
    throw invalid('currentPassword must be a string of 1 to 256 characters');
  }
  if (typeof newPassword !== 'string' || newPassword.length < minLength) throw invalid(`newPassword must be at least ${minLength} characters`);
  if (newPassword.length > MAX_PASSWORD_LENGTH) throw invalid(`newPassword must be at most ${MAX_PASSWORD_LENGTH} characters`);
  if (!Array.isArray(keepApiKeys) || keepApiKeys.length > MAX_KEPT_KEYS || !keepApiKeys.every((id) => typeof id === 'string' && id.length <= 36)) {
    throw invalid('keepApiKeys must be a list of API key ids');
  }
  return { currentPassword, newPassword, keepApiKeys: keepApiKeys as string[] };
}
