import { apiKeysEntities } from '@gatehouse/api-keys';
import { coreEntities } from '@gatehouse/core';
import { sessionsEntities } from '@gatehouse/sessions';
import { tokensEntities } from '@gatehouse/tokens';
import { Account } from '../accounts/account.entity.js';
import { Order } from '../orders/order.entity.js';

/**
 * Every entity of the demo's schema: its own and each library's exported array. The migration CLI
 * (ormconfig.ts) and the schema test read this list; the running app loads the same entities
 * through `TypeOrmModule.forFeature` in each module.
 */
export const demoEntities: Function[] = [Account, Order, ...coreEntities, ...apiKeysEntities, ...sessionsEntities, ...tokensEntities];
