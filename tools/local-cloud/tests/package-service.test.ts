import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageService, removeIsolatedBuilds, type PackagedService } from '../src/cli/package-service';

// serverless-esbuild zips each function from a folder it makes in the temp dir, then fails to remove it (its remove
// is not recursive): a newcomer found one `<function>-<pid>-...` folder (~1.5 MB) per function after every package.
describe('packageService', () => {
  it('packages a service and leaves nothing in the temp dir', async () => {
    // Arrange: a temp dir of this test's own, so what packaging leaves there is seen.
    const temp = mkdtempSync(path.join(tmpdir(), 'package-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    let packaged: PackagedService;
    try {
      // Act
      packaged = await packageService(path.resolve(__dirname, '../../../apps/customer-service'), {
        isolated: true,
      });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    const left = readdirSync(temp);
    const artifacts = readdirSync(packaged.artifactsDir);
    rmSync(temp, { recursive: true, force: true });
    removeIsolatedBuilds();

    // Assess
    expect(packaged.stackName).toBe('customer-service-local');
    expect(artifacts).toEqual(
      expect.arrayContaining(['cloudformation-template-update-stack.json', 'getCustomer.zip']),
    );
    expect(left).toEqual([]);
  }, 120_000);
});
