import { Test } from '@nestjs/testing';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Clock, ManualClock } from './clock.js';
import { SecurityEvents, type SecurityEvent } from './security-events.js';

const moduleWith = async (imports: Parameters<typeof Test.createTestingModule>[0]['imports']) => {
  const module = await Test.createTestingModule({
    imports,
    providers: [{ provide: Clock, useValue: new ManualClock(1_000) }, SecurityEvents],
  }).compile();
  await module.init();
  return module;
};

describe('SecurityEvents', () => {
  it('publishes on the app\'s EventEmitter2 as gatehouse.<type> when EventEmitterModule is registered', async () => {
    const module = await moduleWith([EventEmitterModule.forRoot()]);
    const received: SecurityEvent[] = [];
    module.get(EventEmitter2).on('gatehouse.session.created', (event: SecurityEvent) => received.push(event));
    module.get(SecurityEvents).emit('session.created', { subject: 'user-1' });
    expect(received).toEqual([{ type: 'session.created', at: 1_000, subject: 'user-1' }]);
    await module.close();
  });

  it('only logs without EventEmitterModule, and returns the event', async () => {
    const module = await moduleWith([]);
    expect(module.get(SecurityEvents).emit('login.failed', { ip: '192.0.2.1' })).toEqual({ type: 'login.failed', at: 1_000, ip: '192.0.2.1' });
    await module.close();
  });

  it('works constructed by hand, with no module around it', () => {
    expect(new SecurityEvents(new ManualClock(5)).emit('x.y')).toEqual({ type: 'x.y', at: 5 });
  });
});
