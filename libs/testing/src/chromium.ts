import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (no browser download). CI installs it (`.ci/run`); elsewhere the
 * browser tests say how to get it and are skipped.
 */
export const CHROMIUM = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** `describe` when Chromium is there, `describe.skip` (with a warning) when not; on CI a missing one is an error. */
export function describeInChromium(what: string): jest.Describe {
  if (chromiumAvailable()) return describe;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  console.warn(`Skipping ${what}: no ${CHROMIUM} (apt-get install chromium)`);
  return describe.skip;
}

/**
 * Headless, with the flags it needs as root in a container and none of its own network traffic (updates, sync,
 * QUIC), so a test sees only the requests the page makes.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
