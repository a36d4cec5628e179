import { rejectSoon } from './reject-soon.js';

describe('rejectSoon', () => {
  it('is not rejected yet when it is returned: a handler attached in the same tick is there first', async () => {
    const reason = new Error('refused');
    // An already rejected promise would win this race; one that rejects a microtask later loses it.
    await expect(Promise.race([rejectSoon(reason), Promise.resolve('first')])).resolves.toBe('first');
    await expect(Promise.race([Promise.reject(reason), Promise.resolve('first')])).rejects.toBe(reason);
  });

  it('rejects with the reason, whenever the handler is attached', async () => {
    const reason = new Error('refused');
    await expect(rejectSoon(reason)).rejects.toBe(reason);
    const late = rejectSoon(reason);
    late.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(late).rejects.toBe(reason);
  });
});
