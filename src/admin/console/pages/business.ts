import { BUSINESS_WINDOWS, type BusinessWindow } from '../../../figures/days';
import type { BusinessFigures } from '../../../figures/business';
import { duration } from '../../../html/components';
import { html, type Html } from '../../../html/html';
import { businessCharts } from '../business-charts';

const WINDOW_LABELS: Record<BusinessWindow, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

const stat = (value: string | number, label: string, detail: string, id: string) =>
  html`<div class="stat" id="${id}"><b>${value}</b><span>${label}</span><small>${detail}</small></div>`;

/** The figures the business watches (GET /admin/api/stats/business), their rates and a chart per day. */
export function businessSection(f: BusinessFigures, root: string): Html {
  const { sms, email, leads } = f;
  const windows = BUSINESS_WINDOWS.map(
    (w) =>
      html`<a href="${root}?window=${w}"${w === f.window ? html` aria-current="true"` : ''}>${WINDOW_LABELS[w]}</a>`,
  );
  const reply =
    leads.medianFirstReplySeconds === null
      ? 'no first reply yet'
      : `median first reply ${duration(leads.medianFirstReplySeconds * 1000)} (${leads.replied} answered)`;
  return html`<h2 id="business">Business figures <span class="muted">last ${WINDOW_LABELS[f.window]}</span><span class="windows">${windows.flatMap(
    (link, i) => (i === 0 ? [link] : [html` · `, link]),
  )}</span></h2>
<div class="grid">
${stat(percent(sms.deliveryRate), 'text message delivery rate', `${sms.delivered} delivered, ${sms.undelivered} undelivered, ${sms.failed} failed of ${sms.sent} sent`, 'sms-delivery-rate')}
${stat(percent(email.deliveryRate), 'email delivery rate', `${email.delivered} delivered of ${email.sent} sent`, 'email-delivery-rate')}
${stat(percent(email.openRate), 'email open rate', `${email.opened} opened of ${email.delivered} delivered`, 'email-open-rate')}
${stat(percent(email.clickRate), 'email click rate', `${email.clicked} clicked of ${email.delivered} delivered`, 'email-click-rate')}
${stat(percent(email.bounceRate), 'email bounce rate', `${email.bounced} bounced, ${email.complained} complaints`, 'email-bounce-rate')}
${stat(leads.created, 'leads', reply, 'leads-created')}
</div>
${businessCharts(f, root)}`;
}
