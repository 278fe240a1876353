import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Chromium from Debian (`apt-get install -y chromium`); never downloaded by an install script. */
export const CHROMIUM = process.env.BASCULE_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go (kept by CI as artefacts; ignored by git). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * Whether browser tests can run here. In CI (CI or BASCULE_BROWSER_REQUIRED set) a missing
 * Chromium is a failure, not a skip; elsewhere the suite says loudly that it was skipped.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI !== undefined || process.env.BASCULE_BROWSER_REQUIRED !== undefined)
    throw new Error(`${CHROMIUM} is missing and browser tests are required here: apt-get install -y chromium`);
  process.stderr.write(
    `\n*** BROWSER TESTS SKIPPED (${suite}): no Chromium at ${CHROMIUM}. Install it with ` +
      '`apt-get install -y chromium` to run them; CI always does. ***\n\n',
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules: labels, contrast, roles, keyboard traps...) on the page and
 * returns the serious and critical violations, each with the elements concerned.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  });
  // A run that checked nothing would pass anything: make sure the rules applied to this page.
  if (results.passes.length === 0) throw new Error('axe-core checked no rule on this page');
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

interface AxeResults {
  passes: unknown[];
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}
