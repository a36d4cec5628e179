import { sessionRevocationKey, subjectRevocationKey } from '@gatehouse/core';

/**
 * The revocation-store key of "every token of `subject` from `issuer` issued at or before T":
 * `sub:<issuer> <subject>`. Issuers cannot contain whitespace (checked at startup), so the first
 * space splits the two and equal `sub`s of two issuers never share a key.
 */
export const issuerSubjectRevocationKey = (issuer: string, subject: string): string => subjectRevocationKey(`${issuer} ${subject}`);

/** The revocation-store key of one `sid` of `issuer` (an IdP session): `sid:<issuer> <sid>`. */
export const issuerSessionRevocationKey = (issuer: string, sessionId: string): string => sessionRevocationKey(`${issuer} ${sessionId}`);
