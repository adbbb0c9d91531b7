import { createHash } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import { startSim, text, type SimClient } from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

beforeEach(async () => {
  ({ sim, api } = await startSim());
});
afterEach(async () => {
  await sim.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('POST /key/generate', () => {
  it('returns the plaintext once and stores only its hash, for any user_id', async () => {
    const res = await api.post('/key/generate', {
      user_id: 'nobody',
      key_alias: 'a',
      metadata: { m: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.key).toMatch(/^sk-/);
    expect(res.body.token_id).toBe(sha256(text(res.body.key)));
    expect(res.body.token).toBe(res.body.token_id);
    expect(sim.state().users).toEqual([]);
    expect(sim.state().keys[0]).toMatchObject({
      user_id: 'nobody',
      key_alias: 'a',
      metadata: { m: 1 },
    });
  });

  it('enforces unique aliases and the sk- prefix of a custom key', async () => {
    await api.post('/key/generate', { key_alias: 'a' });
    const dup = await api.post('/key/generate', { key_alias: 'a' });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toMatchObject({ type: 'bad_request_error', param: 'key_alias' });
    const bad = await api.post('/key/generate', { key: 'abcd-not-a-litellm-key' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Received: abcd****-key');
    expect(sim.state().keys).toHaveLength(1);
  });
});

describe('POST /key/delete', () => {
  it('deletes by plaintext or hash, echoes the input, and 404s when nothing matches', async () => {
    const a = text((await api.post('/key/generate', {})).body.key);
    const b = text((await api.post('/key/generate', {})).body.key);
    const res = await api.post('/key/delete', { keys: [a, sha256(b), 'sk-missing'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted_keys: [a, sha256(b), 'sk-missing'] });
    expect(sim.state().keys).toEqual([]);
    expect((await api.post('/key/delete', { keys: [a] })).status).toBe(404);
  });

  it('deletes by key_aliases and refuses a body with neither list', async () => {
    await api.post('/key/generate', { key_alias: 'x' });
    expect((await api.post('/key/delete', { key_aliases: ['x'] })).body).toEqual({
      deleted_keys: ['x'],
    });
    const neither = await api.post('/key/delete', { keys: [] });
    expect(neither.status).toBe(422);
    expect(neither.body.detail[0].msg).toBe(
      "Value error, At least one of 'keys' or 'key_aliases' must be provided.",
    );
  });
});

describe('block, unblock and info', () => {
  it('blocks and unblocks by plaintext, and /key/info hides the hash', async () => {
    const key = text((await api.post('/key/generate', { key_alias: 'k' })).body.key);
    const blocked = await api.post('/key/block', { key });
    expect(blocked.body).toMatchObject({ token: sha256(key), blocked: true });
    expect((await api.post('/key/unblock', { key: sha256(key) })).body.blocked).toBe(false);
    const info = await api.get(`/key/info?key=${key}`);
    expect(info.body.key).toBe(key);
    expect(info.body.info).toMatchObject({ key_alias: 'k', blocked: false });
    expect(info.body.info).not.toHaveProperty('token');
  });

  it('refuses a malformed key with 400 and an unknown key with 401', async () => {
    const bad = await api.post('/key/block', { key: 'has spaces' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Invalid key format.');
    const unknown = await api.post('/key/block', { key: 'sk-unknown' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.type).toBe('token_not_found_in_db');
  });
});
