/** Twilio error codes Parley answers with, and the HTTP status each maps to (permissions-errors.md). */
export const ErrorCode = {
  InvalidParameter: 20001,
  Authenticate: 20003,
  NotFound: 20404,
  TooManyRequests: 20429,
  InternalError: 20500,
  ServiceUnavailable: 20503,
  InvalidAccessToken: 20101,
  InvalidAccessTokenHeader: 20102,
  InvalidAccessTokenIssuer: 20103,
  AccessTokenExpired: 20104,
  AccessTokenNotYetValid: 20105,
  InvalidAccessTokenGrants: 20106,
  InvalidAccessTokenSignature: 20107,
  /** Twilio's "Accounts Resource" error: a status change or subaccount request the Accounts API does not allow. */
  AccountsResource: 21100,
  ServiceNotFound: 50050,
  InvalidUserChannelsLimit: 50060,
  InvalidChannelMembersLimit: 50061,
  RoleNotFound: 50100,
  ChannelRoleNotFound: 50101,
  PermissionNotFound: 50104,
  InvalidRoleType: 50105,
  NotAuthorized: 50107,
  UserNotFound: 50200,
  UserAlreadyExists: 50201,
  UserUnauthorizedToSetRole: 50205,
  /** Twilio: "Identity should not match user SID pattern" (a path key `US…` is read as a sid). */
  IdentityMatchesUserSid: 50206,
  UserChannelLimitExceeded: 50208,
  UserAlreadyInvited: 50212,
  ChannelNotFound: 50300,
  ChannelUniqueNameExists: 50307,
  UserNotMember: 50400,
  MemberNotFound: 50402,
  ChannelMemberLimitExceeded: 50403,
  MemberAlreadyExists: 50404,
  MessageNotFound: 50500,
  MessageBodyMissing: 50503,
  MessageBodyTooLong: 50504,
  MessageLastUpdatedByTooLong: 50505,
  MessageAuthorTooLong: 50310,
  InviteNotFound: 50601,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The error half of the reply envelope; also the body of every REST error (plus `more_info`). */
export interface ErrorBody {
  code: number;
  message: string;
  status: number;
}

/** A domain error with its Twilio code: thrown anywhere, translated once at each edge. */
export class ParleyError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ParleyError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, status: this.status };
  }

  static fromBody(body: ErrorBody): ParleyError {
    return new ParleyError(body.code, body.message, body.status);
  }
}

export const Errors = {
  missingParameter: (name: string) =>
    new ParleyError(ErrorCode.InvalidParameter, `Missing required parameter ${name} in the post body`, 400),
  invalidParameter: (name: string, why?: string) =>
    new ParleyError(ErrorCode.InvalidParameter, `Invalid parameter: ${name}${why ? ` (${why})` : ''}`, 400),
  authenticate: () => new ParleyError(ErrorCode.Authenticate, 'Authenticate', 401),
  notFound: (path: string) =>
    new ParleyError(ErrorCode.NotFound, `The requested resource ${path} was not found`, 404),
  internal: () => new ParleyError(ErrorCode.InternalError, 'Internal server error', 500),
  unavailable: (what: string) => new ParleyError(ErrorCode.ServiceUnavailable, `${what} is unavailable`, 503),
  tooManyRequests: () => new ParleyError(ErrorCode.TooManyRequests, 'Too many requests', 429),
  conflict: (code: ErrorCode, message: string) => new ParleyError(code, message, 409),
  forbidden: (code: ErrorCode, message: string) => new ParleyError(code, message, 403),
  badRequest: (code: ErrorCode, message: string) => new ParleyError(code, message, 400),
};

export function moreInfoUrl(code: number): string {
  return `https://www.twilio.com/docs/errors/${code}`;
}
