import { HookportError } from '../../src/errors/hookport-error';
import { Upload, UploadBudgets } from '../../src/http/upload-budgets';

const open = (budgets: UploadBudgets, provider: string, address: string): Upload => {
  const upload = budgets.open(provider, address);
  if (upload instanceof HookportError) throw upload;
  return upload;
};

describe('upload budgets', () => {
  // 4 MiB shared by two providers: 2 MiB each; an address may hold a quarter of it, or one body at the limit.
  const limits = { a: 256 * 1024, b: 1024 * 1024 };
  const MiB = 1024 * 1024;

  it('charges bytes as they arrive, per provider: one filled does not refuse the other', () => {
    const budgets = new UploadBudgets(4 * MiB, limits, 100);
    const uploads = Array.from({ length: 4 }, (_, i) => open(budgets, 'a', `10.0.0.${i}`));
    for (const u of uploads) expect(u.take(512 * 1024)).toBeUndefined();
    expect(budgets.heldBytes('a')).toBe(2 * MiB);
    expect(open(budgets, 'a', '10.0.1.1').take(1)).toMatchObject({ code: 'too_busy', status: 503 });
    expect(open(budgets, 'b', '10.0.1.1').take(MiB)).toBeUndefined();
  });

  it('gives each provider at least its own limit, so a body at the limit always fits', () => {
    const budgets = new UploadBudgets(1 * MiB, limits, 100);
    expect(open(budgets, 'b', '10.0.0.1').take(MiB)).toBeUndefined();
  });

  it('limits one address to its share of a provider’s budget (429), not other addresses', () => {
    const budgets = new UploadBudgets(4 * MiB, limits, 100);
    const first = open(budgets, 'a', '10.0.0.1');
    expect(first.take(512 * 1024)).toBeUndefined();
    const refusal = open(budgets, 'a', '10.0.0.1').take(1);
    expect(refusal).toMatchObject({ code: 'too_many_requests', status: 429, retryAfterSeconds: 1 });
    expect(open(budgets, 'a', '10.0.0.2').take(512 * 1024)).toBeUndefined();
  });

  it('limits the uploads one address has open at once', () => {
    const budgets = new UploadBudgets(4 * MiB, limits, 2);
    const held = [open(budgets, 'a', '10.0.0.1'), open(budgets, 'a', '10.0.0.1')];
    expect(budgets.open('a', '10.0.0.1')).toMatchObject({ code: 'too_many_requests' });
    expect(budgets.open('a', '10.0.0.2')).toBeInstanceOf(Upload);
    held[0]!.close();
    expect(budgets.open('a', '10.0.0.1')).toBeInstanceOf(Upload);
  });

  it('frees the address once verified, and the provider’s bytes once the request is done', () => {
    const budgets = new UploadBudgets(4 * MiB, limits, 1);
    const upload = open(budgets, 'a', '10.0.0.1');
    expect(upload.take(512 * 1024)).toBeUndefined();
    upload.verified();
    // The stored body is still in memory: the provider's bytes stay charged.
    expect(budgets.heldBytes('a')).toBe(512 * 1024);
    const next = open(budgets, 'a', '10.0.0.1');
    expect(next.take(512 * 1024)).toBeUndefined();
    upload.close();
    next.close();
    next.close();
    expect(budgets.heldBytes('a')).toBe(0);
  });

  it('charges nothing for a refused chunk', () => {
    const budgets = new UploadBudgets(4 * MiB, limits, 100);
    const upload = open(budgets, 'a', '10.0.0.1');
    expect(upload.take(600 * 1024)).toMatchObject({ code: 'too_many_requests' });
    expect(budgets.heldBytes('a')).toBe(0);
  });
});
