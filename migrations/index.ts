import { coreMigrations } from '@gatehouse/core';
import { DemoSchema1795837676396 } from './1795837676396-DemoSchema.js';
import { ApiKeys1795838119056 } from './1795838119056-ApiKeys.js';
import { Sessions1795838500000 } from './1795838500000-Sessions.js';
import { RefreshFamilies1795839000000 } from './1795839000000-RefreshFamilies.js';

/** Every migration, in order. `npm run migration:generate -- migrations/<Name>` writes new files here; list them below. */
export const migrations: Function[] = [DemoSchema1795837676396, ApiKeys1795838119056, Sessions1795838500000, RefreshFamilies1795839000000, ...coreMigrations];
