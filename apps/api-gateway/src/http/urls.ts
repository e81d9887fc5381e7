/**
 * Absolute URLs of REST resources on Parley's public base. Twilio clients follow `url`, `links` and
 * `meta.next_page_url` verbatim, so they must point at this deployment, never at twilio.com.
 */
export class PublicUrls {
  /** @param base PARLEY_PUBLIC_URL, without a trailing slash (the config strips it). */
  constructor(readonly base: string) {}

  services(): string {
    return `${this.base}/v2/Services`;
  }

  service(sid: string): string {
    return `${this.services()}/${sid}`;
  }

  serviceLinks(sid: string): { channels: string; users: string; roles: string; bindings: string } {
    const service = this.service(sid);
    return {
      channels: `${service}/Channels`,
      users: `${service}/Users`,
      roles: `${service}/Roles`,
      bindings: `${service}/Bindings`,
    };
  }
}
