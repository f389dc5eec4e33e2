const path = require('node:path');
const moduleNameMapper = {
  '^@cp/(contracts|event-store|query|bus|testing|config|crypto|client)$': '<rootDir>/libs/$1/src',
  '^@cp/(domain|read-models)/(.*)$': '<rootDir>/libs/$1/$2',
};
const transform = {
  '^.+\\.ts$': ['@swc/jest', {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  }],
};
const project = (displayName, testMatch, extra = {}) => ({
  displayName, testMatch, transform, moduleNameMapper, rootDir: __dirname,
  testEnvironment: 'node', ...extra,
});
module.exports = {
  projects: [
    project('unit', ['<rootDir>/{apps,libs,scripts}/**/*.unit.spec.ts']),
    project('int', ['<rootDir>/{apps,libs}/**/*.int.spec.ts']),
    project('e2e', ['<rootDir>/{apps,libs,test}/**/*.e2e.spec.ts']),
  ],
  testTimeout: 60000,
};
