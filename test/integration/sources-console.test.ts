import { sql } from 'drizzle-orm';
import { ADMIN_TOKEN, csrfOf, signIn } from '../helpers/console';
import { databaseKinds } from '../helpers/harness';
import { registerSecret } from '../helpers/log-capture';
import { suiteHarness } from '../helpers/suite';

const PAGE = '/admin/providers/sources/list';
const TOKEN = 'sources-console-bearer-token-5d0c8a2e';
registerSecret('source secret', TOKEN);

describe.each(databaseKinds())('the console sources page on %s', (kind) => {
  const h = suiteHarness(kind, { ADMIN_TOKEN });
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn(h);
  });
  const get = () => h.http().get(PAGE).set('cookie', cookie);
  const post = async (form: Record<string, string>) =>
    h
      .http()
      .post(PAGE)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrfOf((await get()).text), ...form });

  it('lists each source with the URL to paste and no secret; shows a generated secret once; disables and deletes', async () => {
    const hostile = '<script>alert(1)</script>';
    const created = await post({
      op: 'create',
      name: 'crm',
      kind: 'bearer',
      header: 'X-Api-Key',
      secret: TOKEN,
      description: hostile,
    });
    expect(created.status).toBe(200);
    expect(created.text).toContain('Created source crm: paste https://hooks.example.com/webhooks/sources/crm');
    expect(created.text).not.toContain(TOKEN);

    const generated = await post({ op: 'create', name: 'hooks', kind: 'standard-webhooks', secret: '' });
    const secret = /shown this once \(store it in the sender now\): (whsec_[A-Za-z0-9+/=]+)/.exec(generated.text)?.[1];
    expect(secret).toBeDefined();
    registerSecret('generated source secret', secret!);

    const page = await get();
    expect(page.status).toBe(200);
    const row = /<tr data-source="crm">[\s\S]*?<\/tr>/.exec(page.text)?.[0] ?? '';
    expect(row).toContain('https://hooks.example.com/webhooks/sources/crm');
    expect(row).toContain('bearer');
    expect(row).toContain('<td data-secrets>1</td>');
    expect(row).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
    expect(page.text).toContain('<tr data-source="hooks">');
    expect(page.text).not.toContain(TOKEN);
    expect(page.text).not.toContain(secret);

    const refused = await post({ op: 'create', name: 'Bad Name', kind: 'standard-webhooks' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('a source name is 1 to 40');

    expect((await post({ op: 'disable', name: 'crm' })).text).toContain('Source crm disabled.');
    expect(
      (await h.http().get('/admin/api/sources/crm').set('authorization', `Bearer ${ADMIN_TOKEN}`)).body,
    ).toMatchObject({ enabled: false });
    const asked = await post({ op: 'delete', name: 'crm' });
    expect(asked.text).toContain('Please confirm');
    expect(await h.rows(sql`select name from sources order by name`)).toEqual([{ name: 'crm' }, { name: 'hooks' }]);
    expect((await post({ op: 'delete', name: 'crm', confirmed: 'yes' })).text).toContain('Deleted source crm.');
    expect(await h.rows(sql`select name from sources`)).toEqual([{ name: 'hooks' }]);
    const audit = await h.rows<{ actor: string; action: string }>(
      sql`select actor, action from audit_log where action like 'source.%' order by at, id`,
    );
    expect(audit).toEqual([
      { actor: 'console', action: 'source.created' },
      { actor: 'console', action: 'source.created' },
      { actor: 'console', action: 'source.updated' },
      { actor: 'console', action: 'source.deleted' },
    ]);
  });
});
