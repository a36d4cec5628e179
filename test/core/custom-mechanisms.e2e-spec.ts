import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Body, Controller, Get, Global, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import request from 'supertest';
import {
  AuthStrategies,
  CurrentPrincipal,
  GatehouseMechanism,
  GatehouseModule,
  HttpErrorFilter,
  ManualClock,
  errorSpec,
  readHeader,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';
import { FakeMechanisms, sessionCookieReads } from '../support/fake-mechanisms.js';
import { CLIENT_CERTIFICATE_OPTIONS, ClientCertificateMechanism } from '../fixtures/mechanisms/client-certificate.mechanism.js';
import { HmacSignatureMechanism, WEBHOOK_PARTNERS } from '../fixtures/mechanisms/hmac-signature.mechanism.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mtls/${name}`, import.meta.url), 'utf8');
const NOW = Date.parse('2027-06-01T12:00:00Z');
const SECRET = 'whsec_4f1c2b8e9d7a6c5b3e2f1a0d9c8b7a6e';

function sign(body: string, { secret = SECRET, keyId = 'acme', at = NOW } = {}): string {
  const timestamp = Math.floor(at / 1000);
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `keyId=${keyId},t=${timestamp},v1=${mac}`;
}

const forwarded = (pem: string): string => encodeURIComponent(pem);

/** A user's passport strategy: `X-Partner: s3cret`; absent or wrong fails (passport's `fail`). */
@Injectable()
class PartnerStrategy extends PassportStrategy(CustomStrategy, 'partner') {
  validate(req: GatehouseRequest): Principal | false {
    if (readHeader(req, 'x-partner') !== 's3cret') return false;
    return { kind: 'service', subject: 'partner-1', scopes: [], credential: { mechanism: 'partner', id: 'partner-1' } };
  }
}

@Controller()
class WebhooksController {
  @AuthStrategies('hmac') @Post('webhooks/orders') orders(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return { subject: principal.subject, scopes: principal.scopes, body };
  }
  @AuthStrategies('hmac', 'session') @Post('webhooks/either') either(@CurrentPrincipal('credential') credential: Principal['credential']) {
    return { mechanism: credential.mechanism };
  }
  @AuthStrategies('jwt', 'hmac') @Post('jwt-or-hmac') jwtOrHmac(@CurrentPrincipal('credential') credential: Principal['credential']) {
    return { mechanism: credential.mechanism };
  }
  @Get('me') me(@CurrentPrincipal('credential') credential: Principal['credential']) { return { mechanism: credential.mechanism }; }
  @AuthStrategies('mtls') @Get('billing') billing(@CurrentPrincipal() principal: Principal) { return { subject: principal.subject, scopes: principal.scopes }; }
  @AuthStrategies('partner') @Post('partner') partner(@CurrentPrincipal('subject') subject: string) { return { subject }; }
  @AuthStrategies('partner', 'session') @Post('partner-or-session') partnerOrSession(@CurrentPrincipal('subject') subject: string) { return { subject }; }
}

function mechanismConfig(trustedProxies: string[]) {
  @Global()
  @Module({
    providers: [
      { provide: WEBHOOK_PARTNERS, useValue: new Map([['acme', { secret: SECRET, scopes: ['orders:write'] }]]) },
      { provide: CLIENT_CERTIFICATE_OPTIONS, useValue: { trustedProxies, ca: fixture('ca.pem'), scopesBySubject: { 'billing-service': ['billing:read'] } } },
    ],
    exports: [WEBHOOK_PARTNERS, CLIENT_CERTIFICATE_OPTIONS],
  })
  class MechanismConfigModule {}
  return MechanismConfigModule;
}

async function startApp(adapter: (typeof ADAPTERS)[number], clock: ManualClock, trustedProxies = ['127.0.0.1']): Promise<INestApplication> {
  return createTinyApp(
    adapter,
    {
      imports: [
        mechanismConfig(trustedProxies),
        GatehouseModule.forRoot({ realm: 'test', clock, mechanisms: [HmacSignatureMechanism, ClientCertificateMechanism] }),
      ],
      controllers: [WebhooksController],
      providers: [FakeMechanisms, PartnerStrategy, { provide: APP_FILTER, useClass: HttpErrorFilter }],
    },
    { rawBody: true },
  );
}

describe.each(ADAPTERS)('custom mechanisms declared in the options (%s)', (adapter) => {
  let app: INestApplication;
  const clock = new ManualClock(NOW);
  const http = () => request(app.getHttpServer());
  const post = (path: string, body: string) => http().post(path).set('Content-Type', 'application/json').send(body);

  beforeAll(async () => {
    app = await startApp(adapter, clock);
  }, 30_000);
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => clock.set(NOW));

  describe('HMAC-SHA256 webhook signature over the raw body', () => {
    it('accepts a fresh signature of the exact bytes and makes its principal', async () => {
      const body = '{"order": 42,  "note":"spacing kept"}';
      const response = await post('/webhooks/orders', body).set('X-Signature', sign(body)).expect(201);
      expect(response.body).toEqual({ subject: 'acme', scopes: ['orders:write'], body: { order: 42, note: 'spacing kept' } });
    });

    it('refuses a replayed signature with its own code and challenge', async () => {
      const body = '{"order":43}';
      const signature = sign(body);
      await post('/webhooks/orders', body).set('X-Signature', signature).expect(201);
      const replay = await post('/webhooks/orders', body).set('X-Signature', signature).expect(401);
      expect(replay.body).toEqual({ statusCode: 401, code: 'signature_replayed', message: 'The request signature was already used.' });
      expect(replay.headers['www-authenticate']).toBe('Signature realm="test", error="signature_replayed"');
    });

    it('refuses a signature outside the five-minute window, either way', async () => {
      const body = '{"order":44}';
      const old = await post('/webhooks/orders', body).set('X-Signature', sign(body, { at: NOW - 301_000 })).expect(401);
      expect(old.body.code).toBe('signature_expired');
      const future = await post('/webhooks/orders', body).set('X-Signature', sign(body, { at: NOW + 301_000 })).expect(401);
      expect(future.body.code).toBe('signature_expired');
      await post('/webhooks/orders', body).set('X-Signature', sign(body, { at: NOW - 299_000 })).expect(201);
    });

    it.each([
      ['a re-serialised body', (body: string) => sign(body.replace(':', ': '))],
      ['another secret', (body: string) => sign(body, { secret: 'whsec_other' })],
      ['an unknown key id', (body: string) => sign(body, { keyId: 'nobody' })],
      ['a malformed header', () => 'v1=abc'],
      ['an empty header', () => ''],
    ])('refuses %s with 401 signature_invalid', async (_label, signature) => {
      const body = '{"order":45}';
      const response = await post('/webhooks/orders', body).set('X-Signature', signature(body)).expect(401);
      expect(response.body.code).toBe('signature_invalid');
      expect(response.headers['www-authenticate']).toBe('Signature realm="test", error="signature_invalid"');
    });

    it('asks for the signature when none is sent', async () => {
      const response = await post('/webhooks/orders', '{}').expect(401);
      expect(response.body.code).toBe('credentials_missing');
      expect(response.headers['www-authenticate']).toBe('Signature realm="test"');
    });

    it('registers its codes in the one error table', () => {
      expect(errorSpec('signature_expired')).toEqual({ status: 401, message: 'The request signature is outside the replay window.' });
    });
  });

  describe('precedence, as for the built-in mechanisms', () => {
    it('lets the explicit signature win over an ambient cookie, valid or not', async () => {
      const body = '{"order":46}';
      sessionCookieReads.count = 0;
      await post('/webhooks/either', body).set('X-Signature', sign(body)).set('Cookie', 'sid=stale').expect(201, { mechanism: 'hmac' });
      // A cookie that cannot win is not even read.
      expect(sessionCookieReads.count).toBe(0);
      await post('/webhooks/either', '{}').set('Cookie', 'sid=good-session').expect(201, { mechanism: 'session' });
      expect(sessionCookieReads.count).toBe(1);
    });

    it('does not read the cookie or a bearer token on a route that accepts only the signature', async () => {
      const body = '{"order":47}';
      await post('/webhooks/orders', body).set('X-Signature', sign(body)).set('Cookie', 'sid=anything').expect(201);
      const other = '{"order":48}';
      await post('/webhooks/orders', other).set('X-Signature', sign(other)).set('Authorization', 'Bearer good-jwt').expect(201);
    });

    it('refuses two explicit credentials that the route both accepts', async () => {
      const body = '{"order":49}';
      const response = await post('/jwt-or-hmac', body).set('X-Signature', sign(body)).set('Authorization', 'Bearer good-jwt').expect(401);
      expect(response.body.code).toBe('credentials_conflict');
    });

    it('is not read on routes that do not accept it', async () => {
      await http().get('/me').set('Authorization', 'Bearer good-jwt').set('X-Signature', 'unrelated').expect(200, { mechanism: 'jwt' });
      const alone = await http().get('/me').set('X-Signature', 'unrelated').expect(401);
      expect(alone.body.code).toBe('credentials_missing');
    });

    it('gives a passport strategy the same precedence: it wins over a cookie and ignores refused mechanisms', async () => {
      await http().post('/partner').set('X-Partner', 's3cret').set('Cookie', 'sid=stale').expect(201, { subject: 'partner-1' });
      await http().post('/partner').set('X-Partner', 's3cret').set('Authorization', 'Bearer good-jwt').expect(201, { subject: 'partner-1' });
      await http().post('/partner-or-session').set('X-Partner', 's3cret').set('Cookie', 'sid=stale').expect(201, { subject: 'partner-1' });
      await http().post('/partner-or-session').set('Cookie', 'sid=good-session').expect(201, { subject: 'session-subject' });
      const stale = await http().post('/partner-or-session').set('Cookie', 'sid=stale').expect(401);
      expect(stale.body.code).toBe('invalid_token');
      const bearer = await http().post('/partner').set('Authorization', 'Bearer good-jwt').expect(401);
      expect(bearer.body.code).toBe('mechanism_not_allowed');
      const wrong = await http().post('/partner').set('X-Partner', 'wrong').expect(401);
      expect(wrong.body.code).toBe('authentication_failed');
    });
  });

  describe('mTLS client certificate forwarded by the TLS proxy', () => {
    it('accepts a certificate the CA issued, from a trusted proxy address', async () => {
      const response = await http().get('/billing').set('X-Client-Cert', forwarded(fixture('client.pem'))).expect(200);
      expect(response.body).toEqual({ subject: 'billing-service', scopes: ['billing:read'] });
    });

    it.each([
      ['a certificate of another CA with the same name', () => forwarded(fixture('rogue-client.pem'))],
      ['a CA certificate (wrong subject)', () => forwarded(fixture('ca.pem'))],
      ['garbage', () => 'not%20a%20certificate'],
      ['broken escaping', () => '%E0%A4%A'],
    ])('refuses %s with 401 client_certificate_invalid', async (_label, header) => {
      const response = await http().get('/billing').set('X-Client-Cert', header()).expect(401);
      expect(response.body.code).toBe('client_certificate_invalid');
    });

    it('refuses a certificate past its validity', async () => {
      clock.set(Date.parse('2040-01-01T00:00:00Z'));
      const response = await http().get('/billing').set('X-Client-Cert', forwarded(fixture('client.pem'))).expect(401);
      expect(response.body.code).toBe('client_certificate_invalid');
    });
  });
});

