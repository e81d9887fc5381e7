import { isDenial, SDKError, SDKErrorCode } from './errors';

describe('SDKError', () => {
  it('carries code, status and message and is an Error', () => {
    const err = SDKError.fromBody({ code: 50300, status: 404, message: 'Channel not found' });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(SDKError);
    expect(err).toMatchObject({ name: 'SDKError', code: 50300, status: 404, message: 'Channel not found' });
  });

  it('falls back to an internal error for a malformed body', () => {
    expect(SDKError.fromBody(undefined)).toMatchObject({ code: 20500, status: 500 });
    expect(SDKError.fromBody({ message: '' })).toMatchObject({ code: 20500, message: 'Unknown error' });
  });

  it.each([
    [SDKError.invalidArgument('x'), SDKErrorCode.InvalidArgument, 400],
    [SDKError.timeout('message.send'), SDKErrorCode.Timeout, 408],
    [SDKError.connectionLost('channel.join'), SDKErrorCode.ConnectionLost, 503],
    [SDKError.notConnected('shut down'), SDKErrorCode.NotConnected, 503],
  ])('local error %#', (err, code, status) => {
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
  });
});

describe('isDenial (no retry for these handshake errors)', () => {
  it.each([
    { error: { code: 20101, status: 401 }, denied: true },
    { error: { code: 20104, status: 401 }, denied: true },
    { error: { code: 20107 }, denied: true },
    { error: { code: 51101, status: 404 }, denied: true },
    { error: { code: 20003, status: 401 }, denied: true },
    { error: { code: 50107, status: 403 }, denied: true },
    { error: { code: 20429, status: 429 }, denied: false },
    { error: { code: 20503, status: 503 }, denied: false },
    { error: { code: 20500, status: 500 }, denied: false },
    { error: {}, denied: false },
    { error: undefined, denied: false },
  ])('$error → $denied', ({ error, denied }) => {
    expect(isDenial(error)).toBe(denied);
  });
});
