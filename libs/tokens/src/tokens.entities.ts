import { RefreshFamily } from './refresh-family.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

/**
 * The entities of `@gatehouse/tokens`: add them to your DataSource (`entities: [...tokensEntities]`
 * or `autoLoadEntities`) and to your migrations.
 */
export const tokensEntities = [RefreshFamily, RefreshToken];
