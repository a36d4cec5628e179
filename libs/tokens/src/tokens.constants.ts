/** Injection token of the resolved tokens options (`ResolvedTokensOptions`). */
export const TOKENS_OPTIONS = Symbol('gatehouse:tokens-options');

/** The credential mechanism and passport strategy name of bearer access tokens. */
export const JWT_MECHANISM = 'jwt';

/** The `typ` header of access tokens (RFC 9068 §2.1); no other JWT kind is accepted as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The revocation-store key of a refresh family or session: tokens carrying this `sid` are refused. */
export const sessionRevocationKey = (sessionId: string): string => `sid:${sessionId}`;

/** The revocation-store key of "every token of this subject issued at or before T". */
export const subjectRevocationKey = (subject: string): string => `sub:${subject}`;

/** The revocation-store key of one service access token (RFC 7009 revocation by its client). */
export const tokenRevocationKey = (jti: string): string => `jti:${jti}`;

/** The private claim naming the principal kind of an access token (`user` or `service`). */
export const KIND_CLAIM = 'kind';

/** Injection token of the resolved token-endpoint options (`ResolvedTokenEndpointsOptions`). */
export const TOKEN_ENDPOINTS_OPTIONS = Symbol('gatehouse:token-endpoints-options');
