/** Injection token of the resolved tokens options (`ResolvedTokensOptions`). */
export const TOKENS_OPTIONS = Symbol('gatehouse:tokens-options');

/** The credential mechanism and passport strategy name of bearer access tokens. */
export const JWT_MECHANISM = 'jwt';

/** The `typ` header of access tokens (RFC 9068 §2.1); no other JWT kind is accepted as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The revocation keys, written once in core (`sid:<id>`, `sub:<subject>`). */
export { sessionRevocationKey, subjectRevocationKey } from '@gatehouse/core';

/** Injection token of the resolved third-party issuer options (`ResolvedIssuersOptions`). */
export const ISSUERS_OPTIONS = Symbol('gatehouse:issuers-options');
