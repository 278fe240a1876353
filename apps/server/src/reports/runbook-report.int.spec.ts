import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readPlan } from '@bascule/plan-model';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { authorOf, bearer, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { ChangeLog } from '../changes/change-log.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { demoRehearsal, demoRunbook } from '../demo/demo-runbooks.js';
import { ProjectionService } from '../projection/projection.service.js';

/** A rehearsal run at this T0 (UTC), 21:00 in Paris. */
const REHEARSED = new Date('2026-11-20T20:00:00.000Z');
const PLANNED = new Date('2027-03-13T19:00:00.000Z');

describe('cutover reports and T0 in the calendar', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let planId: string;
  let runbookId: string;
  let rehearsalId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl, { displayName: 'Odile Roux' });
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Messagerie vers Bleu');
    const crew = {
      ownerId: owner.userId,
      ownerName: 'Odile Roux',
      approverId: owner.userId,
      approverName: 'Odile Roux',
    };
    await testApp.app.get(PlanDocumentService).change(planId, authorOf(owner), (doc) => {
      runbookId = demoRunbook(doc, 'm365-mailbox-wave', 'Vague 1', PLANNED, crew, 'fr');
      rehearsalId = demoRehearsal(doc, runbookId, REHEARSED, crew, 'fr');
      expect(readPlan(doc).issues).toEqual([]);
    });
    await testApp.app.get(ProjectionService).projectNow(planId);
  });

  afterAll(() => testApp.close());

  const get = (path: string) => fetch(`${testApp.baseUrl}${path}`, { headers: bearer(owner.tokens.accessToken) });

  it('reports a rehearsal against its plan, stage by stage, with its decisions and who did what', async () => {
    const french = await get(`/reports/plans/${planId}/runbooks/${rehearsalId}.md?lang=fr`);
    expect(french.status).toBe(200);
    expect(french.headers.get('content-type')).toContain('text/markdown');
    const text = await french.text();
    expect(text).toMatch(/^# Rapport de bascule — Répétition – Vague 1\n/);
    expect(text).toContain('Plan : Messagerie vers Bleu — répétition, état Terminé. (heures de Paris)');
    for (const heading of ['## Étapes', '## Décisions go / no-go', '## Qui a fait quoi', '## Tâches en retard'])
      expect(text).toContain(heading);
    expect(text).toMatch(/\| Gel \| \d+ \| \d+ \|/);
    expect(text).toMatch(/- \*\*Go \/ no-go[^*]*\*\* — Go\n {2}- Odile Roux : Go à 20\/11\/2026/);
    expect(text).toContain('Odile Roux a démarré « ');
    // Some tasks of the rehearsal took longer than planned: they are listed with their delay.
    expect(text).toMatch(/\| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| [1-9]\d* \|/);

    const english = await (await get(`/reports/plans/${planId}/runbooks/${rehearsalId}.md?lang=en`)).text();
    expect(english).toMatch(/^# Cutover report — Répétition – Vague 1\n/);
    expect(english).toContain('## Go / no-go decisions');

    const csv = await (await get(`/reports/plans/${planId}/runbooks/${rehearsalId}.csv?lang=en`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,stage,kind,title,team,status,planned_start,planned_end,actual_start,actual_end,planned_minutes,actual_minutes,late_minutes,started_by,ended_by,reason,decision',
    );
    expect(lines.filter((line) => line.includes(',DECISION,')).every((line) => line.endsWith(',GO'))).toBe(true);
    expect(lines.length - 1).toBeGreaterThan(10);
  });

  it('keeps a failure that was run again, with its reason, from the audit trail', async () => {
    const as = async <T>(query: string, variables: Record<string, unknown>) => {
      const response = await graphqlAs<T>(testApp.baseUrl, owner.tokens.accessToken, query, {
        p: planId,
        ...variables,
      });
      expect(response.errors).toBeUndefined();
      return response.data as T;
    };
    const { createRunbook } = await as<{ createRunbook: { id: string } }>(
      'mutation($p: ID!) { createRunbook(planId: $p, input: { title: "Vague 2" }) { id } }',
      {},
    );
    const { createRunbookTask } = await as<{ createRunbookTask: { id: string } }>(
      'mutation($p: ID!, $r: ID!) { createRunbookTask(planId: $p, runbookId: $r, input: { title: "Copier les boîtes", duration: 30 }) { id } }',
      { r: createRunbook.id },
    );
    const task = { t: createRunbookTask.id };
    await as('mutation($p: ID!, $r: ID!) { startRunbook(planId: $p, id: $r) { id } }', { r: createRunbook.id });
    await as('mutation($p: ID!, $t: ID!) { startTask(planId: $p, id: $t) { id } }', task);
    await as('mutation($p: ID!, $t: ID!) { failTask(planId: $p, id: $t, reason: "Quota dépassé") { id } }', task);
    // (The trail merges a field's changes made within its write's second: a retry comes later.)
    await testApp.app.get(ChangeLog).drain();
    await as('mutation($p: ID!, $t: ID!) { startTask(planId: $p, id: $t) { id } }', task);
    await as('mutation($p: ID!, $t: ID!) { finishTask(planId: $p, id: $t) { id } }', task);
    await testApp.app.get(ChangeLog).drain();
    const text = await (await get(`/reports/plans/${planId}/runbooks/${createRunbook.id}.md?lang=fr`)).text();
    expect(text).toMatch(
      /- \*\*Copier les boîtes\*\* — En échec : Quota dépassé \(Odile Roux, [^)]+\) \(puis relancée\)/,
    );
    expect(text).toMatch(
      /Odile Roux a terminé « Copier les boîtes » \(en échec\)[\s\S]*Odile Roux a terminé « Copier les boîtes » \(terminée\)/,
    );
  });

  it('answers 404 for a runbook the plan does not have, and 400 for a format it does not write', async () => {
    expect((await get(`/reports/plans/${planId}/runbooks/nope.md`)).status).toBe(404);
    expect((await get(`/reports/plans/${planId}/runbooks/${runbookId}.pdf`)).status).toBe(400);
  });

  it("puts each runbook's T0 in the plan's calendar, at its hour", async () => {
    const token = await graphqlAs<{ createApiToken: { secret: string } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "Agenda", scopes: [READ] }) { secret } }',
    );
    const ics = (
      await (
        await fetch(`${testApp.baseUrl}/calendar/plans/${planId}.ics?token=${token.data!.createApiToken.secret}`)
      ).text()
    ).replace(/\r\n /g, '');
    expect(ics).toContain(`UID:${runbookId}.${planId}@bascule`);
    expect(ics).toContain('DTSTART:20270313T190000Z');
    expect(ics).toContain('SUMMARY:T0 Vague 1 — Messagerie vers Bleu');
    expect(ics).toContain('DTSTART:20261120T200000Z');
  });
});
