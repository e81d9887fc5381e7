import { InitialSchema1764000000000 } from './migrations/1764000000000-InitialSchema';

/** In order; listed explicitly (no globs): the app is compiled file by file with swc. */
export const MIGRATIONS = [InitialSchema1764000000000];
