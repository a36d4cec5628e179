// The bench user's access token, kept alive across a long bench run.
import { decodeJwt } from 'jose';

/** Seconds of lifetime an access token must have left when a round starts; otherwise it is renewed first. */
export const TOKEN_MARGIN_SECONDS = 120;

/**
 * The bench user's access token, renewed (by signing in again) before any round that would start
 * with less than `TOKEN_MARGIN_SECONDS` of its lifetime left. The demo's tokens live 5 to 15
 * minutes and a section of the bench can take longer, so a token issued once would expire
 * mid-run and its rows would time refusals. Renewing happens while a row is prepared, before the
 * round's first reading of the server's meters; the first request with a new token is one cache
 * miss among the round's thousands.
 */
export class FreshBearer {
  /** The token as issued when the bench started: for credentials derived from it once (a bad signature). */
  readonly first: string;

  private constructor(
    private readonly issue: () => Promise<string>,
    private token: string,
    private expiresAt: number,
    private readonly now: () => number,
  ) {
    this.first = token;
  }

  static async start(issue: () => Promise<string>, now: () => number = Date.now): Promise<FreshBearer> {
    const token = await issue();
    return new FreshBearer(issue, token, expiryOf(token), now);
  }

  /** A token with at least `TOKEN_MARGIN_SECONDS` left. */
  async current(): Promise<string> {
    if (this.expiresAt - this.now() < TOKEN_MARGIN_SECONDS * 1000) {
      this.token = await this.issue();
      this.expiresAt = expiryOf(this.token);
    }
    return this.token;
  }

  /** `current()` as an `Authorization` header. */
  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.current()}` };
  }
}

function expiryOf(token: string): number {
  const { exp } = decodeJwt(token);
  if (typeof exp !== 'number') throw new Error('the demo issued an access token without exp');
  return exp * 1000;
}
