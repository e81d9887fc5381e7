// Entry of the workspace package `@parley/client`: the SDK compiled by `npm run build`.
// Resolved from this file's real location, so it works through the node_modules symlink.
module.exports = require('../../dist/libs/client/index.js');
