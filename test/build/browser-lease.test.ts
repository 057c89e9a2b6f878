import { describe, expect, it } from 'vitest';
import { leaseBrowser } from '../../src/build/browser-lease.js';
import type { BrowserSession } from '../../src/build/types.js';

/** A session that only counts: the lease, not the browser, is under test here. */
const countingSession = () => {
  const counts = { closed: 0 };
  const session: BrowserSession = { started: true, withPage: async (fn) => fn(undefined as never), close: async () => void (counts.closed += 1) };
  return { session, counts };
};

describe('leaseBrowser', () => {
  it('opens nothing until asked, shares one start between callers, and closes it once', async () => {
    const { session, counts } = countingSession();
    let opened = 0;
    const lease = leaseBrowser({}, async () => {
      opened += 1;
      await new Promise((done) => setTimeout(done, 10));
      return session;
    });
    expect(lease.started).toBe(false);
    const [a, b] = await Promise.all([lease.get(), lease.get()]);
    expect(a).toBe(b);
    expect(opened).toBe(1);
    expect(lease.started).toBe(true);
    await lease.close();
    expect(counts.closed).toBe(1);
  });

  it('forgets a failed start, so the next call may try again; closing an unused lease does nothing', async () => {
    const { session } = countingSession();
    let attempts = 0;
    const lease = leaseBrowser({}, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('no browser yet');
      return session;
    });
    await expect(lease.get()).rejects.toThrow('no browser yet');
    expect(await lease.get()).toBe(session);
    await leaseBrowser({}, () => Promise.reject(new Error('never called'))).close();
  });
});
