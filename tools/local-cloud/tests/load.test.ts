import { LOCAL_IDENTITIES_FILE, seededUserKeys } from '../src/identity';
import { LocalCloud } from '../src/local-cloud';
import { runLoadTest } from '../src/testing/load-test';

const IDENTITIES = LOCAL_IDENTITIES_FILE;

// The reduced run of `npm run load` (which does 5,000 requests and also checks the heap after warm-up).
describe('load with tampered requests mixed in (reduced run of npm run load)', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, identitiesFile: IDENTITIES });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('accepts every good signed request and refuses every tampered one at concurrency 32, and stays healthy', async () => {
    // Act
    const summary = await runLoadTest(cloud, {
      requests: 600,
      tampered: 60,
      concurrency: 32,
      credentials: seededUserKeys('developer'),
    });

    // Assess
    expect(summary).toMatchObject({ unexpected: [], accepted: 540, refused: 60, healthyAfter: true });
  }, 60_000);
});
