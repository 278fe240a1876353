/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, browserAvailable, launchChromium } from '../support/browser.js';
import { eventually } from '../support/collab.js';
import { tempDir } from '../support/config.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, graphqlAs, type SignedUp, signUp, graphqlUsers } from '../support/identity.js';
import { freePort } from '../support/http.js';
import { startOpenIdProvider } from '../support/oidc-provider.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const suite = `the web client in Chromium (${suiteDialect()})`;
const describeBrowser = browserAvailable(suite) ? describe : describe.skip;

/** Within 2 seconds, as the issue asks of a co-edit reaching the other browser. */
const LIVE_MS = 2_000;

describeBrowser(suite, () => {
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let browser: Browser;
  let owner: SignedUp;
  let editor: SignedUp;
  let viewer: SignedUp;
  let planId: string;
  let milestoneId: string;
  let riskId: string;
  const contexts: BrowserContext[] = [];

  const { must } = graphqlUsers(() => server.baseUrl);
  const query = <T>(text: string, variables?: Record<string, unknown>) => must<T>(owner, text, variables);

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl, { displayName: 'Alice Owner' });
    editor = await addMember(server.baseUrl, owner.tokens.accessToken);
    viewer = await addMember(server.baseUrl, owner.tokens.accessToken);
    const created = await query<{ createPlan: { id: string } }>(
      'mutation { createPlan(input: { title: "Messagerie vers Bleu", defaultMemberRole: null, startDate: "2027-01-04" }) { id } }',
    );
    planId = created.createPlan.id;
    for (const [user, role] of [
      [editor, 'EDITOR'],
      [viewer, 'VIEWER'],
    ] as const)
      await query(
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        {
          p: planId,
          u: user.userId,
          r: role,
        },
      );
    milestoneId = (
      await query<{ createMilestone: { id: string } }>(
        'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Pilote", startDate: "2027-02-01", dueDate: "2027-03-01" }) { id } }',
        { p: planId },
      )
    ).createMilestone.id;
    await query(
      'mutation($p: ID!, $m: [ID!]) { createCheckpoint(planId: $p, input: { title: "Réversibilité documentée", framework: "SECNUMCLOUD_3_2", milestoneIds: $m }) { id } }',
      { p: planId, m: [milestoneId] },
    );
    riskId = (
      await query<{ createRisk: { id: string } }>(
        'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Fonction manquante", likelihood: 2, impact: 4 }) { id } }',
        { p: planId },
      )
    ).createRisk.id;
    // A second risk in another cell of the heat map, so that filtering by a cell leaves something out.
    await query(
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "Agents non formés", likelihood: 1, impact: 1 }) { id } }',
      { p: planId },
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await environment?.drop();
  });

  /** A fresh browser profile signed in through the sign-in form. */
  async function signedIn(
    user: SignedUp,
    locale = 'en-US',
    viewport = { width: 1280, height: 900 },
    prepare: (context: BrowserContext) => Promise<void> = async () => undefined,
  ): Promise<Page> {
    const context = await browser.newContext({ locale, viewport });
    contexts.push(context);
    await prepare(context);
    const page = await context.newPage();
    // What went wrong in the page, next to the test's own failure.
    page.on('console', (message) => {
      if (message.type() === 'error') process.stderr.write(`[browser ${user.email}] ${message.text()}\n`);
    });
    page.on('pageerror', (error) => process.stderr.write(`[browser ${user.email}] ${error.stack ?? error.message}\n`));
    await page.goto(server.baseUrl);
    await page.getByLabel(locale.startsWith('fr') ? 'Adresse e-mail' : 'Email').fill(user.email);
    await page.getByLabel(locale.startsWith('fr') ? 'Mot de passe' : 'Password').fill(user.password);
    await page.getByRole('button', { name: locale.startsWith('fr') ? 'Se connecter' : 'Sign in' }).click();
    await page.getByTestId('viewer').waitFor();
    return page;
  }

  async function openPlan(page: Page): Promise<void> {
    await page.goto(`${server.baseUrl}/plans/${planId}`);
    await page.getByTestId('milestone-row').first().waitFor();
    await expectSaved(page);
  }

  const milestoneTitles = (page: Page) =>
    page
      .locator('tr[data-milestone-id] input[aria-label="Title"]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const milestoneTitle = (page: Page) =>
    page.locator(`tr[data-milestone-id="${milestoneId}"] input[aria-label="Title"]`);
  /** The save indicator reaches "Saved": connected, and every local change acknowledged as durable. */
  const expectSaved = (page: Page) =>
    eventually(
      async () => expect(await page.getByTestId('save-indicator').getAttribute('data-state')).toBe('online:saved'),
      10_000,
    );

  it('two editors see each other’s edits live: a milestone title, a risk score, a note', async () => {
    const alice = await signedIn(owner);
    const bob = await signedIn(editor);
    await openPlan(alice);
    await openPlan(bob);
    await bob.getByTestId('peer').first().waitFor();

    await milestoneTitle(alice).fill('Pilote (50 boîtes)');
    // Bob sees what Alice is editing: the entry, by its title.
    await eventually(
      async () =>
        expect(await bob.getByTestId('peer-where').first().innerText()).toMatch(/editing milestones: “Pilote/),
      LIVE_MS,
    );
    await milestoneTitle(alice).press('Enter');
    await eventually(async () => expect(await milestoneTitle(bob).inputValue()).toBe('Pilote (50 boîtes)'), LIVE_MS);

    await alice.getByRole('tab', { name: /Risks/ }).click();
    await bob.getByRole('tab', { name: /Risks/ }).click();
    await bob.locator(`li[data-risk-id="${riskId}"] select[aria-label="Likelihood"]`).selectOption('5');
    await eventually(
      async () =>
        expect(await alice.locator(`li[data-risk-id="${riskId}"] [data-testid="risk-score"]`).innerText()).toBe('20'),
      LIVE_MS,
    );
    expect(await alice.getByTestId('risk-row').count()).toBe(2);
    await alice.getByTestId('heat-5-4').click();
    await eventually(async () => expect(await alice.getByTestId('risk-row').count()).toBe(1), LIVE_MS);
    expect(await alice.getByTestId('risk-row').getAttribute('data-risk-id')).toBe(riskId);

    await alice.getByRole('tab', { name: /Notes/ }).click();
    await bob.getByRole('tab', { name: /Notes/ }).click();
    const aliceNotes = alice.getByTestId('notes-editor');
    await aliceNotes.click();
    await alice.keyboard.type('Fenêtre de bascule : le week-end du 15 mars.');
    await eventually(
      async () =>
        expect(await bob.getByTestId('notes-editor').innerText()).toContain(
          'Fenêtre de bascule : le week-end du 15 mars.',
        ),
      LIVE_MS,
    );
    // Alice's caret, with her name, sits in Bob's copy of the paragraph.
    await eventually(
      async () =>
        expect(
          await bob.locator('[data-testid="notes-editor"] .collaboration-carets__label').allInnerTexts(),
        ).toContain('Alice Owner'),
      LIVE_MS,
    );
    await expectSaved(alice);
    await alice.getByRole('tab', { name: /Milestones/ }).click();
    await alice.screenshot({ path: join(ARTIFACTS, 'editor.png'), fullPage: true });
    expect(await accessibilityViolations(alice)).toEqual([]);

    // The server has it all, durably: GraphQL reads the projection of the same document.
    const plan = await query<{
      plan: { milestones: { edges: { node: { title: string } }[] }; risks: { edges: { node: { score: number } }[] } };
    }>(
      'query($id: ID!) { plan(id: $id) { milestones { edges { node { title } } } risks { edges { node { score } } } } }',
      { id: planId },
    );
    expect(plan.plan.milestones.edges[0]?.node.title).toBe('Pilote (50 boîtes)');
    expect(plan.plan.risks.edges.map((edge) => edge.node.score)).toContain(20);
  }, 90_000);

  it('a viewer sees the plan without editing controls, and cannot change it', async () => {
    const page = await signedIn(viewer);
    await openPlan(page);
    await eventually(
      async () => expect(await page.getByTestId('plan-editor').getAttribute('data-read-only')).toBe('true'),
      LIVE_MS,
    );
    expect(await page.getByRole('button', { name: 'Add a milestone' }).count()).toBe(0);
    const before = await milestoneTitle(page).inputValue();
    await milestoneTitle(page).click();
    await page.keyboard.type(' changed by a viewer');
    await page.keyboard.press('Enter');
    expect(await milestoneTitle(page).inputValue()).toBe(before);
    const plan = await query<{ plan: { milestones: { edges: { node: { title: string } }[] } } }>(
      'query($id: ID!) { plan(id: $id) { milestones { edges { node { title } } } } }',
      { id: planId },
    );
    expect(plan.plan.milestones.edges[0]?.node.title).toBe(before);
  }, 60_000);

  it('an editor offline keeps editing, keeps it through a reload, and converges when back', async () => {
    // Bob's collab sockets can be held short of the server (routed from the start, so that each one is).
    const held: WebSocketRoute[] = [];
    let holding = false;
    const alice = await signedIn(owner);
    const bob = await signedIn(editor, 'en-US', undefined, (context) =>
      context.routeWebSocket(/\/collab\//, (socket) => {
        if (holding) held.push(socket);
        else socket.connectToServer();
      }),
    );
    await openPlan(alice);
    await openPlan(bob);
    await bob.context().setOffline(true);
    await bob.waitForSelector('[data-testid="save-indicator"][data-state^="offline"]');
    await milestoneTitle(bob).fill('Pilote décidé hors ligne');
    await milestoneTitle(bob).press('Enter');
    await bob.waitForSelector('[data-testid="save-indicator"][data-state="offline:unsaved-offline"]');
    // Meanwhile the team goes on: a milestone added through the API reaches Alice, not Bob.
    await query(
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Ajouté pendant l’absence" }) { id } }',
      {
        p: planId,
      },
    );
    await eventually(async () => expect(await milestoneTitles(alice)).toContain('Ajouté pendant l’absence'), LIVE_MS);
    expect(await milestoneTitle(alice).inputValue()).not.toBe('Pilote décidé hors ligne');

    // Bob reloads before his socket gets through (it is held): the edit comes back from this device,
    // and the indicator knows it is not saved yet, although this page never made it.
    holding = true;
    await bob.context().setOffline(false);
    await bob.reload();
    await eventually(async () => expect(await milestoneTitle(bob).inputValue()).toBe('Pilote décidé hors ligne'));
    await bob.waitForTimeout(500);
    expect(held.length).toBeGreaterThan(0);
    expect(await bob.getByTestId('save-indicator').getAttribute('data-state')).not.toMatch(/saved$/);
    expect(await milestoneTitle(alice).inputValue()).not.toBe('Pilote décidé hors ligne');

    holding = false;
    for (const socket of held) await socket.close();
    await eventually(
      async () => expect(await milestoneTitle(alice).inputValue()).toBe('Pilote décidé hors ligne'),
      10_000,
    );
    await eventually(async () => expect(await milestoneTitles(bob)).toContain('Ajouté pendant l’absence'), LIVE_MS);
    await expectSaved(bob);
  }, 60_000);

  it('moves a milestone on the timeline by dragging and by keyboard; only approvers may approve', async () => {
    const alice = await signedIn(owner);
    const bob = await signedIn(editor);
    await openPlan(alice);
    await openPlan(bob);
    const dueDate = async () =>
      (
        await query<{ plan: { milestones: { edges: { node: { startDate: string; dueDate: string } }[] } } }>(
          'query($id: ID!) { plan(id: $id) { milestones { edges { node { startDate dueDate } } } } }',
          { id: planId },
        )
      ).plan.milestones.edges[0]?.node;
    const before = await dueDate();
    await bob.getByRole('button', { name: 'Timeline' }).click();
    const bar = bob.locator(`g[data-milestone-id="${milestoneId}"]`);
    // Alone on the timeline, it is the critical path.
    expect(await bar.getAttribute('class')).toContain('critical');
    await bar.focus();
    await bob.keyboard.press('ArrowRight');
    await bob.keyboard.press('Shift+ArrowRight');
    await eventually(async () => {
      const after = await dueDate();
      expect(after?.startDate).not.toBe(before?.startDate);
      expect(after?.dueDate).not.toBe(before?.dueDate);
    }, 5_000);
    const afterKeys = await dueDate();
    // Drag the bar a week to the right.
    const box = await bar.boundingBox();
    expect(box).not.toBeNull();
    // The timeline is drawn at one pixel per unit: a day is `data-day-width` pixels.
    const dayWidth = Number(await bob.locator('svg.gantt').getAttribute('data-day-width'));
    const x = (box?.x ?? 0) + (box?.width ?? 0) / 2;
    const y = (box?.y ?? 0) + (box?.height ?? 0) / 2;
    await bob.mouse.move(x, y);
    await bob.mouse.down();
    await bob.mouse.move(x + dayWidth * 7, y, { steps: 5 });
    // While dragging, the preview says what else would move (nothing depends on this milestone).
    expect(await bob.getByTestId('slip-preview').innerText()).toBe('Nothing else moves.');
    await bob.mouse.up();
    await eventually(async () => expect((await dueDate())?.dueDate).not.toBe(afterKeys?.dueDate), 5_000);

    // The milestone is gated by a checkpoint not yet passed: closing it is explained, and not written.
    await bob.getByRole('button', { name: 'Table' }).click();
    const row = bob.locator(`tr[data-milestone-id="${milestoneId}"]`);
    await row.getByLabel('Status').selectOption('DONE');
    await expect(bob.getByTestId('edit-problem').innerText()).resolves.toContain('Réversibilité documentée');
    expect(await row.getByLabel('Status').inputValue()).toBe('NOT_STARTED');
    const status = await query<{ plan: { milestones: { edges: { node: { status: string } }[] } } }>(
      'query($id: ID!) { plan(id: $id) { milestones { edges { node { status } } } } }',
      { id: planId },
    );
    expect(status.plan.milestones.edges[0]?.node.status).toBe('NOT_STARTED');

    // An editor is offered no approval; the owner is.
    for (const page of [alice, bob]) await page.getByRole('tab', { name: /Compliance/ }).click();
    await alice.getByTestId('checkpoint-row').first().waitFor();
    expect(await bob.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await alice.getByRole('button', { name: 'Approve' }).click();
    await eventually(
      async () =>
        expect(await bob.getByTestId('checkpoint-row').first().innerText()).toContain('Approved by Alice Owner'),
      LIVE_MS,
    );
  }, 60_000);

  it('suggests migration waves from the workload dependencies and applies them in one change', async () => {
    const create = async (name: string, dependsOn: string[] = []) =>
      (
        await query<{ createWorkload: { id: string } }>(
          'mutation($p: ID!, $i: WorkloadInput!) { createWorkload(planId: $p, input: $i) { id } }',
          { p: planId, i: { name, dependsOn } },
        )
      ).createWorkload.id;
    const directory = await create('Annuaire');
    await create('Messagerie', [directory]);
    const page = await signedIn(owner);
    await openPlan(page);
    await page.getByRole('tab', { name: /Workloads/ }).click();
    const waves = page.getByTestId('suggested-waves');
    await expect(waves.innerText()).resolves.toMatch(/Wave 1 Annuaire\s+Wave 2 Messagerie/);
    await waves.getByRole('button', { name: 'Use these waves' }).click();
    await eventually(async () => {
      const rows = await query<{ plan: { workloads: { edges: { node: { name: string; wave: number } }[] } } }>(
        'query($id: ID!) { plan(id: $id) { workloads { edges { node { name wave } } } } }',
        { id: planId },
      );
      expect(rows.plan.workloads.edges.map((edge) => edge.node)).toEqual([
        { name: 'Annuaire', wave: 1 },
        { name: 'Messagerie', wave: 2 },
      ]);
    }, LIVE_MS);
    expect(await waves.getByRole('button', { name: 'Use these waves' }).count()).toBe(0);

    // An inventory file: previewed row by row, then imported in one change.
    const importer = page.getByTestId('inventory-import');
    await importer.locator('input[type=file]').setInputFiles({
      name: 'inventaire.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Nom;Criticité;Dépendances;Données;Cible\nIntranet;élevée;Annuaire;santé;bleu\nPaie;urgente;;;\n',
      ),
    });
    await importer.getByTestId('import-preview').waitFor();
    expect(await importer.getByTestId('import-preview').innerText()).toContain(
      '1 to create, 0 to update, 1 with errors (left out).',
    );
    expect(await importer.innerText()).toContain('Line 3 (Paie): criticality "urgente" is not one of');
    // The progress bar shows while the file goes up and the server applies it.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { progressSeen: seen });
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=import-progress]');
        if (bar !== null) seen.push(bar.getAttribute('value') ?? 'working');
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await importer.getByRole('button', { name: 'Import 1 rows' }).click();
    await eventually(
      async () =>
        expect(await importer.getByRole('status').innerText()).toBe('Imported: 1 created, 0 updated, 1 left out.'),
      LIVE_MS,
    );
    expect(
      await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen.length),
    ).toBeGreaterThan(0);
    await eventually(async () => expect(await page.getByTestId('workload-row').count()).toBe(3), LIVE_MS);
    // Health data sent to an offer without HDS certification is flagged, workload by workload.
    expect(await page.getByTestId('inventory-eligibility').innerText()).toMatch(
      /Intranet Health data needs an HDS-certified offer/,
    );
    // Two workloads wait on the directory: one wave after it, or two when a wave holds one workload.
    await eventually(
      async () =>
        expect(await waves.innerText()).toMatch(/Wave 1 Annuaire\s+Wave 2 (Messagerie, Intranet|Intranet, Messagerie)/),
      LIVE_MS,
    );
    await page.getByTestId('wave-capacity').fill('1');
    await eventually(
      async () => expect(await waves.innerText()).toMatch(/Wave 1 Annuaire\s+Wave 2 \S+\s+Wave 3 \S+/),
      LIVE_MS,
    );
  }, 60_000);

  it('keeps the history: baselines compared with now and with each other, the audit trail filtered and exported', async () => {
    const page = await signedIn(owner);
    await openPlan(page);
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByLabel('Name of this version').fill('Comité de pilotage');
    await page.getByRole('button', { name: 'Save a baseline' }).click();
    const baseline = page.getByTestId('baseline').filter({ hasText: 'Comité de pilotage' });
    await baseline.waitFor();
    await query('mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { owner: "DSI" }) { id } }', {
      p: planId,
      m: milestoneId,
    });
    await baseline.getByRole('button', { name: 'Compare' }).click();
    await eventually(
      async () => expect(await page.getByTestId('comparison').innerText()).toMatch(/· Pilote[^:]*: owner — → DSI/),
      LIVE_MS,
    );
    // Two baselines compared with each other: the committee's, and one saved after the change.
    await page.getByLabel('Name of this version').fill('Après le comité');
    await page.getByRole('button', { name: 'Save a baseline' }).click();
    await page.getByTestId('baseline').filter({ hasText: 'Après le comité' }).waitFor();
    await page.getByLabel('Compare with').selectOption({ label: 'Après le comité' });
    await baseline.getByRole('button', { name: 'Compare' }).click();
    await eventually(async () => {
      const comparison = await page.getByTestId('comparison').innerText();
      expect(comparison).toContain('From “Comité de pilotage” to “Après le comité”');
      expect(comparison).toMatch(/· Pilote[^:]*: owner — → DSI/);
    }, LIVE_MS);
    // The trail names the authenticated author of the change just made (it follows the plan's changes).
    const trail = page.getByTestId('audit-trail');
    await eventually(
      async () => expect(await trail.innerText()).toMatch(/Alice Owner\s+changed · Milestones · owner/),
      LIVE_MS,
    );
    // Filtered to creations only, the owner change goes; exported, the whole trail comes as CSV.
    await page.getByTestId('trail-action').selectOption('created');
    await eventually(async () => {
      const shown = await trail.innerText();
      expect(shown).not.toMatch(/changed · Milestones · owner/);
      expect(shown).toMatch(/created · Milestones/);
    }, LIVE_MS);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export the trail (CSV)' }).click(),
    ]);
    const exported = readFileSync((await csv.path()) as string, 'utf8');
    expect(exported.split('\n')[0]).toMatch(/^seq,occurred_at,plan_id,actor_kind/);
    expect(exported).toContain(',updated,milestones,');
    expect(await page.getByRole('button', { name: 'Restore' }).count()).toBeGreaterThan(0);
    // The status report downloads with the session's own token.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Status report (Markdown)' }).click(),
    ]);
    const report = readFileSync((await download.path()) as string, 'utf8');
    expect(report).toMatch(/^# Messagerie vers Bleu\n/);
    await page.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
  }, 60_000);

  it('lets an owner create an API token, shown once, and invite someone', async () => {
    const page = await signedIn(owner);
    await page.getByRole('link', { name: 'Organization' }).click();
    await page.getByTestId('members').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('CMDB sync');
    await page.getByRole('button', { name: 'Create a token' }).click();
    const secret = await page.getByTestId('token-secret').innerText();
    const viaToken = await graphqlAs<{ me: { viaApiToken: boolean } }>(
      server.baseUrl,
      secret,
      '{ me { viaApiToken } }',
    );
    expect(viaToken.data?.me.viaApiToken).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    expect(await page.getByTestId('api-tokens').innerText()).toContain('CMDB sync');

    await page.getByLabel('Email', { exact: true }).fill('nouvelle.recrue@example.test');
    await page.getByRole('button', { name: 'Create the invitation' }).click();
    expect(await page.getByTestId('invite-link').innerText()).toMatch(/\/invitations\/accept#token=/);

    // A webhook endpoint: its signing secret shown once, the endpoint listed with its events.
    await page.getByLabel('Address').fill('https://itsm.example.test/bascule');
    await page.getByLabel('checkpoint approved').uncheck();
    await page.getByRole('button', { name: 'Add the endpoint' }).click();
    expect(await page.getByTestId('webhook-secret').innerText()).toMatch(/^whsec_/);
    await eventually(
      async () =>
        expect(await page.getByTestId('webhook-endpoints').innerText()).toContain(
          'plan.changed, milestone.slipped, risk.critical',
        ),
      LIVE_MS,
    );
    // Members and roles: the editor's organization role changed from the table.
    const nameOf = (user: SignedUp) => `Test ${user.email.split('@')[0]}`;
    const orgRoleOf = async (user: SignedUp) =>
      (
        await query<{ members: { role: string; user: { id: string } }[] }>('{ members { role user { id } } }')
      ).members.find((member) => member.user.id === user.userId)?.role;
    await page.getByRole('combobox', { name: `Role of ${nameOf(editor)}`, exact: true }).selectOption('ADMIN');
    await eventually(async () => expect(await orgRoleOf(editor)).toBe('ADMIN'), LIVE_MS);
    await page.getByRole('combobox', { name: `Role of ${nameOf(editor)}`, exact: true }).selectOption('MEMBER');
    await eventually(async () => expect(await orgRoleOf(editor)).toBe('MEMBER'), LIVE_MS);

    // Plan sharing: the viewer made an approver of the plan, then a viewer again.
    const planRoleOf = async (user: SignedUp) =>
      (
        await query<{ plan: { members: { role: string; user: { id: string } }[] } }>(
          'query($id: ID!) { plan(id: $id) { members { role user { id } } } }',
          { id: planId },
        )
      ).plan.members.find((member) => member.user.id === user.userId)?.role;
    const sharing = page.getByTestId('sharing-plan').filter({ hasText: 'Messagerie vers Bleu' });
    await sharing.locator('summary').click();
    const viewerRole = sharing.getByRole('combobox', { name: `Role of ${nameOf(viewer)} on this plan` });
    await viewerRole.selectOption('APPROVER');
    await eventually(async () => expect(await planRoleOf(viewer)).toBe('APPROVER'), LIVE_MS);
    await viewerRole.selectOption('VIEWER');
    await eventually(async () => expect(await planRoleOf(viewer)).toBe('VIEWER'), LIVE_MS);

    await page.screenshot({ path: join(ARTIFACTS, 'admin.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('at tablet width: charts, search and filters, a refreshed session, French, and signing out', async () => {
    await query(
      'mutation { createPlan(input: { title: "Portail patients vers Kubernetes", defaultMemberRole: null }) { id } }',
    );
    const page = await signedIn(owner, 'en-US', { width: 768, height: 1024 });
    const horizontalOverflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

    // The manager's pictures: each chart is an image with a description of its figures.
    for (const chart of ['Plans by RAG status', 'Plans by status', 'Compliance readiness by framework'])
      await page.getByRole('img', { name: new RegExp(`^${chart}: `) }).waitFor();
    await page.getByRole('heading', { name: 'Milestones due per month' }).waitFor();
    await eventually(async () => expect(await page.getByTestId('plan-card').count()).toBe(2));
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);

    await page.getByRole('searchbox', { name: 'Search' }).fill('Portail');
    await eventually(async () => expect(await page.getByTestId('plan-card').count()).toBe(1));
    expect(await page.getByTestId('plan-card').innerText()).toContain('Portail patients vers Kubernetes');
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('CANCELLED');
    await page.getByText('No plan matches.').waitFor();
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('');
    await eventually(async () => expect(await page.getByTestId('plan-card').count()).toBe(2));

    // The editor at this width: everything reachable without scrolling sideways.
    await openPlan(page);
    for (const tab of [/Risks/, /Compliance/, /Workloads/, /Notes/, /History/, /Milestones/]) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(200);
      expect({ tab: String(tab), overflow: await horizontalOverflow() }).toEqual({ tab: String(tab), overflow: 0 });
    }
    await page.getByRole('button', { name: 'Timeline' }).click();
    expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-tablet.png') });

    // An access token the server refuses (expired, or its key rotated): the session is refreshed
    // with the refresh token and the page carries on.
    const broken = await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('bascule.session') ?? '{}') as { accessToken: string };
      stored.accessToken = `${stored.accessToken.slice(0, -4)}AAAA`;
      localStorage.setItem('bascule.session', JSON.stringify(stored));
      return stored.accessToken;
    });
    await page.goto(server.baseUrl);
    await eventually(async () => expect(await page.getByTestId('plan-card').count()).toBe(2), 10_000);
    const refreshed = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('bascule.session') ?? '{}') as { accessToken?: string }).accessToken,
    );
    expect(refreshed).toBeDefined();
    expect(refreshed).not.toBe(broken);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('heading', { name: 'Portefeuille' }).waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByLabel('Adresse e-mail').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('bascule.session'))).toBeNull();
    // The plans kept on this device go with the session.
    await eventually(async () =>
      expect(
        await page.evaluate(
          async () =>
            (await indexedDB.databases()).filter((database) => database.name?.startsWith('bascule-plan-')).length,
        ),
      ).toBe(0),
    );
  }, 60_000);

  it('the dashboard follows a change made through GraphQL, in French too', async () => {
    const page = await signedIn(owner, 'fr-FR');
    await page.getByRole('heading', { name: 'Portefeuille' }).waitFor();
    const card = page.locator(`[data-plan-id="${planId}"]`);
    await card.waitFor();
    await query(
      'mutation($id: ID!) { updatePlan(id: $id, input: { title: "Messagerie et agendas vers Bleu" }) { id } }',
      {
        id: planId,
      },
    );
    await eventually(
      async () => expect(await card.getByRole('link').innerText()).toBe('Messagerie et agendas vers Bleu'),
      5_000,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('signs in through single sign-on, and the organization page says it is on', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const provider = await startOpenIdProvider(`${base}/auth/oidc/callback`);
    const own = await startServer({
      BASCULE_DATA_DIR: tempDir(),
      PORT: String(port),
      BASCULE_PUBLIC_URL: base,
      BASCULE_OIDC_ISSUER: provider.issuer,
      BASCULE_OIDC_CLIENT_ID: provider.clientId,
      BASCULE_OIDC_CLIENT_SECRET: provider.clientSecret,
      BASCULE_OIDC_NAME: 'ProConnect (test)',
    });
    try {
      // The provider vouches for the email of an existing account: signing in links the two.
      const head = await signUp(base, { displayName: 'Dr Head', organizationName: 'Clinique du SSO' });
      provider.accounts.set('sub-head', { email: head.email, emailVerified: true, name: 'Dr Head' });
      const context = await browser.newContext({ locale: 'en-US' });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(base);
      await page.getByRole('link', { name: 'Sign in with ProConnect (test)' }).click();
      // The provider's own pages: its login form, then its consent.
      await page.locator('input[name="login"]').fill('sub-head');
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click();
      await page.getByTestId('viewer').waitFor();
      expect(await page.getByTestId('viewer').innerText()).toContain('Clinique du SSO');
      await page.getByRole('link', { name: 'Organization' }).click();
      await eventually(async () =>
        expect(await page.getByTestId('sso-status').innerText()).toBe('Enabled through ProConnect (test).'),
      );
    } finally {
      await own.stop();
      await provider.close();
    }
  }, 60_000);
});
