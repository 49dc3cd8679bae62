import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { sourceMappedStack } from './source-mapped-stack';

// A real minified bundle with a linked source map, built by esbuild as serverless-esbuild builds the services
// (infra/serverless/esbuild.yml): its stack, read without --enable-source-maps, points at the original source.
describe('sourceMappedStack', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stack-'));
    writeFileSync(
      path.join(dir, 'thrower.ts'),
      [
        'export function explode(reason: string): never {',
        '  const message = `boom: ${reason}`;',
        '  throw new Error(message);',
        '}',
        '',
      ].join('\n'),
    );
    for (const [outfile, sourcemap] of [
      ['with-map/bundle.js', 'linked'],
      ['without-map/bundle.js', false],
    ] as const)
      buildSync({
        entryPoints: [path.join(dir, 'thrower.ts')],
        outfile: path.join(dir, outfile),
        bundle: true,
        minify: true,
        sourcemap,
        platform: 'node',
        format: 'cjs',
      });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The stack as a plain node process (a Lambda runtime) writes it: jest would map it itself.
  const stackOf = (bundle: string): string =>
    execFileSync(
      process.execPath,
      [
        '-e',
        `try { require(${JSON.stringify(path.join(dir, bundle))}).explode('test') } catch (e) { process.stdout.write(e.stack) }`,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );

  it("gives a bundle's frames as the original file, line and column", () => {
    // Act
    const raw = stackOf('with-map/bundle.js');
    const mapped = sourceMappedStack(raw);

    // Assess
    expect(raw).toMatch(/with-map\/bundle\.js:1:\d+\)?\n/);
    expect(mapped.split('\n')[1]).toMatch(/^\s+at .*thrower\.ts:3:9\)?$/);
    expect(mapped.split('\n')[0]).toBe('Error: boom: test');
  });

  it('leaves frames without a source map, and node’s own, as they are', () => {
    // Act
    const raw = stackOf('without-map/bundle.js');

    // Assess
    expect(sourceMappedStack(raw)).toBe(raw);
  });

  it('maps an async frame too', () => {
    // Prepare: the frame V8 writes for an awaited call, `at async <file>:<line>:<column>`.
    const raw = stackOf('with-map/bundle.js');
    const frame = (/\((\/[^()]+with-map\/bundle\.js:\d+:\d+)\)/.exec(raw) as RegExpExecArray)[1] as string;

    // Act
    const mapped = sourceMappedStack(`Error: x\n    at async ${frame}`);

    // Assess
    expect(mapped).toMatch(/^Error: x\n {4}at async .*thrower\.ts:3:9$/);
  });
});
