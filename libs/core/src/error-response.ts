import { HttpException } from '@nestjs/common';
import { GATEHOUSE_ERRORS, type GatehouseErrorCode, type GatehouseErrorSpec } from './gatehouse-error-codes.js';
import { GatehouseError } from './gatehouse.error.js';
import { FAULT_RETRY_AFTER_SECONDS, isServiceUnavailableError } from './service-unavailable.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: GatehouseErrorCode;
  message: string;
  /** RFC 6749 / 6750 `error`, on errors that have an OAuth meaning. */
  error?: string;
  error_description?: string;
  /** The required scopes, on `insufficient_scope`. */
  scope?: string;
  /** Which fields failed validation, on `validation_failed` (names and rules, never values). */
  details?: string[];
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

const CODE_BY_STATUS: Record<number, GatehouseErrorCode> = {
  400: 'invalid_request',
  401: 'authentication_failed',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'header_too_large',
  503: 'service_unavailable',
};

/** Body-parser (Express) and Fastify error codes for request bodies that never reached a handler. */
const PARSER_ERRORS: Record<string, GatehouseErrorCode> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

function fromCode(code: GatehouseErrorCode, message?: string): ErrorResponse {
  const spec: GatehouseErrorSpec = GATEHOUSE_ERRORS[code];
  const body: ErrorBody = { statusCode: spec.status, code, message: message ?? spec.message };
  if (spec.oauthError) {
    body.error = spec.oauthError;
    body.error_description = body.message;
  }
  const headers: Record<string, string> = {};
  if (spec.status === 401 || spec.status === 429 || spec.status === 503) headers['Cache-Control'] = 'no-store';
  if (spec.status === 503) headers['Retry-After'] = String(FAULT_RETRY_AFTER_SECONDS);
  return { status: spec.status, headers, body };
}

function parserCode(error: unknown): GatehouseErrorCode | undefined {
  const candidate = error as { type?: unknown; code?: unknown; cause?: unknown } | null;
  if (!candidate || typeof candidate !== 'object') return undefined;
  for (const key of [candidate.type, candidate.code]) {
    if (typeof key === 'string' && key in PARSER_ERRORS) return PARSER_ERRORS[key];
  }
  return candidate.cause ? parserCode(candidate.cause) : undefined;
}

/**
 * Maps anything thrown while handling a request to a status, headers and a coded JSON body: the
 * one place errors become HTTP. Unknown errors become a bare 500 that reveals nothing.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof GatehouseError) {
    const response = fromCode(error.code, error.message);
    if (error.details.scope) response.body.scope = error.details.scope;
    if (error.details.retryAfter !== undefined) {
      response.headers['Retry-After'] = String(Math.max(1, Math.ceil(error.details.retryAfter)));
    }
    Object.assign(response.headers, error.details.headers);
    return response;
  }
  const parsed = parserCode(error);
  if (parsed) return fromCode(parsed);
  // Database and Redis faults (refused, timed out, pool exhausted, SQLITE_BUSY): retry later.
  if (isServiceUnavailableError(error)) return fromCode('service_unavailable');
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const payload = error.getResponse();
    const messages = typeof payload === 'object' && payload !== null ? (payload as { message?: unknown }).message : undefined;
    if (status === 400 && Array.isArray(messages)) {
      const response = fromCode('validation_failed');
      response.body.details = messages.map(String);
      return response;
    }
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
    const response = fromCode(code);
    response.status = status;
    response.body.statusCode = status;
    return response;
  }
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const response = fromCode(CODE_BY_STATUS[status] ?? 'invalid_request');
    response.status = status;
    response.body.statusCode = status;
    return response;
  }
  return fromCode('internal_error');
}
