import twilio from 'twilio';
import type RequestClientNS from 'twilio/lib/base/RequestClient';

/**
 * The official `twilio` helper's own RequestClient, with only the host rewritten: every request the
 * helper would send to *.twilio.com (including next_page_url) goes to Parley instead.
 */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly target: string) {
    super({ keepAlive: false });
  }

  override request<TData>(opts: RequestClientNS.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    const target = new URL(this.target);
    if (url.hostname.endsWith('.twilio.com') || url.origin === target.origin) {
      url.protocol = target.protocol;
      url.host = target.host;
    }
    return super.request<TData>({ ...opts, uri: url.toString() });
  }
}

/** An unmodified `twilio` client pointed at a Parley api-gateway. */
export function twilioClient(baseUrl: string, username: string, password: string, accountSid?: string): twilio.Twilio {
  return twilio(username, password, {
    accountSid: accountSid ?? (username.startsWith('AC') ? username : undefined),
    httpClient: new RedirectingRequestClient(baseUrl),
  });
}
