/** Seconds a client is told to wait after a database or cache fault. */
export const FAULT_RETRY_AFTER_SECONDS = 2;

/** Node socket errors: the peer refused, vanished, or did not answer. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
/** SQLite: the database is locked by another writer beyond `busy_timeout`. */
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);
/**
 * PostgreSQL SQLSTATEs that mean "not now": connection exceptions (08…), too many connections
 * (53300), the server shutting down or starting (57P01–57P03), `statement_timeout` /
 * cancellation (57014), lock timeouts (55P03) and serialization conflicts (40001, 40P01).
 */
const POSTGRES_CODES = new Set(['53300', '57P01', '57P02', '57P03', '57014', '55P03', '40001', '40P01']);
/** Messages of pg, its pool and ioredis that carry no code. */
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /query read timeout/i,
  /connection is closed/i,
  /stream isn't writeable/i,
  /reached the max retries per request limit/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];
const ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionTimeoutError']);

/**
 * True when an error means a backing service (database, Redis) is unreachable, stalled or
 * overloaded: the request may succeed later, so it answers 503 `service_unavailable` with
 * `Retry-After`, never 500. Looks through TypeORM's `driverError` and `cause` chains.
 */
export function isServiceUnavailableError(error: unknown, depth = 0): boolean {
  if (depth > 4 || !error || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; errno?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof candidate.code === 'string' ? candidate.code : undefined;
  if (code && (NETWORK_CODES.has(code) || SQLITE_CODES.has(code) || POSTGRES_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof candidate.name === 'string' && ERROR_NAMES.has(candidate.name)) return true;
  if (typeof candidate.message === 'string' && MESSAGES.some((pattern) => pattern.test(candidate.message as string))) return true;
  // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1).
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isServiceUnavailableError(inner, depth + 1))) return true;
  return isServiceUnavailableError(candidate.driverError, depth + 1) || isServiceUnavailableError(candidate.cause, depth + 1);
}
