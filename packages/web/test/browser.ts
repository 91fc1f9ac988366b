import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's chromium, or the one CI names. */
export const CHROMIUM = process.env.VALUECAST_CHROMIUM ?? "/usr/bin/chromium";

/** Why browser tests cannot run here (null when they can). Under CI=true a missing browser is a failure, not a skip. */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI === "true") throw new Error(`chromium not found at ${CHROMIUM} (CI must install it)`);
  return `chromium not found at ${CHROMIUM}: apt-get install -y chromium to run the browser tests`;
}

/** Launches headless chromium with a fresh profile (--user-data-dir = a new temp dir); `close` also removes it. */
export async function launch(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "valuecast-chromium-"));
  // a fresh profile per run: playwright takes it as the persistent context's user-data dir
  const browser = await chromium.launchPersistentContext(dir, {
    headless: true,
    viewport: { width: 1280, height: 900 },
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
