import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/**
 * Source maps of the bundles, read the first time a stack needs one (`null`: the file has none).
 * `NODE_OPTIONS=--enable-source-maps` would do the same for every stack, but it parses every bundle's map when the
 * bundle loads: 20-40% of a cold start (bench/coldstart.ts). Errors are rare, cold starts are not.
 */
const maps = new Map<string, SourceMap | null>();
const MAX_MAPS = 20;

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  map = null;
  try {
    // esbuild's `sourcemap: linked` writes <bundle>.js.map beside <bundle>.js (serverless-esbuild zips both).
    const mapFile = `${file}.map`;
    if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  } catch {
    map = null; // unreadable or not a source map: the frame stays as it is
  }
  if (maps.size >= MAX_MAPS) maps.clear();
  maps.set(file, map);
  return map;
}

/**
 * `at name (/var/task/handler.js:1:2345)`, `at /var/task/handler.js:1:2345` or `at async /var/task/...`: the file,
 * line and column.
 */
const FRAME = /^(\s*at (?:async )?(?:.*? \()?)(\/[^():]+\.[cm]?js):(\d+):(\d+)(\)?)$/;

/**
 * The stack with each frame in a bundled file that has a source map given as the original file, line and
 * column (`src/handlers/create-order.ts:42:11`), where `--enable-source-maps` would put them. Function names stay
 * as the bundle has them (minified), as there. Frames it cannot map (node's own, files without a map) are left
 * as they are; it never throws (a logger calls it).
 */
export function sourceMappedStack(stack: string): string {
  if (typeof stack !== 'string') return stack;
  try {
    return mapFrames(stack);
  } catch {
    return stack;
  }
}

function mapFrames(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [, before, file, lineText, columnText, after] = frame as unknown as string[];
      const entry = mapOf(file as string)?.findEntry(Number(lineText) - 1, Number(columnText) - 1);
      if (!entry || !('originalSource' in entry) || !entry.originalSource) return line;
      // esbuild names sources relative to its build folder (`../../../src/handlers/x.ts`): shown from the
      // first folder that is not a `..`, which is the path in the repo.
      const source = entry.originalSource.replace(/^file:\/\//, '').replace(/^(?:\.\.?\/)+/, '');
      return `${before}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${after}`;
    })
    .join('\n');
}
