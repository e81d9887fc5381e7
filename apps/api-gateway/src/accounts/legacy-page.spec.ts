import { legacyListEnvelope } from './legacy-page';

const PATH = '/2010-04-01/Accounts.json';
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ sid: `AC${i}` }));

describe('legacyListEnvelope', () => {
  it("renders an empty first page as Twilio's example", () => {
    expect(
      legacyListEnvelope({
        key: 'accounts',
        path: PATH,
        query: { FriendlyName: 'friendly_name', Status: 'active' },
        paging: { PageSize: 50, Page: 0 },
        page: { items: [], pageSize: 50, nextPageToken: null, previousPageToken: null },
      }),
    ).toEqual({
      accounts: [],
      end: 0,
      first_page_uri: '/2010-04-01/Accounts.json?FriendlyName=friendly_name&Status=active&PageSize=50&Page=0',
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri: '/2010-04-01/Accounts.json?FriendlyName=friendly_name&Status=active&PageSize=50&Page=0',
    });
  });

  it('links a middle page to its neighbours with relative uris and counts its positions', () => {
    expect(
      legacyListEnvelope({
        key: 'keys',
        path: '/2010-04-01/Accounts/AC1/Keys.json',
        query: { PageSize: '2', Page: '1', PageToken: 'PTa' },
        paging: { PageSize: 2, Page: 1, PageToken: 'PTa' },
        page: { items: items(2), pageSize: 2, nextPageToken: 'PTb', previousPageToken: 'PBc' },
      }),
    ).toEqual({
      keys: items(2),
      end: 3,
      first_page_uri: '/2010-04-01/Accounts/AC1/Keys.json?PageSize=2&Page=0',
      next_page_uri: '/2010-04-01/Accounts/AC1/Keys.json?PageSize=2&Page=2&PageToken=PTb',
      page: 1,
      page_size: 2,
      previous_page_uri: '/2010-04-01/Accounts/AC1/Keys.json?PageSize=2&Page=0&PageToken=PBc',
      start: 2,
      uri: '/2010-04-01/Accounts/AC1/Keys.json?PageSize=2&Page=1&PageToken=PTa',
    });
  });

  it('counts a short last page', () => {
    const envelope = legacyListEnvelope({
      key: 'accounts',
      path: PATH,
      query: {},
      paging: { PageSize: 50, Page: 2, PageToken: 'PTx' },
      page: { items: items(3), pageSize: 50, nextPageToken: null, previousPageToken: 'PBy' },
    });
    expect([envelope.start, envelope.end, envelope.next_page_uri]).toEqual([100, 102, null]);
  });
});
