module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
