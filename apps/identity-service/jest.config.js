module.exports = {
  displayName: 'identity-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
