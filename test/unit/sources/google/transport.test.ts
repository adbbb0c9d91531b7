import { describe, expect, it } from 'vitest';

import { createGoogleTransport, isQuotaRefusal } from '../../../../src/sources/google/transport.js';

const quotaBody = (reason: string) =>
  JSON.stringify({
    error: { code: 403, message: 'x', errors: [{ reason, domain: 'usageLimits' }] },
  });

describe('google transport', () => {
  it('tells quota refusals from permission refusals', () => {
    expect(isQuotaRefusal({ status: 429, text: '' })).toBe(true);
    expect(isQuotaRefusal({ status: 403, text: quotaBody('userRateLimitExceeded') })).toBe(true);
    expect(isQuotaRefusal({ status: 403, text: quotaBody('quotaExceeded') })).toBe(true);
    expect(isQuotaRefusal({ status: 403, text: quotaBody('forbidden') })).toBe(false);
    expect(isQuotaRefusal({ status: 403, text: 'not json' })).toBe(false);
  });

  it('sends the token request to the configured token URL, form-encoded, without a budget', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const transport = createGoogleTransport({
      fetch: (url, init) => {
        seen.push({ url: String(url), init });
        return Promise.resolve(
          new Response('{"access_token":"t","expires_in":3600}', { status: 200 }),
        );
      },
      tokenUrl: 'http://127.0.0.1:9/token',
      queriesPerMinute: 1,
      timeoutMs: 1000,
      now: () => 0,
      sleep: () => Promise.reject(new Error('must not wait')),
      random: () => 0,
    });
    for (let i = 0; i < 3; i += 1) {
      await transport.fetchImplementation('https://oauth2.googleapis.com/token', {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'g', assertion: 'a' }),
      });
    }
    expect(seen[0]?.url).toBe('http://127.0.0.1:9/token');
    expect(seen[0]?.init?.body).toBe('grant_type=g&assertion=a');
    expect(new Headers(seen[0]?.init?.headers).get('content-type')).toBe(
      'application/x-www-form-urlencoded',
    );
  });

  it('retries a throttled call after Retry-After, then hands the answer back', async () => {
    const answers = [
      new Response(quotaBody('userRateLimitExceeded'), {
        status: 403,
        headers: { 'retry-after': '3' },
      }),
      new Response('{"users":[]}', { status: 200 }),
    ];
    const waits: number[] = [];
    const transport = createGoogleTransport({
      fetch: () => Promise.resolve(answers.shift() ?? new Response('', { status: 500 })),
      queriesPerMinute: 100,
      timeoutMs: 1000,
      now: () => 0,
      sleep: ms => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0,
    });
    const response = await transport.fetchImplementation('https://admin.googleapis.com/x');
    expect(response.status).toBe(200);
    expect(waits).toEqual([3000]);
    expect(transport.report()).toMatchObject({ calls: 2, throttled: 1, waitedMs: 3000 });
  });

  it('returns the last refusal when throttling does not end', async () => {
    const transport = createGoogleTransport({
      fetch: () => Promise.resolve(new Response('', { status: 429 })),
      queriesPerMinute: 100,
      timeoutMs: 1000,
      now: () => 0,
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
    const response = await transport.fetchImplementation('https://admin.googleapis.com/x');
    expect(response.status).toBe(429);
    expect(transport.report().throttled).toBe(6);
  });
});
