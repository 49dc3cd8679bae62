module.exports = {
  displayName: 'signed-fetch-cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
