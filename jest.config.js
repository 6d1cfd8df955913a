// Two projects so the fast, server-free unit tests can run alone (`npm run test:unit`)
// while integration tests talk to the real Kafka and OpenSearch of the local stack.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/', '<rootDir>/test/secured/'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/secured/'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integrationSetup.ts'],
    },
    {
      // Against a stack started with STACK_SECURITY=on (OPENSEARCH_URL its TLS front).
      displayName: 'secured',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/secured/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integrationSetup.ts'],
    },
  ],
};
