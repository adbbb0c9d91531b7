import { describe, expect, it } from 'vitest';
import {
  codeForStatus,
  isAlreadyExists,
  isAlreadyInTeam,
  isEntityNotFound,
  isNoKeysFound,
  isNotInTeam,
  parseApiError,
  stripPythonRepr,
  toTargetError,
} from '../../../../src/target/litellm/errors.js';

const shapeA = (message: string, type = 'internal_server_error', code = '400'): string =>
  JSON.stringify({ error: { message, type, param: 'None', code } });

describe('stripPythonRepr', () => {
  it('unwraps the repr of a dict with an error/message/detail key', () => {
    expect(
      stripPythonRepr("{'error': 'Team id = g-1 already exists. Please use a different team id.'}"),
    ).toBe('Team id = g-1 already exists. Please use a different team id.');
    expect(stripPythonRepr("{'message': 'Team not found, passed team id: g-9.'}")).toBe(
      'Team not found, passed team id: g-9.',
    );
    expect(stripPythonRepr("{'detail': 'x'}")).toBe('x');
  });

  it("handles double-quoted values (a message containing ') and escapes", () => {
    expect(stripPythonRepr(`{'error': "User with email o'brien@x.org already exists"}`)).toBe(
      "User with email o'brien@x.org already exists",
    );
    expect(stripPythonRepr(`{'error': 'it\\'s "both"'}`)).toBe(`it's "both"`);
  });

  it('unwraps when the dict has further keys', () => {
    expect(stripPythonRepr("{'error': 'No keys found', 'code': 404}")).toBe('No keys found');
  });

  it('leaves anything else alone', () => {
    expect(stripPythonRepr('plain text')).toBe('plain text');
    expect(stripPythonRepr("{'other': 'x'}")).toBe("{'other': 'x'}");
    expect(stripPythonRepr("{'error': 'unterminated")).toBe("{'error': 'unterminated");
    expect(stripPythonRepr("{'error': {'nested': 1}}")).toBe("{'error': {'nested': 1}}");
  });
});

describe('parseApiError', () => {
  it('reads shape A (ProxyException) with its type, repr stripped', () => {
    const parsed = parseApiError(
      400,
      shapeA("{'error': 'Team id = g-1 already exists. Please use a different team id.'}"),
    );
    expect(parsed).toEqual({
      status: 400,
      message: 'Team id = g-1 already exists. Please use a different team id.',
      type: 'internal_server_error',
      shape: 'proxy',
    });
  });

  it('reads shape A with a string error', () => {
    expect(parseApiError(500, '{"error":"boom"}')).toMatchObject({
      message: 'boom',
      shape: 'proxy',
    });
  });

  it('reads shape B with detail.error, a plain detail string, and other detail objects', () => {
    expect(
      parseApiError(
        404,
        JSON.stringify({ detail: { error: 'User not found, passed user_id=u1' } }),
      ),
    ).toEqual({
      status: 404,
      message: 'User not found, passed user_id=u1',
      type: undefined,
      shape: 'detail',
    });
    expect(parseApiError(400, '{"detail":"No member/members passed in"}').message).toBe(
      'No member/members passed in',
    );
    expect(parseApiError(400, '{"detail":{"message":"m"}}').message).toBe('m');
    expect(parseApiError(400, '{"detail":{"reason":"r"}}').message).toBe('{"reason":"r"}');
    expect(parseApiError(400, `{"detail":"{'error': 'wrapped'}"}`).message).toBe('wrapped');
  });

  it('reads shape C (422 validation) into path-qualified messages', () => {
    const body = JSON.stringify({
      detail: [
        { loc: ['body', 'member', 0, 'role'], msg: 'Field required', type: 'missing' },
        { loc: ['body', 'team_id'], msg: 'Input should be a valid string', type: 'string_type' },
      ],
    });
    expect(parseApiError(422, body)).toEqual({
      status: 422,
      message: 'body.member.0.role: Field required; body.team_id: Input should be a valid string',
      type: undefined,
      shape: 'validation',
    });
  });

  it('handles non-JSON and empty bodies', () => {
    expect(parseApiError(502, '<html>\n  <h1>Bad Gateway</h1>\n</html>')).toEqual({
      status: 502,
      message: '<html> <h1>Bad Gateway</h1> </html>',
      type: undefined,
      shape: 'unparsed',
    });
    expect(parseApiError(503, '').message).toBe('HTTP 503');
    expect(parseApiError(500, 'x'.repeat(1000)).message).toHaveLength(200);
    expect(parseApiError(500, '[1,2]').shape).toBe('unparsed');
  });
});

