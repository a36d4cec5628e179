import type { ExecutionContext } from '@nestjs/common';
import { AccountOwnerGuard } from './account-owner.guard.js';
import type { GatehouseAccounts } from './accounts.port.js';
import { GatehouseError } from './gatehouse.error.js';
import type { Principal, PrincipalKind } from './principal.interface.js';
import type { SignIn } from './sign-in.service.js';

const ACCOUNT_SCOPES = ['orders:read', 'api-keys:manage'];

const accounts: GatehouseAccounts = {
  verifyCredentials: async () => undefined,
  changePassword: async () => 'changed',
  scopesOf: async (subject) => (subject === 'gone' ? undefined : ACCOUNT_SCOPES),
};
const guard = new AccountOwnerGuard({ port: () => accounts } as unknown as SignIn);

function context(principal?: Partial<Principal> & { kind: PrincipalKind }): ExecutionContext {
  const request = principal ? { principal: { subject: 'u', scopes: ACCOUNT_SCOPES, credential: { mechanism: 'jwt', id: 'j' }, ...principal } } : {};
  return { getArgByIndex: (index: number) => [request][index] } as unknown as ExecutionContext;
}

async function outcome(ctx: ExecutionContext): Promise<string> {
  try {
    return String(await guard.canActivate(ctx));
  } catch (error) {
    return (error as GatehouseError).code;
  }
}

describe('AccountOwnerGuard', () => {
  it('lets in a user holding every scope of the account', async () => {
    expect(await outcome(context({ kind: 'user' }))).toBe('true');
    expect(await outcome(context({ kind: 'user', scopes: [...ACCOUNT_SCOPES, 'extra'] }))).toBe('true');
  });

  it('refuses API keys and service tokens whatever their scopes', async () => {
    expect(await outcome(context({ kind: 'api-key' }))).toBe('user_principal_required');
    expect(await outcome(context({ kind: 'service' }))).toBe('user_principal_required');
  });

  it('refuses a user token narrowed below the account, and an account that is gone', async () => {
    expect(await outcome(context({ kind: 'user', scopes: ['orders:read'] }))).toBe('narrowed_credential');
    expect(await outcome(context({ kind: 'user', subject: 'gone' }))).toBe('forbidden');
  });

  it('refuses a request without a principal', async () => {
    expect(await outcome(context())).toBe('credentials_missing');
  });
});
