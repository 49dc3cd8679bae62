#!/usr/bin/env node
// `npx signed-fetch`: runs the TypeScript sources through tsx, with the repo's path aliases.
const path = require('node:path');

process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '../tsconfig.json');
// The SDK's notice that it will need Node 22 from 2027 would land in every command's stderr (and in -v).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../src/main.ts');
