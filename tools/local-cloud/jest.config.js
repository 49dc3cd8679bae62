module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Jest's default on 2 cores is one worker, and this suite is the longest of `npm test` (its slowest files wait on
  // npm, serverless packaging and function processes more than they compute): two workers take it from ~190 to
  // ~110 s alone.
  maxWorkers: 2,
};
