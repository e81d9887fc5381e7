import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls >= 3 ? calls : false), { intervalMs: 1 })).resolves.toBe(3);
  });

  it('keeps polling through errors', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        if (++calls < 2) throw new Error('not yet');
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
  });

  it('fails after the deadline naming the condition and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the thing' },
      ),
    ).rejects.toThrow('timed out after 30 ms waiting for the thing: still down');
  });
});
