/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { applyTemplate, eligibility, type Localized, PLAN_TEMPLATES, readPlan } from '@bascule/plan-model';
import * as Y from 'yjs';
import { FRAMEWORK_SEEDS, OFFER_SEEDS } from '../../apps/server/src/catalog/catalog.seed.js';
import { ARTIFACTS, browserAvailable, launchChromium } from '../support/browser.js';
import { eventually } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const suite = `the web client in French (${suiteDialect()})`;
const describeBrowser = browserAvailable(suite) ? describe : describe.skip;

/**
 * Everything Bascule itself writes in English, exactly: the English side of every template text,
 * of the built-in catalog, and of the automatic risks and warnings each template's plan gets. None
 * of it may show to a French reader.
 */
function englishProductTexts(): string[] {
  const texts = new Set<string>();
  const add = (text: Localized | null | undefined) => {
    if (text !== null && text !== undefined && text.en !== text.fr) texts.add(text.en);
  };
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.fr === 'string' && typeof record.en === 'string') return add(record as Localized);
    for (const child of Object.values(record)) walk(child);
  };
  walk(PLAN_TEMPLATES);
  walk(OFFER_SEEDS);
  walk(FRAMEWORK_SEEDS);
  // The warnings and automatic risks of each template's plan, as the server writes them in English.
  for (const template of PLAN_TEMPLATES) {
    const doc = new Y.Doc();
    applyTemplate(doc, template, { title: 'x', startDate: '2027-01-04', language: 'en' });
    const seed = OFFER_SEEDS.find((offer) => offer.id === template.targetOfferId);
    const offer =
      seed === undefined
        ? null
        : {
            id: seed.id,
            name: seed.name,
            secNumCloud: seed.secNumCloudStatus,
            expectedQualification: seed.expectedQualification,
            hds: seed.hds,
          };
    for (const warning of eligibility(readPlan(doc), offer, 'en')) {
      texts.add(warning.message);
      if (warning.risk !== null) texts.add(warning.risk.title).add(warning.risk.mitigation);
    }
  }
  return [...texts];
}

/** Common English words that no French text of the product holds (whole words, lower case). */
const ENGLISH_WORDS = /\b(the|and|with|must|before|after|should|needs|overdue|milestones?|risks?)\b/;

describeBrowser(suite, () => {
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let browser: Browser;
  let user: SignedUp;
  const english = englishProductTexts();

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    user = await signUp(server.baseUrl, { displayName: 'Claire Moreau', organizationName: 'CHU de Rivières' });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await environment?.drop();
  });

  /** What the page shows a reader: its text, field values, options and tooltips. */
  const shown = (page: Page) =>
    page.evaluate(() =>
      [
        document.body.innerText,
        ...[...document.querySelectorAll('input, textarea')].map(
          (field) => (field as HTMLInputElement | HTMLTextAreaElement).value,
        ),
        ...[...document.querySelectorAll('[title], [aria-label]')].flatMap((element) => [
          element.getAttribute('title') ?? '',
          element.getAttribute('aria-label') ?? '',
        ]),
        ...[...document.querySelectorAll('.ProseMirror')].map((editor) => editor.textContent ?? ''),
      ].join('\n'),
    );

  /** The product's English found on the page: exact texts, and lines with common English words. */
  const englishOn = async (page: Page, where: string) => {
    const text = await shown(page);
    // A long text anywhere; a short one ("Cutover", "Pilot") only as a whole line or field, since
    // it may stand inside a French word ("Pilote").
    const whole = new Set(text.split('\n').map((line) => line.trim()));
    const found = english.filter((candidate) =>
      candidate.length >= 12 ? text.includes(candidate) : whole.has(candidate),
    );
    const lines = text
      .split('\n')
      .filter((line) => ENGLISH_WORDS.test(line.toLowerCase()))
      // The demo user typed nothing in English; the offers' own names are proper names.
      .filter((line) => !OFFER_SEEDS.some((offer) => line.trim() === offer.name));
    return [...found, ...lines].map((line) => `${where}: ${line.trim().slice(0, 160)}`);
  };

  it('writes in French for a French reader: the dashboard and a plan made from each template', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`[browser] ${error.stack ?? error.message}\n`));
    await page.goto(server.baseUrl);
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Portefeuille' }).waitFor();

    const problems: string[] = [];
    /** What the page shows when a step waits in vain: in the test's failure, next to it. */
    const showing = async () => (await page.locator('body').innerText()).slice(0, 400);
    const dashboard = async () => {
      // Back through the interface, as a person goes, not by reloading the page.
      await page.getByRole('link', { name: 'Portefeuille', exact: true }).first().click();
      await page
        .getByRole('button', { name: 'Nouveau plan' })
        .waitFor({ timeout: 15_000 })
        .catch(async (error: unknown) => {
          throw new Error(`no dashboard at ${page.url()}: ${await showing()}`, { cause: error });
        });
    };
    for (const [index, template] of PLAN_TEMPLATES.entries()) {
      await dashboard();
      await page.getByRole('button', { name: 'Nouveau plan' }).click();
      await page.getByLabel('Titre', { exact: true }).fill(`Plan n° ${index + 1}`);
      // The template picker itself lists the templates in French.
      const option = page.locator(`select[name="template"] option[value="${template.id}"]`);
      expect(await option.innerText()).toBe(template.name.fr);
      await page.locator('select[name="template"]').selectOption(template.id);
      await page.getByRole('button', { name: 'Créer' }).click();
      await page.waitForURL(/\/plans\//);
      for (const tab of ['Jalons', 'Risques', 'Conformité', 'Applications']) {
        await page
          .getByRole('tab', { name: new RegExp(tab) })
          .click({ timeout: 15_000 })
          .catch(async (error: unknown) => {
            throw new Error(`no ${tab} tab at ${page.url()}: ${await showing()}`, { cause: error });
          });
        // The plan's own texts are there (in French), and its automatic risks once projected.
        if (tab === 'Jalons')
          await eventually(async () => expect(await shown(page)).toContain(template.milestones[0]!.title.fr), 10_000);
        if (tab === 'Risques')
          await eventually(async () => expect(await shown(page)).toContain(template.risks[0]!.title.fr), 10_000);
        problems.push(...(await englishOn(page, `${template.id} / ${tab}`)));
      }
    }

    await dashboard();
    await eventually(
      async () => expect(await page.locator('[data-plan-id]').count()).toBe(PLAN_TEMPLATES.length),
      10_000,
    );
    problems.push(...(await englishOn(page, 'dashboard')));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-fr.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
