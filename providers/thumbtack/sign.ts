/** The Authorization header Thumbtack sends for a webhook created with `auth:{username,password}`. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
