import { type ArgumentsHost, BadRequestException, InternalServerErrorException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import pino from 'pino';
import { Errors, ParleyError } from '@parley/contracts';
import { knownTwilioError, TwilioErrorFilter, twilioErrorBody } from './twilio-error.filter';

describe('knownTwilioError', () => {
  it.each<[string, unknown, string, object | null]>([
    ['a domain error as it is', Errors.conflict(50307, 'Channel with provided unique name already exists'), '/v2/Services/IS1/Channels', { code: 50307, status: 409 }],
    ['a NATS outage as it is', Errors.unavailable('chat.v1.cmd.service'), '/v2/Services', { code: 20503, status: 503 }],
    [
      'an unknown route as 20404 naming the resource without the version',
      new NotFoundException('Cannot GET /v2/Nope'),
      '/v2/Nope',
      { code: 20404, status: 404, message: 'The requested resource /Nope was not found' },
    ],
    ['any other error as unexpected', new Error('boom'), '/v2/Services', null],
    ['a thrown string as unexpected', 'boom', '/v2/Services', null],
    [
      "Nest's other client errors with their status",
      new BadRequestException("Failed to decode param '%E0'"),
      '/v2/Services/%E0',
      { code: 20001, status: 400, message: "Failed to decode param '%E0'" },
    ],
    ["Nest's server errors as unexpected", new InternalServerErrorException(), '/v2/Services', null],
  ])('maps %s', (_case, exception, path, expected) => {
    const error = knownTwilioError(exception, path);
    if (expected === null) expect(error).toBeNull();
    else expect(error).toMatchObject(expected);
  });
});

describe('twilioErrorBody', () => {
  it('renders code, message, more_info and status', () => {
    expect(twilioErrorBody(new ParleyError(20404, 'The requested resource /Services/IS1 was not found', 404))).toEqual({
      code: 20404,
      message: 'The requested resource /Services/IS1 was not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });
});

describe('TwilioErrorFilter', () => {
  function render(exception: unknown, path = '/v2/Services') {
    const res = {
      headersSent: false,
      statusCode: 0,
      headers: {} as Record<string, string>,
      body: undefined as unknown,
      setHeader(name: string, value: string) {
        this.headers[name] = value;
      },
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      json(body: unknown) {
        this.body = body;
      },
      end() {},
    };
    const req = { path, method: 'GET', id: 'req-1' };
    const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
    const logger = pino({ level: 'silent' });
    const error = jest.spyOn(logger, 'error');
    new TwilioErrorFilter(logger).catch(exception, host);
    return { res, error };
  }

  it('answers with the error status and Twilio body', () => {
    const { res } = render(Errors.missingParameter('FriendlyName'));
    expect(res.statusCode).toBe(400);
    expect(res.body).toEqual({
      code: 20001,
      message: 'Missing required parameter FriendlyName in the post body',
      more_info: 'https://www.twilio.com/docs/errors/20001',
      status: 400,
    });
  });

  it('asks for Basic credentials on 401', () => {
    const { res } = render(Errors.authenticate());
    expect(res.statusCode).toBe(401);
    expect(res.headers['WWW-Authenticate']).toBe('Basic realm="Parley"');
  });

  it('logs an unexpected error with the correlation id and answers a generic 500', () => {
    const { res, error } = render(new Error('secret detail'));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ code: 20500, message: 'Internal server error', more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 });
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ correlationId: 'req-1' }), 'request failed');
  });

  it("leaves terminus' readiness report alone outside the API", () => {
    const report = { status: 'error', error: { nats: { status: 'down' } } };
    const { res } = render(new ServiceUnavailableException(report), '/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.body).toEqual(report);
  });
});
