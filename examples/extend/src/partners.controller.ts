import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AnyScope, Authorize, AuthStrategies, CurrentPrincipal, OptionalAuth, Public, type Principal } from '@gatehouse/core';
import { OrganizationPolicy } from './organization.policy.js';

const describe = (principal: Principal) => ({
  kind: principal.kind,
  subject: principal.subject,
  mechanism: principal.credential.mechanism,
  scopes: principal.scopes,
});

/**
 * The extension points on routes: a custom mechanism (`hmac`), a policy, optional authentication,
 * any-of scopes, and tokens of a third-party identity provider (through the `jwt` mechanism).
 */
@Controller()
export class PartnersController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  /** Signed by a partner (`X-Signature`), or sent by a signed-in user; the signature wins over a cookie. */
  @AuthStrategies('hmac', 'session')
  @Post('webhooks/orders')
  @HttpCode(202)
  receive(@CurrentPrincipal() sender: Principal, @Body() body: { event?: unknown }) {
    return { accepted: String(body?.event), from: describe(sender) };
  }

  /** Anyone; a credential, when sent, must be valid and names the viewer. */
  @OptionalAuth()
  @Get('catalogue')
  catalogue(@CurrentPrincipal() viewer?: Principal) {
    return { items: ['widget', 'gadget'], viewer: viewer ? describe(viewer) : null };
  }

  /** Either scope will do: `reports:read` (an analyst) or `reports:admin`. */
  @AnyScope('reports:read', 'reports:admin')
  @Get('reports')
  reports(@CurrentPrincipal() reader: Principal) {
    return { reports: ['q3'], reader: describe(reader), issuer: reader.claims?.iss };
  }

  /** Members of the organization only (`OrganizationPolicy`). */
  @Authorize(OrganizationPolicy)
  @Get('billing')
  billing(@CurrentPrincipal() member: Principal) {
    return { plan: 'enterprise', member: member.subject, organization: member.claims?.org_id };
  }
}
