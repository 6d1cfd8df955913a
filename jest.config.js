// Projects so the fast, server-free unit tests can run alone (`npm run test:unit`) while
// integration tests talk to the real Kafka and OpenSearch of the local stack, and the
// secured suite to a STACK_SECURITY=on stack (scripts/test-secured.sh).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.secured\\.test\\.ts$', '/node_modules/'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integrationSetup.ts'],
    },
    {
      // Against a STACK_SECURITY=on stack only (scripts/test-secured.sh): never with the others.
      displayName: 'secured',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/secured/**/*.secured.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integrationSetup.ts'],
    },
  ],
};
