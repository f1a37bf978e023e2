/**
 * Twilio's standard opt-out and opt-in keywords (Messaging Services' default Opt-Out Management).
 * YES, which Twilio also takes as an opt-in by default, is left out on purpose: a "yes" that
 * answers a question must not lift an opt-out.
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;

export type OptOutIntent = { optOut: true; keyword: string } | { optOut: false; keyword: string };

const OUT = new Set<string>(OPT_OUT_KEYWORDS);
const IN = new Set<string>(OPT_IN_KEYWORDS);

/** A body as Twilio matches it: surrounding whitespace and punctuation removed, upper-cased (`Stop.` → `STOP`). */
export const keywordOf = (body: string): string => body.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '').toUpperCase();

/**
 * What an inbound message says about its sender's consent, or null. With Advanced Opt-Out Twilio
 * has matched the keyword itself (the account's own keywords included) and says so in
 * `OptOutType`; without it, the body is matched against the standard keywords.
 */
export function optOutIntent(body: string | undefined, optOutType: string | undefined): OptOutIntent | null {
  if (optOutType !== undefined) {
    const type = optOutType.trim().toUpperCase();
    if (type === 'STOP') return { optOut: true, keyword: type };
    if (type === 'START') return { optOut: false, keyword: type };
    return null; // HELP: a request for information, not a change of consent
  }
  const keyword = keywordOf(body ?? '');
  if (OUT.has(keyword)) return { optOut: true, keyword };
  if (IN.has(keyword)) return { optOut: false, keyword };
  return null;
}
