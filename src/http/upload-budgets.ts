import { HookportError, TooManyRequestsError } from '../errors/hookport-error';

/** A part of an address's share of a provider's budget, so one address cannot take it all. */
const ADDRESS_SHARE = 4;

interface Ledger {
  bytes: number;
  uploads: number;
}

/**
 * Bounds the webhook body bytes held before they are verified. A request whose headers pass the
 * provider's pre-check can still be forged, so bytes are charged as they arrive (a declared length
 * costs nothing until it is sent), against its provider's own budget (forged uploads to one provider
 * never starve another) and its client address's share of it. Over a budget the answer is 503, over
 * an address's share or its count of uploads 429: providers retry both.
 */
export class UploadBudgets {
  private readonly held = new Map<string, number>();
  private readonly budgets: Map<string, { total: number; perAddress: number }>;
  private readonly addresses = new Map<string, Ledger>();

  /**
   * `limits`: the body limit of each provider that takes webhooks. `totalBytes` is shared out
   * between them equally; each gets at least its own limit, so a body at the limit always fits.
   */
  constructor(
    totalBytes: number,
    limits: Readonly<Record<string, number>>,
    private readonly uploadsPerAddress: number,
  ) {
    const share = Math.floor(totalBytes / Math.max(1, Object.keys(limits).length));
    this.budgets = new Map(
      Object.entries(limits).map(([name, limit]) => {
        const total = Math.max(share, limit);
        return [name, { total, perAddress: Math.max(Math.floor(total / ADDRESS_SHARE), limit) }];
      }),
    );
  }

  /** Starts charging an upload to `provider` from `address`, or the refusal when the address already sends too many. */
  open(provider: string, address: string): Upload | HookportError {
    const key = `${provider}\n${address}`;
    const ledger = this.addresses.get(key) ?? { bytes: 0, uploads: 0 };
    if (ledger.uploads >= this.uploadsPerAddress) {
      return new TooManyRequestsError('this address is sending too many webhook bodies at once; retry shortly', 1);
    }
    ledger.uploads++;
    this.addresses.set(key, ledger);
    return new Upload(this, provider, key);
  }

  /** Bytes charged to `provider`'s budget now. */
  heldBytes(provider: string): number {
    return this.held.get(provider) ?? 0;
  }

  /** @internal Upload's accounting. */
  charge(provider: string, key: string, bytes: number): HookportError | undefined {
    const budget = this.budgets.get(provider);
    const ledger = this.addresses.get(key);
    if (!budget || !ledger) throw new Error(`no upload budget for ${provider}`);
    if (ledger.bytes + bytes > budget.perAddress) {
      return new TooManyRequestsError('this address is sending too many webhook bytes at once; retry shortly', 1);
    }
    const held = this.heldBytes(provider);
    if (held + bytes > budget.total) {
      return new HookportError('too_busy', 'too many webhook bodies are being received at once; retry shortly');
    }
    this.held.set(provider, held + bytes);
    ledger.bytes += bytes;
    return undefined;
  }

  /** @internal */
  releaseAddress(key: string, bytes: number): void {
    const ledger = this.addresses.get(key);
    if (!ledger) return;
    ledger.bytes -= bytes;
    ledger.uploads--;
    if (ledger.uploads === 0) this.addresses.delete(key);
  }

  /** @internal */
  refund(provider: string, bytes: number): void {
    this.held.set(provider, this.heldBytes(provider) - bytes);
  }
}

/**
 * One webhook body being received. Its bytes count against the address until it is verified (or
 * ends), and against the provider's budget until the request is done (the body is in memory until stored).
 */
export class Upload {
  private bytes = 0;
  private addressHeld = true;
  private closed = false;

  constructor(
    private readonly budgets: UploadBudgets,
    private readonly provider: string,
    private readonly key: string,
  ) {}

  /** Charges `bytes` more; the refusal when a budget cannot cover them (nothing is charged then). */
  take(bytes: number): HookportError | undefined {
    if (this.closed) return undefined;
    const refusal = this.budgets.charge(this.provider, this.key, bytes);
    if (!refusal) this.bytes += bytes;
    return refusal;
  }

  /** The body is genuine: the address's share and upload slot are free again. */
  verified(): void {
    if (!this.addressHeld) return;
    this.addressHeld = false;
    this.budgets.releaseAddress(this.key, this.bytes);
  }

  /** The request is done (answered, or the client went): everything it held is free. */
  close(): void {
    if (this.closed) return;
    this.verified();
    this.closed = true;
    this.budgets.refund(this.provider, this.bytes);
  }
}
