import { GatehouseConfigurationError } from '@gatehouse/core';

/** Options of `ClientCredentialsModule.forRoot` / `forRootAsync`. */
export interface ClientCredentialsModuleOptions {
  /** Audiences a service token may be issued for (the request's `audience` must be one). Required, non-empty. */
  audiences: string[];
  /** Audience used when the request names none; without it `audience` is required. Default: the only entry when `audiences` has one. */
  defaultAudience?: string;
  /** Lifetime of service tokens, in seconds, at most the tokens library's access-token lifetime. Default: that lifetime. */
  tokenLifetimeSeconds?: number;
}

/** Options with every default applied (neither optional field has a value of its own: both follow other settings). */
export type ResolvedClientCredentialsOptions = { audiences: readonly string[] } & {
  [K in 'defaultAudience' | 'tokenLifetimeSeconds']: ClientCredentialsModuleOptions[K];
};

function fail(option: string, problem: string): never {
  throw new GatehouseConfigurationError('ClientCredentialsModule', option, problem);
}

/** Applies defaults and rejects unusable values with a `GatehouseConfigurationError` at start-up. */
export function resolveClientCredentialsOptions(options: ClientCredentialsModuleOptions): ResolvedClientCredentialsOptions {
  const { audiences, defaultAudience, tokenLifetimeSeconds } = options;
  if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((aud) => typeof aud !== 'string' || aud.trim() === '')) {
    fail('audiences', 'must list at least one audience');
  }
  if (defaultAudience !== undefined && !audiences.includes(defaultAudience)) {
    fail('defaultAudience', 'must be one of audiences');
  }
  if (tokenLifetimeSeconds !== undefined && (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1)) {
    fail('tokenLifetimeSeconds', 'must be a positive integer');
  }
  return {
    audiences: [...audiences],
    // Unless set, the default audience is the only one listed.
    defaultAudience: defaultAudience ?? (audiences.length === 1 ? audiences[0] : undefined),
    // Left undefined, the tokens library's access-token lifetime applies.
    tokenLifetimeSeconds,
  };
}
