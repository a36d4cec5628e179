/** The options with each defaulted field present and never `undefined`. */
export type WithDefaults<O extends object, D extends object> = Omit<O, keyof D> & { [K in keyof D & keyof O]-?: Exclude<O[K], undefined> };

/**
 * The defaults overlaid with the options a caller gave. A field given as `undefined` (a spread
 * of optional config, an env variable not set) keeps its default instead of erasing it.
 *
 * @example withDefaults({ realm: 'gatehouse' }, { realm: undefined }).realm // 'gatehouse'
 */
export function withDefaults<O extends object, D extends { [K in keyof O]?: Exclude<O[K], undefined> }>(defaults: D, options: O | undefined): WithDefaults<O, D> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as WithDefaults<O, D>;
}
