#!/usr/bin/env node
// `npx local-cloud`: runs the TypeScript sources through tsx, with the repo's path aliases.
const path = require('node:path');

process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '../tsconfig.json');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../src/cli/main.ts');
