module.exports = {
  displayName: 'customer-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
