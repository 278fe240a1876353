import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { createPlan } from '../../../../test/support/collab.js';
import { bearer, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';

describe('status reports and calendar feeds', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let outsider: SignedUp;
  let planId: string;
  let feedToken: string;
  let feedTokenId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp.baseUrl);
    outsider = await signUp(testApp.baseUrl);
    planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Messagerie, vers Bleu');
    const as = (query: string) => graphqlAs(testApp.baseUrl, owner.tokens.accessToken, query, { p: planId });
    await as(
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Bascule; phase 1", dueDate: "2027-04-16", owner: "DSI" }) { id } }',
    );
    await as(
      'mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Audit", dueDate: "2020-01-10" }) { id } }',
    );
    await as('mutation($p: ID!) { createMilestone(planId: $p, input: { title: "Sans date" }) { id } }');
    await as(
      'mutation($p: ID!) { createRisk(planId: $p, input: { title: "=Lois extraterritoriales", likelihood: 4, impact: 5 }) { id } }',
    );
    const token = await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "Outlook", scopes: [READ] }) { secret apiToken { id } } }',
    );
    feedToken = token.data!.createApiToken.secret;
    feedTokenId = token.data!.createApiToken.apiToken.id;
  });

  afterAll(() => testApp.close());

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${testApp.baseUrl}${path}`, { headers: { ...headers, ...(token === undefined ? {} : bearer(token)) } });

  it("writes a plan's status report in Markdown and CSV", async () => {
    const markdown = await get(`/reports/plans/${planId}.md?lang=en`, owner.tokens.accessToken);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    const text = await markdown.text();
    expect(text).toMatch(/^# Messagerie, vers Bleu\n/);
    expect(text).toContain('Status Draft, RAG **Off track** (schedule slipped ');
    expect(text).toContain('| Audit (overdue) | Not started | 2020-01-10 |');
    expect(text).toContain('| Bascule; phase 1 | Not started | 2027-04-16 | — | DSI |');
    expect(text).toContain('| =Lois extraterritoriales | 20 | 4 x 5 | Open | — |');
    const csv = await (
      await get(`/reports/plans/${planId}.csv`, owner.tokens.accessToken, { 'accept-language': 'en' })
    ).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('kind,id,title,status,due_date,slip_days,score,framework,owner');
    expect(lines).toHaveLength(5);
    // A cell that a spreadsheet would run as a formula is defused.
    expect(lines.find((line) => line.startsWith('risk,'))).toContain(",'=Lois extraterritoriales,");
    const portfolio = await (await get('/reports/portfolio.md?lang=en', owner.tokens.accessToken)).text();
    expect(portfolio).toContain('1 plan, 1 red, 0 amber, 0 green.');
    expect(portfolio).toContain('| Messagerie, vers Bleu |');
    expect((await get('/reports/portfolio.csv', owner.tokens.accessToken)).status).toBe(200);
    // Another organization's plan does not exist for an outsider; no token, no report.
    expect((await get(`/reports/plans/${planId}.md`, outsider.tokens.accessToken)).status).toBe(404);
    expect((await get(`/reports/plans/${planId}.md`)).status).toBe(401);
    expect((await get(`/reports/plans/${planId}.pdf`, owner.tokens.accessToken)).status).toBe(400);
  });

  it('writes in French when asked or when nothing says otherwise, and refuses other languages', async () => {
    const french = await (await get(`/reports/plans/${planId}.md?lang=fr`, owner.tokens.accessToken)).text();
    expect(french).toMatch(/^# Messagerie, vers Bleu\n/);
    expect(french).toContain('Statut : Brouillon ; météo : **En dérive** (glissement du planning de ');
    expect(french).toContain(' ; 1 risque critique ; 1 jalon en retard).');
    for (const heading of ['## Jalons', '## Risques non clos', '## Conformité']) expect(french).toContain(heading);
    expect(french).toContain('| jalon | statut | échéance | glissement (jours) | responsable |');
    expect(french).toContain('| Audit (en retard) | Non commencé | 2020-01-10 |');
    expect(french).toContain('| =Lois extraterritoriales | 20 | 4 x 5 | Ouvert | — |');
    expect(french).toContain('Aucun point de contrôle pour l’instant.');
    for (const english of ['Status report', '## Milestones', '## Open risks', '## Compliance', '(overdue)', 'slipped'])
      expect(french).not.toContain(english);
    // The browser's language when the address names none; French when the request names neither.
    const byHeader = await get(`/reports/plans/${planId}.md`, owner.tokens.accessToken, {
      'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8',
    });
    expect(await byHeader.text()).toBe(french);
    expect(await (await get(`/reports/plans/${planId}.md`, owner.tokens.accessToken)).text()).toBe(french);
    const csv = await (await get(`/reports/plans/${planId}.csv?lang=fr`, owner.tokens.accessToken)).text();
    expect(csv.split('\n')[0]).toBe('type,id,titre,statut,échéance,glissement_jours,score,référentiel,responsable');
    expect(csv).toContain(',Non commencé,2020-01-10,');
    const portfolio = await (
      await get('/reports/portfolio.md', owner.tokens.accessToken, { 'accept-language': 'fr' })
    ).text();
    expect(portfolio).toContain('# Portefeuille');
    expect(portfolio).toContain(' : 1 plan, 1 en rouge, 0 en orange, 0 en vert.');
    expect(portfolio).toContain('| Messagerie, vers Bleu | En dérive |');
    // A calendar application sends no language: the address gives it, French otherwise.
    const feed = (await (await get(`/calendar/plans/${planId}.ics?token=${feedToken}`)).text()).replace(/\r\n /g, '');
    expect(feed).toContain('DESCRIPTION:Messagerie\\, vers Bleu\\nStatut : Non commencé\\nResponsable : DSI');
    const portfolioFeed = await (await get(`/calendar/portfolio.ics?token=${feedToken}&lang=fr`)).text();
    expect(portfolioFeed.replace(/\r\n /g, '')).toContain('X-WR-CALNAME:Bascule — portefeuille');
    const englishFeed = await (await get(`/calendar/portfolio.ics?token=${feedToken}&lang=en`)).text();
    expect(englishFeed.replace(/\r\n /g, '')).toContain('X-WR-CALNAME:Bascule — portfolio');

    const refused = await get(`/reports/plans/${planId}.md?lang=de`, owner.tokens.accessToken);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('lang: expected fr or en');
    expect((await get(`/reports/portfolio.csv?lang=de`, owner.tokens.accessToken)).status).toBe(400);
    expect((await get(`/calendar/portfolio.ics?token=${feedToken}&lang=de`)).status).toBe(400);
  });

  it('serves the milestones as an iCalendar feed for a read-scoped API token in the address', async () => {
    const response = await get(`/calendar/plans/${planId}.ics?token=${feedToken}&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/calendar');
    const ics = await response.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = ics.split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    // Unfolded, escaped, one all-day event per dated milestone.
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(unfolded).toContain('DTSTART;VALUE=DATE:20270416\r\nDTEND;VALUE=DATE:20270417');
    expect(unfolded).toContain('SUMMARY:Bascule\\; phase 1 — Messagerie\\, vers Bleu');
    expect(unfolded).toContain('DESCRIPTION:Messagerie\\, vers Bleu\\nStatus: Not started\\nOwner: DSI');
    const portfolio = await get(`/calendar/portfolio.ics?token=${feedToken}`);
    expect((await portfolio.text()).match(/BEGIN:VEVENT/g)).toHaveLength(2);

    // Every event names itself for calendar applications: a stable UID and when the feed was made.
    expect(unfolded.match(/\r\nUID:[^\r]+@bascule\r\n/g)).toHaveLength(2);
    expect(unfolded.match(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/g)).toHaveLength(2);

    // Not an access token in an address, not an unknown token; a revoked one stops the feed.
    expect((await get(`/calendar/plans/${planId}.ics?token=${owner.tokens.accessToken}`)).status).toBe(401);
    // Not a token that can write either: calendar applications keep the address in clear.
    const writer = await graphqlAs<{ createApiToken: { secret: string } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "agenda", scopes: [WRITE] }) { secret } }',
    );
    const refused = await get(`/calendar/plans/${planId}.ics?token=${writer.data!.createApiToken.secret}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('read-only API token');
    expect((await get(`/calendar/plans/${planId}.ics?token=bsc_nonsense`)).status).toBe(401);
    expect((await get(`/calendar/plans/${planId}.ics`)).status).toBe(400);
    await graphqlAs(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
      {
        id: feedTokenId,
      },
    );
    expect((await get(`/calendar/plans/${planId}.ics?token=${feedToken}`)).status).toBe(401);
  });
});
