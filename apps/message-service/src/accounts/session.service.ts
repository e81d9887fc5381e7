import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { verifyAccessToken } from '@parley/auth';
import { ErrorCode, isSid, newSid, ParleyError, type CommandInput, type Session } from '@parley/contracts';
import { presentChannel } from '../channels/channel.presenter';
import type { ViewedChannel } from '../channels/channel-views.repository';
import { presentUser } from '../users/user.presenter';
import { newUserRow } from '../users/user-rows';
import { CredentialsService } from './credentials.service';
import { SessionRepository, type SessionServiceRow } from './session.repository';

const presentViewed = (row: ViewedChannel) => presentChannel(row.channel, row.relation);

const invalidGrants = (why: string) => new ParleyError(ErrorCode.InvalidAccessTokenGrants, `Invalid Access Token grants: ${why}`, 401);

/**
 * Opens a realtime session from an Access Token: verifies it with the key it names (the secret never leaves
 * this service), checks its chat grant against the token's own account, and finds or creates the User of the
 * identity, as Twilio does on a first connection. Every refusal is a 401 with the token's Twilio code.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly sessions: SessionRepository,
    @InjectPinoLogger(SessionService.name) private readonly logger: PinoLogger,
  ) {}

  async open({ token, withChannels }: CommandInput<'chat.v1.cmd.session.open'>): Promise<Session> {
    // 20101/20102 header, 20103 unknown key or key of another account than `sub`, 20107 signature,
    // 20104 expired or over 24 h, 20105 not yet valid, 20106 no identity or chat grant.
    const claims = await verifyAccessToken(token, (keySid) => this.credentials.signingKey(keySid));
    // A user sid as identity would make the user addressable as someone else (REST paths take sid OR identity).
    if (isSid(claims.identity, 'US')) throw invalidGrants('identity must not look like a User sid');
    // A Service that does not exist and one of another account (a parent's or a subaccount's included) are the same
    // answer: the grant is not valid for this account, and a token cannot probe which sids exist elsewhere.
    const found = await this.sessions.findServiceAndUser(claims.accountSid, claims.serviceSid, claims.identity);
    if (!found) throw invalidGrants('chat service_sid is not a Service of this account');
    const { service } = found;
    const roleSid = await this.newUserRole(service, claims.deploymentRoleSid);
    const user =
      found.user ??
      (await this.sessions.createUser(
        newUserRow({ sid: newSid('US'), accountSid: claims.accountSid, serviceSid: service.sid, identity: claims.identity, roleSid, now: new Date() }),
      ));
    // What a connecting socket needs for its rooms and its `session` event (as session.channels answers it).
    const channels = withChannels === true ? await this.sessions.channels(user) : null;
    this.logger.debug({ serviceSid: service.sid, userSid: user.sid, keySid: claims.keySid }, 'session opened');
    return {
      accountSid: claims.accountSid,
      serviceSid: service.sid,
      identity: user.identity,
      userSid: user.sid,
      // The grant's role overrides the stored one for this session (it is also what a new User was given).
      roleSid: claims.deploymentRoleSid === undefined ? user.roleSid : roleSid,
      expiresAt: claims.expiresAt,
      reachabilityEnabled: service.reachabilityEnabled,
      // Reachability is presence-service's: unknown here, as on a User list.
      user: presentUser(user),
      ...(channels && { channels: channels.joined.map(presentViewed), invited: channels.invited.map(presentViewed) }),
    };
  }

  /** A new User gets the grant's `deployment_role_sid` when it names a service role of this Service, else the default. */
  private async newUserRole(service: SessionServiceRow, deploymentRoleSid: string | undefined): Promise<string | null> {
    if (deploymentRoleSid === undefined) return service.defaultServiceRoleSid;
    const role = isSid(deploymentRoleSid, 'RL') ? await this.sessions.findDeploymentRole(service.accountSid, service.sid, deploymentRoleSid) : null;
    if (!role) throw invalidGrants('deployment_role_sid is not a service role of this Service');
    return role.sid;
  }
}
