import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import request from 'supertest';
import { CurrentPrincipal, GatehouseGuard, GatehouseModule, HttpErrorFilter, MechanismRegistry, Public, type Principal } from '@gatehouse/core';
import { Test } from '@nestjs/testing';
import { FakeMechanisms } from '../test/support/fake-mechanisms.js';
import type { BenchSection } from './bench-goals.js';
import type { RoundSample } from './bench-table.js';
import { meterGuard, type GuardMeter } from './guard-meter.js';
import { guardStepsTable, stepRecord, stepsBetween, type GuardStep, type GuardStepReading } from './guard-steps.js';

@Controller()
class RoutesController {
  @Public() @Get('public') open() { return { ok: true }; }
  @Get('me') me(@CurrentPrincipal() principal: Principal) { return principal; }
}

@Module({ providers: [FakeMechanisms] })
class FakeMechanismsModule {}

const zero = () => stepRecord(() => 0);

describe('the guard step meter (BENCH_GUARD_STEPS=1)', () => {
  let app: INestApplication;

  let meter: GuardMeter;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [GatehouseModule.forRoot({ realm: 'test' }), FakeMechanismsModule],
      controllers: [RoutesController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useLogger(false);
    // As in the bench server: metered before the app initialises, when no mechanism has registered yet.
    meter = meterGuard(app, undefined, { steps: true })!;
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
  });

  it('times each step of the real guard on the requests it meters, and changes no answer', async () => {
    const before = meter.read().steps!;
    const http = () => request(app.getHttpServer());
    for (let i = 0; i < 3; i += 1) {
      const response = await http().get('/me').set('Authorization', 'Bearer good-jwt').expect(200);
      expect(response.body).toMatchObject({ subject: 'jwt-subject' });
    }
    for (let i = 0; i < 2; i += 1) {
      const response = await http().get('/me').set('Authorization', 'Bearer forged').expect(401);
      expect(response.body).toMatchObject({ code: 'invalid_token' });
    }
    await http().get('/public').expect(200, { ok: true });
    // A mechanism used outside a metered guard call is not counted.
    app.get(MechanismRegistry).all()[0]!.extract({ headers: { authorization: 'Bearer good-jwt' } } as never);

    const steps = stepsBetween(before, meter.read().steps!);
    expect(steps.calls).toBe(6);
    // The public route stops after its policy; the others read one header credential (the
    // session cookie is read only when no header credential is present) and check it.
    expect(steps.counts).toEqual({ policy: 6, request: 5, resolve: 5, extract: 5, check: 5, enrich: 3, attach: 3, refusal: 2 });
    expect(steps.timerMicros).toBeGreaterThan(0);
    const guard = meter.read();
    expect(guard.calls).toBe(6);
    expect(guard.deferred).toBe(2);
  });

  it('wraps methods the guard still has', () => {
    // A renamed hook would leave its step silently at zero: the meter throws instead.
    for (const name of ['getRequest', 'resolve', 'enrich', 'attach', 'refused']) {
      expect(typeof (GatehouseGuard.prototype as unknown as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

describe('guardStepsTable', () => {
  const reading = (calls: number, micros: Partial<Record<GuardStep, number>>): GuardStepReading => ({
    calls,
    timerMicros: calls * 0.1,
    micros: { ...zero(), ...micros },
    counts: zero(),
  });
  const sample = (row: string, guardMicros: number, steps?: GuardStepReading): RoundSample => ({
    row,
    requests: 100,
    seconds: 1,
    cpuMicros: 1,
    non2xx: 0,
    errors: 0,
    guardMicros,
    guardCalls: 100,
    guardDeferred: 0,
    ...(steps ? { guardSteps: steps } : {}),
  });

  it('adds the rounds up per row and puts what the steps do not cover in the rest', () => {
    const section: BenchSection = {
      adapter: 'express',
      algorithm: 'EdDSA',
      rows: [],
      samples: [
        sample('jwt', 500, reading(100, { policy: 100, check: 200 })),
        sample('jwt', 700, reading(100, { policy: 100, check: 400 })),
        sample('public', 100),
      ],
    };
    const table = guardStepsTable([section]);
    const jwt = table.split('\n').find((line) => line.startsWith('| express | jwt |'))!;
    // 1,200 µs over 200 calls: 6.00 per call, of which policy 1.00, check 3.00, the rest 2.00.
    expect(jwt).toBe('| express | jwt | 200 | 6.00 | 1.00 | 0.00 | 0.00 | 0.00 | 3.00 | 0.00 | 0.00 | 0.00 | 2.00 | 0.10 |');
    expect(table).not.toContain('| public |');
  });

  it('is empty when no round was timed by step', () => {
    expect(guardStepsTable([{ adapter: 'fastify', algorithm: 'EdDSA', rows: [], samples: [sample('jwt', 500)] }])).toBe('');
  });
});
