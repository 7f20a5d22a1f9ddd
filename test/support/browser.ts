import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/setup installs it); Playwright's own download cannot work offline. */
const EXECUTABLE = '/usr/bin/chromium';

/**
 * Headless Chromium as the tests drive it (Playwright gives it a throwaway profile), with the
 * flags that keep it from reaching the network on its own: this machine's network is closed.
 */
export function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: EXECUTABLE,
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
