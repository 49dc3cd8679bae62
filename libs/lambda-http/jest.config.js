module.exports = {
  displayName: 'lambda-http',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
