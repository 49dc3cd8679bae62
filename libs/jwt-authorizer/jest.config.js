module.exports = {
  displayName: 'jwt-authorizer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
