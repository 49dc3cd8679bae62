#!/usr/bin/env node
// `npx local-cloud`. Installed from its package: the compiled JavaScript in dist/. In this repo (its sources beside
// it): the TypeScript sources through tsx, with the repo's path aliases.
const { existsSync } = require('node:fs');
const path = require('node:path');

// The SDK's notice that it will need Node 22 from 2027 would land in every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (existsSync(path.join(__dirname, '../src/cli/main.ts'))) {
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '../tsconfig.json');
  require('tsx/cjs');
  require('../src/cli/main.ts');
} else {
  require('../dist/cli/main.js');
}