describe('codeForStatus', () => {
  it.each([
    [401, 'TARGET_UNAUTHORIZED'],
    [403, 'TARGET_UNAUTHORIZED'],
    [404, 'TARGET_NOT_FOUND'],
    [429, 'TARGET_RATE_LIMITED'],
    [408, 'TARGET_UNAVAILABLE'],
    [500, 'TARGET_UNAVAILABLE'],
    [502, 'TARGET_UNAVAILABLE'],
    [503, 'TARGET_UNAVAILABLE'],
    [400, 'TARGET_REJECTED'],
    [409, 'TARGET_REJECTED'],
    [422, 'TARGET_REJECTED'],
    [302, 'TARGET_INVALID_RESPONSE'],
  ] as const)('maps %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe('toTargetError', () => {
  it('names endpoint and status, with the cleaned message', () => {
    const error = toTargetError(
      400,
      shapeA("{'error': 'Team id = g-1 already exists. Please use a different team id.'}"),
      'POST /team/new',
    );
    expect(error).toMatchObject({
      code: 'TARGET_REJECTED',
      retryable: false,
      status: 400,
      endpoint: 'POST /team/new',
    });
    expect(error.message).toBe(
      'LiteLLM POST /team/new failed with HTTP 400: Team id = g-1 already exists. Please use a different team id.',
    );
  });

  it('carries Retry-After on 429 and 503 only', () => {
    const headers = new Headers({ 'retry-after': '2.5' });
    expect(toTargetError(429, '', 'GET /user/list', headers)).toMatchObject({
      code: 'TARGET_RATE_LIMITED',
      retryable: true,
      retryAfterMs: 2500,
    });
    expect(toTargetError(503, '', 'GET /user/list', headers).retryAfterMs).toBe(2500);
    expect(toTargetError(500, '', 'GET /user/list', headers).retryAfterMs).toBeUndefined();
    expect(toTargetError(429, '', 'GET /user/list').retryAfterMs).toBeUndefined();
    expect(
      toTargetError(429, '', 'GET /user/list', new Headers({ 'retry-after': 'later' }))
        .retryAfterMs,
    ).toBeUndefined();
  });

  it('maps auth failures (shape A auth_error) to TARGET_UNAUTHORIZED, not retryable', () => {
    const error = toTargetError(
      401,
      shapeA('Authentication Error, Invalid proxy server token passed.', 'auth_error', '401'),
      'GET /v2/team/list',
    );
    expect(error).toMatchObject({ code: 'TARGET_UNAUTHORIZED', retryable: false });
  });
});

describe('classifiers', () => {
  it('isAlreadyExists: /team/new 400, /user/new 409 and the older 400', () => {
    expect(
      isAlreadyExists(
        parseApiError(
          400,
          shapeA("{'error': 'Team id = g already exists. Please use a different team id.'}"),
        ),
      ),
    ).toBe(true);
    expect(
      isAlreadyExists(
        parseApiError(
          409,
          shapeA("{'error': 'User with id u1 already exists'}", 'internal_server_error', '409'),
        ),
      ),
    ).toBe(true);
    expect(
      isAlreadyExists(
        parseApiError(400, shapeA("{'error': 'User with email a@b.c already exists'}")),
      ),
    ).toBe(true);
    expect(isAlreadyExists(parseApiError(400, shapeA('Organization not found')))).toBe(false);
    expect(isAlreadyExists(parseApiError(500, shapeA('already exists', 'x', '500')))).toBe(false);
  });

  it('isAlreadyInTeam: type team_member_already_in_team', () => {
    const body = shapeA(
      'All users are already in team. Existing members=[...]',
      'team_member_already_in_team',
    );
    expect(isAlreadyInTeam(parseApiError(400, body))).toBe(true);
    expect(
      isAlreadyInTeam(parseApiError(400, '{"detail":{"error":"Team not found for team_id=g"}}')),
    ).toBe(false);
  });

  it('isNotInTeam: 400 "User not found in team"', () => {
    expect(isNotInTeam(parseApiError(400, '{"detail":{"error":"User not found in team"}}'))).toBe(
      true,
    );
    expect(
      isNotInTeam(parseApiError(400, '{"detail":{"error":"Team id=g does not exist in db"}}')),
    ).toBe(false);
  });

  it('isNoKeysFound: 404 with the repr-wrapped message', () => {
    expect(
      isNoKeysFound(
        parseApiError(404, shapeA("{'error': 'No keys found'}", 'internal_server_error', '404')),
      ),
    ).toBe(true);
    expect(isNoKeysFound(parseApiError(400, shapeA("{'error': 'No keys found'}")))).toBe(false);
  });

  it('isEntityNotFound: a 404 about the entity, not an unknown route or an HTML page', () => {
    expect(
      isEntityNotFound(
        parseApiError(404, '{"detail":{"error":"User not found, passed user_id=u1"}}'),
      ),
    ).toBe(true);
    expect(
      isEntityNotFound(
        parseApiError(
          404,
          shapeA("{'message': 'Team not found, passed team id: g.'}", 'auth_error', '404'),
        ),
      ),
    ).toBe(true);
    expect(isEntityNotFound(parseApiError(404, '{"detail":"Not Found"}'))).toBe(false);
    expect(isEntityNotFound(parseApiError(404, '<html>404 Not Found</html>'))).toBe(false);
    expect(isEntityNotFound(parseApiError(400, '{"detail":{"error":"User not found"}}'))).toBe(
      false,
    );
  });
});
