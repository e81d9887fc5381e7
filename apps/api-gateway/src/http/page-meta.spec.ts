import { ParleyError } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from './page-meta';

const LIST = 'https://chat.example.com/v2/Services';

describe('readPaging', () => {
  it.each<[string, QueryParams, number, object]>([
    ['defaults', {}, 100, { PageSize: 50, Page: 0 }],
    ['a default above the maximum', {}, 5, { PageSize: 5, Page: 0 }],
    ['given values', { PageSize: '20', Page: '3', PageToken: 'tok' }, 100, { PageSize: 20, Page: 3, PageToken: 'tok' }],
    ['a PageSize above the maximum', { PageSize: '5000' }, 100, { PageSize: 100, Page: 0 }],
    ['a PageSize too long for a number', { PageSize: '99999999999999999999' }, 50, { PageSize: 50, Page: 0 }],
    ['other query parameters', { Type: ['public', 'private'] }, 100, { PageSize: 50, Page: 0 }],
  ])('reads %s', (_case, query, max, expected) => {
    expect(readPaging(query, max)).toEqual(expected);
  });

  it.each<[string, QueryParams, string]>([
    ['PageSize 0', { PageSize: '0' }, 'PageSize'],
    ['a negative PageSize', { PageSize: '-1' }, 'PageSize'],
    ['a fractional PageSize', { PageSize: '1.5' }, 'PageSize'],
    ['a repeated PageSize', { PageSize: ['1', '2'] }, 'PageSize'],
    ['a negative Page', { Page: '-1' }, 'Page'],
    ['a Page that is not a number', { Page: 'x' }, 'Page'],
  ])('refuses %s with a 400 naming the parameter', (_case, query, name) => {
    let caught: unknown;
    try {
      readPaging(query, 100);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParleyError);
    expect((caught as ParleyError).toBody()).toMatchObject({ code: 20001, status: 400 });
    expect((caught as ParleyError).message).toMatch(new RegExp(`^Invalid parameter: ${name}\\b`));
  });
});

describe('pageMeta', () => {
  const cases: [string, Parameters<typeof pageMeta>[0], ReturnType<typeof pageMeta>][] = [
    [
      'a single page',
      { key: 'services', listUrl: LIST, query: {}, paging: { PageSize: 50, Page: 0 }, page: { pageSize: 50, nextPageToken: null, previousPageToken: null } },
      {
        page: 0,
        page_size: 50,
        first_page_url: `${LIST}?PageSize=50&Page=0`,
        previous_page_url: null,
        url: `${LIST}?PageSize=50&Page=0`,
        next_page_url: null,
        key: 'services',
      },
    ],
    [
      'a first page with more to come',
      { key: 'services', listUrl: LIST, query: { PageSize: '2' }, paging: { PageSize: 2, Page: 0 }, page: { pageSize: 2, nextPageToken: 'PTn', previousPageToken: null } },
      {
        page: 0,
        page_size: 2,
        first_page_url: `${LIST}?PageSize=2&Page=0`,
        previous_page_url: null,
        url: `${LIST}?PageSize=2&Page=0`,
        next_page_url: `${LIST}?PageSize=2&Page=1&PageToken=PTn`,
        key: 'services',
      },
    ],
    [
      'a middle page, keeping repeated filters and encoding tokens',
      {
        key: 'channels',
        listUrl: LIST,
        query: { Type: ['public', 'private'], PageSize: '2', Page: '1', PageToken: 'a b', Other: undefined },
        paging: { PageSize: 2, Page: 1, PageToken: 'a b' },
        page: { pageSize: 2, nextPageToken: 'n/x=', previousPageToken: 'p&1' },
      },
      {
        page: 1,
        page_size: 2,
        first_page_url: `${LIST}?Type=public&Type=private&PageSize=2&Page=0`,
        previous_page_url: `${LIST}?Type=public&Type=private&PageSize=2&Page=0&PageToken=p%261`,
        url: `${LIST}?Type=public&Type=private&PageSize=2&Page=1&PageToken=a+b`,
        next_page_url: `${LIST}?Type=public&Type=private&PageSize=2&Page=2&PageToken=n%2Fx%3D`,
        key: 'channels',
      },
    ],
    [
      'a page reached by token without a Page number',
      { key: 'services', listUrl: LIST, query: { PageToken: 't' }, paging: { PageSize: 50, Page: 0, PageToken: 't' }, page: { pageSize: 50, nextPageToken: null, previousPageToken: 'p' } },
      {
        page: 0,
        page_size: 50,
        first_page_url: `${LIST}?PageSize=50&Page=0`,
        previous_page_url: `${LIST}?PageSize=50&Page=0&PageToken=p`,
        url: `${LIST}?PageSize=50&Page=0&PageToken=t`,
        next_page_url: null,
        key: 'services',
      },
    ],
  ];

  it.each(cases)('renders %s', (_case, args, expected) => {
    expect(pageMeta(args)).toEqual(expected);
  });

  it('puts the items under meta.key', () => {
    const meta = pageMeta(cases[0][1]);
    expect(listEnvelope(meta, [{ sid: 'IS1' }])).toEqual({ services: [{ sid: 'IS1' }], meta });
  });
});
