/** Where the Twilio-compatible REST API lives: authenticated, form-parsed, Twilio-shaped errors. */
export const API_ROUTE_PREFIXES = ['v1', 'v2', '2010-04-01'] as const;

export function isApiPath(path: string): boolean {
  return API_ROUTE_PREFIXES.some((prefix) => path === `/${prefix}` || path.startsWith(`/${prefix}/`));
}

/**
 * How Twilio names a resource in a 20404 message: chat.twilio.com and conversations.twilio.com drop
 * their version (`/Services/IS…`); api.twilio.com keeps its date (`/2010-04-01/Accounts/…`).
 */
export function resourcePath(path: string): string {
  return path.replace(/^\/v[12](?=\/)/, '');
}
