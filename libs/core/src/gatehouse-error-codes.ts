/** What an error code becomes at the HTTP edge. Messages are fixed and never mention a secret. */
export interface GatehouseErrorSpec {
  status: number;
  message: string;
  /** The OAuth 2.0 `error` value (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009) sent beside `code`, if any. */
  oauthError?: string;
}

/** Every coded error the libraries raise, with its status and fixed message: the one mapping to HTTP. */
export const GATEHOUSE_ERRORS = {
  credentials_missing: { status: 401, message: 'Authentication is required.' },
  credentials_conflict: { status: 401, message: 'Send one kind of credential per request.' },
  mechanism_not_allowed: { status: 401, message: 'This route does not accept that kind of credential.' },
  invalid_token: { status: 401, message: 'The access token is invalid.', oauthError: 'invalid_token' },
  token_expired: { status: 401, message: 'The access token has expired.', oauthError: 'invalid_token' },
  token_revoked: { status: 401, message: 'The access token has been revoked.', oauthError: 'invalid_token' },
  invalid_session: { status: 401, message: 'The session is invalid or has ended.' },
  session_expired: { status: 401, message: 'The session has expired.' },
  reauthentication_required: { status: 401, message: 'Sign in again to continue.' },
  invalid_api_key: { status: 401, message: 'The API key is invalid.' },
  invalid_credentials: { status: 401, message: 'The email or password is incorrect.' },
  authentication_failed: { status: 401, message: 'Authentication failed.' },
  insufficient_scope: { status: 403, message: 'The credential lacks a required scope.', oauthError: 'insufficient_scope' },
  current_password_incorrect: { status: 403, message: 'The current password is incorrect.' },
  csrf_token_invalid: { status: 403, message: 'The CSRF token is missing or invalid.' },
  cross_site_request: { status: 403, message: 'Cross-site requests are not allowed.' },
  forbidden: { status: 403, message: 'This action is not allowed.' },
  user_principal_required: { status: 403, message: 'Only the signed-in account holder may do this; API keys and service tokens cannot.' },
  narrowed_credential: { status: 403, message: 'This credential holds fewer scopes than the account; sign in again to manage the account.' },
  invalid_grant: { status: 400, message: 'The grant is invalid, expired or revoked.', oauthError: 'invalid_grant' },
  refresh_token_reused: { status: 400, message: 'The refresh token was already used; its family is revoked.', oauthError: 'invalid_grant' },
  refresh_in_progress: { status: 409, message: 'This refresh token is being rotated; retry shortly.', oauthError: 'invalid_grant' },
  invalid_client: { status: 401, message: 'Client authentication failed.', oauthError: 'invalid_client' },
  invalid_scope: { status: 400, message: 'The requested scope is invalid or exceeds what was granted.', oauthError: 'invalid_scope' },
  invalid_target: { status: 400, message: 'The requested audience is not allowed.', oauthError: 'invalid_target' },
  unsupported_grant_type: { status: 400, message: 'The grant type is not supported.', oauthError: 'unsupported_grant_type' },
  invalid_request: { status: 400, message: 'The request is malformed.', oauthError: 'invalid_request' },
  api_key_in_url: { status: 400, message: 'API keys must be sent in a header, never in the URL.' },
  validation_failed: { status: 400, message: 'The request body is invalid.' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  conflict: { status: 409, message: 'The resource already exists.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The request body must be application/json.' },
  header_too_large: { status: 431, message: 'The request headers are too large.' },
  rate_limited: { status: 429, message: 'Too many requests.' },
  service_unavailable: { status: 503, message: 'The service is not ready.' },
  internal_error: { status: 500, message: 'Internal server error.' },
  context_unsupported: { status: 500, message: 'The guard cannot read credentials in this context.' },
} as const satisfies Record<string, GatehouseErrorSpec>;

/** A stable machine-readable error code. */
export type GatehouseErrorCode = keyof typeof GATEHOUSE_ERRORS;
