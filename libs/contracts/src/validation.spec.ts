import { z } from 'zod';
import { formBoolean, formInt, formStringArray, jsonAttributes, twilioDate } from './form';
import { parseParams } from './validation';
import { ParleyError } from './errors';
import { isSid, newSid } from './sid';
import { parseEventSubject, eventSubject } from './events';

describe('form coercion', () => {
  it.each([
    [formBoolean, 'true', true],
    [formBoolean, 'FALSE', false],
    [formBoolean, true, true],
    [formInt(1, 10), '7', 7],
    [formInt(1, 10), 3, 3],
    [formStringArray(), 'a', ['a']],
    [formStringArray(), ['a', 'b'], ['a', 'b']],
  ] as const)('%#: parses %p', (schema, input, expected) => {
    expect((schema as z.ZodType).parse(input)).toEqual(expected);
  });

  it.each([
    [formBoolean, 'yes'],
    [formInt(1, 10), '11'],
    [formInt(1, 10), '1.5'],
    [formInt(1, 10), 'x'],
    [jsonAttributes(10), '{"a":"long string"}'],
    [jsonAttributes(100), 'not json'],
    [jsonAttributes(100), '42'],
  ] as const)('%#: rejects %p', (schema, input) => {
    expect((schema as z.ZodType).safeParse(input).success).toBe(false);
  });

  it('output parses again to itself', () => {
    const schema = z.object({ A: formBoolean, B: formInt(0, 5), C: formStringArray() });
    const once = schema.parse({ A: 'true', B: '3', C: 'x' });
    expect(schema.parse(once)).toEqual(once);
  });
});

describe('parseParams', () => {
  const schema = z.object({ params: z.object({ FriendlyName: z.string(), Limit: formInt(1, 5).optional() }) });

  it('names a missing parameter the way Twilio does', () => {
    expect(() => parseParams(schema, { params: {} })).toThrow('Missing required parameter FriendlyName in the post body');
  });

  it('names an invalid parameter with status 400 and code 20001', () => {
    try {
      parseParams(schema, { params: { FriendlyName: 'x', Limit: '9' } });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ParleyError);
      expect((err as ParleyError).toBody()).toMatchObject({ code: 20001, status: 400 });
      expect((err as ParleyError).message).toMatch(/^Invalid parameter: Limit/);
    }
  });
});

describe('sids, dates and subjects', () => {
  it('mints sids of 34 characters that validate', () => {
    const sid = newSid('IS');
    expect(sid).toMatch(/^IS[0-9a-f]{32}$/);
    expect(isSid(sid, 'IS')).toBe(true);
    expect(isSid(sid, 'CH')).toBe(false);
    expect(isSid('IS123', 'IS')).toBe(false);
  });

  it('mints a different sid every time, across many refills of its entropy pool', () => {
    const sids = Array.from({ length: 2000 }, () => newSid('IM'));
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.every((sid) => /^IM[0-9a-f]{32}$/.test(sid))).toBe(true);
    // Every hex digit turns up in every position: the bytes are random, not a counter.
    for (let position = 2; position < 34; position++) expect(new Set(sids.map((sid) => sid[position])).size).toBe(16);
  });

  it('renders dates at second precision with a literal Z', () => {
    expect(twilioDate(new Date('2015-12-16T22:18:37.123Z'))).toBe('2015-12-16T22:18:37Z');
  });

  it('round-trips event subjects', () => {
    const sid = newSid('IS');
    expect(parseEventSubject(eventSubject(sid, 'service.updated'))).toEqual({ serviceSid: sid, name: 'service.updated' });
    expect(parseEventSubject('chat.v1.evt.IS1.nope')).toBeNull();
  });
});
