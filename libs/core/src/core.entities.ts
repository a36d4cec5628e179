import { RevocationRecord } from './revocation.entity.js';

/**
 * The entities of `@gatehouse/core`: add them to your DataSource (`entities: [...coreEntities]`
 * or `TypeOrmModule.forFeature(coreEntities)` with `autoLoadEntities`) to make revocations durable.
 */
export const coreEntities: Function[] = [RevocationRecord];
