/** Where a refused option lives: the module whose options hold it, and its path there. */
export interface ConfigurationSite {
  /** The module refusing the option, e.g. `'TokensModule'`. */
  module: string;
  /** The option's path in that module's options, e.g. `'rateLimits.user'` or `'issuers[0].jwksUrl'`. */
  option: string;
}

/**
 * A module option gatehouse refuses at startup, in every library: `code` is always
 * `ERR_GATEHOUSE_CONFIGURATION`, `module` and `option` say where, and the message reads
 * `<module> option <option>: <problem>`. A `TypeError`, so `instanceof TypeError` checks still hold.
 *
 * @example new GatehouseConfigurationError('SessionsModule', 'idleTimeoutMs', 'cannot exceed absoluteTimeoutMs')
 */
export class GatehouseConfigurationError extends TypeError {
  override readonly name = 'GatehouseConfigurationError';
  readonly code = 'ERR_GATEHOUSE_CONFIGURATION';
  /** What is wrong with the value, without the module and option prefix. */
  readonly problem: string;

  constructor(
    readonly module: string,
    readonly option: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${module} option ${option}: ${problem}`, options);
    this.problem = problem;
  }

  /** The error for `site`, e.g. from a helper shared by several modules. */
  static at(site: ConfigurationSite, problem: string, options?: ErrorOptions): GatehouseConfigurationError {
    return new GatehouseConfigurationError(site.module, site.option, problem, options);
  }
}
