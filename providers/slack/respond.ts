import { errorMessage, type ReplyContext, type WebhookResponse } from '../../src/provider';
import { message, section, type SlackMessage } from './blocks';
import { answerCommand, LOOKING } from './commands';
import { interactionPayload } from './identify';
import { answerAction } from './interactions';
import { postToResponseUrl } from './response-url';

/** Slack waits 3 s for a command's answer; past this, "looking…" now and the answer at response_url. */
export const ANSWER_WITHIN_MS = 2_500;

const ephemeral = (answer: SlackMessage): WebhookResponse => ({
  contentType: 'application/json',
  body: JSON.stringify({ response_type: 'ephemeral', ...answer }),
});
const UNREADABLE = message('Hookport could not read its tables just now; try again in a moment.', [
  section('Hookport could not read its tables just now; try again in a moment.'),
]);

async function command(context: ReplyContext, form: URLSearchParams, answerWithinMs: number): Promise<WebhookResponse> {
  const answer = answerCommand(context.db, form.get('text') ?? '').catch((err: unknown) => {
    context.logger.error('slack command could not be answered', {
      provider: 'slack',
      id: context.ack.id,
      error: errorMessage(err),
    });
    return UNREADABLE;
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), answerWithinMs)));
  const first = await Promise.race([answer, late]);
  clearTimeout(timer);
  if (first !== 'late') return ephemeral(first);
  void answer.then((a) => postToResponseUrl(context, form.get('response_url'), a));
  return ephemeral(LOOKING);
}

/**
 * A click: 200 with an empty body at once, and the answer posted to its response_url. A duplicate
 * (the same signed request again) posts nothing, so each click is answered once.
 */
function interaction(context: ReplyContext): WebhookResponse {
  const payload = interactionPayload(context.request.body);
  const actions = Array.isArray(payload?.actions) ? (payload.actions as Record<string, unknown>[]) : [];
  if (!context.ack.duplicate && payload?.type === 'block_actions') {
    for (const action of actions.slice(0, 5)) {
      void answerAction(context.db, String(action?.action_id ?? ''), String(action?.value ?? ''))
        .then((answer) => postToResponseUrl(context, payload.response_url, answer))
        .catch((err: unknown) =>
          context.logger.error('slack click could not be answered', {
            provider: 'slack',
            id: context.ack.id,
            error: errorMessage(err),
          }),
        );
    }
  }
  return { contentType: 'text/plain', body: '' };
}

/** Answers a stored command or click; replays go through the worker, which posts nothing. */
export function respondToSlack(answerWithinMs = ANSWER_WITHIN_MS) {
  return (context: ReplyContext): WebhookResponse | Promise<WebhookResponse> => {
    const form = new URLSearchParams(context.request.body.toString('utf8'));
    if (form.has('command')) return command(context, form, answerWithinMs);
    return interaction(context);
  };
}
