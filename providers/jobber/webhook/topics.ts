/** The Jobber record families Hookport keeps tables for; each is also the record kind and table. */
export type JobberFamily = 'client' | 'job' | 'invoice';

const FAMILIES: Record<string, JobberFamily> = { CLIENT: 'client', JOB: 'job', INVOICE: 'invoice' };

const VERBS: Record<string, string> = {
  CREATE: 'created',
  UPDATE: 'updated',
  DESTROY: 'deleted',
  COMPLETE: 'completed',
  CONNECT: 'connected',
  DISCONNECT: 'disconnected',
  // ON_MY_WAY_TRACKING_LINK_REQUEST: the only topic whose last word is REQUEST.
  REQUEST: 'requested',
};

export interface Topic {
  /** e.g. `PRODUCT_OR_SERVICE` of `PRODUCT_OR_SERVICE_CREATE`. */
  subject: string;
  /** The last word: CREATE, UPDATE, DESTROY, CLOSED, SENT, … */
  action: string;
  family: JobberFamily | undefined;
  /** `client.created`, `job.closed`, `invoice.deleted`; other families get a `jobber.` prefix. */
  canonicalType: string;
}

export function parseTopic(topic: string): Topic {
  const cut = topic.lastIndexOf('_');
  const subject = cut > 0 ? topic.slice(0, cut) : topic;
  const action = cut > 0 ? topic.slice(cut + 1) : '';
  const family = Object.hasOwn(FAMILIES, subject) ? FAMILIES[subject] : undefined;
  const verb = VERBS[action] ?? action.toLowerCase();
  const name = [subject.toLowerCase(), verb].filter(Boolean).join('.');
  return { subject, action, family, canonicalType: family ? name : `jobber.${name}` };
}

/**
 * A topic as a note or log line may quote it: whole when it is shaped like one of Jobber's
 * (`CLIENT_CREATE`), else only its length, so markup sent as a topic is never echoed.
 */
export function shownTopic(topic: string): string {
  return /^[A-Z0-9_]{1,64}$/.test(topic) ? topic : `of ${topic.length} characters that is not a Jobber topic name`;
}
