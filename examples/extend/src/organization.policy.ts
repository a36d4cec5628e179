import { Injectable } from '@nestjs/common';
import { GatehouseError, registerErrorCodes, type AuthorizationPolicy, type Principal } from '@gatehouse/core';

/** The identity provider's organization whose members see the billing routes (`ISSUER_ORGANIZATION`). */
const ORGANIZATION = process.env.ISSUER_ORGANIZATION ?? 'org_acme';

registerErrorCodes({
  organization_required: { status: 403, message: 'The route is open to members of the organization only.' },
});

/**
 * Allowed for a token whose verified `org_id` claim (an Auth0 Organizations access token) names the
 * organization; anyone else gets 403 `organization_required`, a code of the app's own. It reads
 * only the principal, so it works in every context.
 */
@Injectable()
export class OrganizationPolicy implements AuthorizationPolicy {
  authorize(principal: Principal): boolean {
    if (principal.claims?.org_id === ORGANIZATION) return true;
    throw new GatehouseError('organization_required');
  }
}
