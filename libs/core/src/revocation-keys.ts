/**
 * The revocation-store key of a refresh family or session: every credential carrying this `sid`
 * (access tokens of the family, the session itself, service tokens of an API key) is refused.
 */
export const sessionRevocationKey = (sessionId: string): string => `sid:${sessionId}`;

/** The revocation-store key of "every credential of this subject issued at or before T". */
export const subjectRevocationKey = (subject: string): string => `sub:${subject}`;
