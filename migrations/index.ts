/** Every migration, in order. `npm run migration:generate` writes new files here; list them below. */
export const migrations: Function[] = [];
