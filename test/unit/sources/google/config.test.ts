import { describe, expect, it } from 'vitest';

import { googleSourceConfigSchema } from '../../../../src/sources/google/config.js';

const keyJson = JSON.stringify({ client_email: 'sa@p.iam.gserviceaccount.com', private_key: 'k' });
const base = { keyJson, subject: 'admin@example.com', scope: { ids: [], all: true } };

describe('google config', () => {
  it('defaults the customer, budget and concurrency', () => {
    expect(googleSourceConfigSchema.parse(base)).toMatchObject({
      customerId: 'my_customer',
      queriesPerMinute: 2400,
      concurrency: 4,
    });
  });

  it.each([
    [{ keyJson: undefined }, 'keyFile', /not set/],
    [{ keyFile: '/nope.json' }, 'keyFile', /either/],
    [{ keyJson: '{"client_email":"x"}' }, 'keyJson', /private_key/],
    [{ keyJson: 'nope' }, 'keyJson', /not JSON/],
    [{ subject: '' }, 'subject', /admin/],
    [{ scope: { ids: [], all: false } }, 'scope', /no group selected/],
    [{ apiBaseUrl: 'ftp://x' }, 'apiBaseUrl', /http/],
  ])('refuses %j', (patch, path, message) => {
    const result = googleSourceConfigSchema.safeParse({ ...base, ...patch });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find(i => i.path[0] === path);
    expect(issue?.message).toMatch(message);
  });
});
