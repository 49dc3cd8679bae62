// Shared jest preset: TypeScript through SWC (fast on 2 cores), path aliases from tsconfig.base.json.
const path = require('node:path');

// The AWS SDK prints a 9-line NodeVersionSupportWarning once per test file on Node 20 (it wants 22 from 2027): known
// noise here, where Node 20 is supported (package.json engines). Jest's workers inherit this.
if (Number(process.versions.node.split('.')[0]) < 22)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/.]/g, '\\$&')}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.serverless/', '/dist/'],
};
