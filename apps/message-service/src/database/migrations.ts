import { InitialSchema1764000000000 } from './migrations/1764000000000-InitialSchema';
import { InvitesByIdentity1765000000000 } from './migrations/1765000000000-InvitesByIdentity';
import { ChannelSendAllowance1766000000000 } from './migrations/1766000000000-ChannelSendAllowance';

/** In order; listed explicitly (no globs): the app is compiled file by file with swc. */
export const MIGRATIONS = [InitialSchema1764000000000, InvitesByIdentity1765000000000, ChannelSendAllowance1766000000000];
