import { Controller, Get } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { GatehouseModule, Public } from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from './support/adapters.js';

@Controller()
class SmokeController {
  @Public() @Get('open') open() { return { ok: true }; }
  @Get('closed') closed() { return { ok: true }; }
}

describe.each(ADAPTERS)('smoke (%s)', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => { app = await createTinyApp(adapter, { imports: [GatehouseModule.forRoot({})], controllers: [SmokeController] }); });
  afterAll(async () => { await app.close(); });
  it('serves public', async () => { await request(app.getHttpServer()).get('/open').expect(200, { ok: true }); });
  it('guards closed', async () => {
    const res = await request(app.getHttpServer()).get('/closed').expect(401);
    expect(res.body.code).toBe('credentials_missing');
  });
});
