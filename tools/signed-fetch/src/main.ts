import { run } from './cli/run';

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1; // run() reports its own failures; this is a last resort
  },
);
