import { Controller, Get, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { ApiKeysModule, ApiKeysService, apiKeysEntities } from '@gatehouse/api-keys';
import { GatehouseModule, Public, type Principal } from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';

/** A route guarded by passport's AuthGuard('api-key') alone, as an app not using GatehouseGuard would. */
@Controller()
class PassportController {
  @Public()
  @UseGuards(AuthGuard('api-key'))
  @Get('export')
  export(@Req() req: { user: Principal }): Principal {
    return req.user;
  }
}

const alice: Principal = { kind: 'user', subject: 'alice', scopes: ['orders:read'], credential: { mechanism: 'session', id: 's1' } };

describe.each(ADAPTERS)('passport strategy "api-key" (%s)', (adapter) => {
  let app: INestApplication;
  let key: string;

  beforeAll(async () => {
    app = await createTinyApp(adapter, {
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: apiKeysEntities, synchronize: true }),
        GatehouseModule.forRoot({}),
        ApiKeysModule.forRoot({ usageFlushTickMs: 0 }),
      ],
      controllers: [PassportController],
    });
    ({ key } = await app.get(ApiKeysService).create(alice, { name: 'export', scopes: ['orders:read'] }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('authenticates with the same verifier as the guard', async () => {
    const response = await request(app.getHttpServer()).get('/export').set('X-API-Key', key).expect(200);
    expect(response.body).toEqual(expect.objectContaining({ kind: 'api-key', subject: 'alice', scopes: ['orders:read'] }));
  });

  it('refuses a bad key with the coded 401', async () => {
    const response = await request(app.getHttpServer()).get('/export').set('X-API-Key', key.slice(0, -1) + (key.endsWith('0') ? '1' : '0')).expect(401);
    expect(response.body.code).toBe('invalid_api_key');
  });

  it('refuses a missing key with 401', async () => {
    await request(app.getHttpServer()).get('/export').expect(401);
  });
});
