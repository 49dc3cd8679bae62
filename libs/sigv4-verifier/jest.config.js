module.exports = {
  displayName: 'sigv4-verifier',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