describe.each(ADAPTERS)('mTLS header from an address that is not a trusted proxy (%s)', (adapter) => {
  it('is refused, whatever X-Forwarded-For claims', async () => {
    const app = await startApp(adapter, new ManualClock(NOW), ['10.0.0.7']);
    try {
      const response = await request(app.getHttpServer())
        .get('/billing')
        .set('X-Forwarded-For', '10.0.0.7')
        .set('X-Client-Cert', forwarded(fixture('client.pem')))
        .expect(401);
      expect(response.body.code).toBe('client_certificate_untrusted_source');
    } finally {
      await app.close();
    }
  }, 30_000);
});

describe('declared mechanisms at startup', () => {
  it('refuses a declared mechanism that takes a built-in name', async () => {
    @Injectable()
    class Impostor extends GatehouseMechanism {
      readonly name = 'jwt';
      extract(): undefined { return undefined; }
      authenticate(): Principal { throw new Error('unreachable'); }
    }
    await expect(createTinyApp('express', { imports: [GatehouseModule.forRoot({ mechanisms: [Impostor] })] })).rejects.toThrow(
      'The mechanism name "jwt" is reserved',
    );
  }, 30_000);

  it('refuses an unknown name in the module options', async () => {
    await expect(createTinyApp('express', { imports: [GatehouseModule.forRoot({ defaultMechanisms: ['jwt', 'hmca'] })] })).rejects.toThrow(
      'Unknown authentication mechanism "hmca" on the module options',
    );
  }, 30_000);

  it('takes mechanisms beside useFactory in forRootAsync', async () => {
    const app = await createTinyApp(
      'fastify',
      {
        imports: [
          mechanismConfig(['127.0.0.1']),
          GatehouseModule.forRootAsync({ mechanisms: [HmacSignatureMechanism, ClientCertificateMechanism], useFactory: async () => ({ clock: new ManualClock(NOW) }) }),
        ],
        controllers: [WebhooksController],
        providers: [FakeMechanisms, PartnerStrategy],
      },
      { rawBody: true },
    );
    try {
      const body = '{"order":50}';
      await request(app.getHttpServer()).post('/webhooks/orders').set('Content-Type', 'application/json').set('X-Signature', sign(body)).send(body).expect(201);
    } finally {
      await app.close();
    }
  }, 30_000);
});
