module.exports = {
  displayName: 'signed-fetch',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
