import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FULL, QUICK } from './measure';
import { benchSign } from './sign';

/**
 * `npm run bench [-- --quick]`: measures, prints a table, writes bench/results/latest.json.
 * Medians of several rounds; compare ratios, not absolute times, across machines.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const options = quick ? QUICK : FULL;
  const started = Date.now();
  console.log(
    `Benchmarks (${quick ? 'quick' : 'full'}: ${options.rounds} rounds x ${options.roundMs} ms, medians)`,
  );

  console.log('- signing a 1 KB JSON POST...');
  const sign = await benchSign(options);
  console.table(
    Object.fromEntries(
      Object.entries(sign).map(([name, us]) => [
        name,
        { 'µs/request': Number(us.toFixed(1)), 'x ours': Number((us / sign.ours_us).toFixed(2)) },
      ]),
    ),
  );

  const results = {
    sign,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
    },
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
  };
  const file = path.join(__dirname, 'results', 'latest.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `Wrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
