/**
 * Request bodies of the `/team/*` routes, field for field from LiteLLM's pydantic models
 * (`Member`, `NewTeamRequest`, `UpdateTeamRequest`, `TeamMemberAddRequest`,
 * `TeamMemberDeleteRequest`, `DeleteTeamRequest`). Unknown fields are ignored, as pydantic does.
 */
import type { z } from 'zod';

import { pydanticSchema } from '../validation/body.js';
import { isPlainObject, py } from '../validation/py-checks.js';

const { str, int, float, bool, dict, anything, list, literal, model, required, optional } = py;

/** `values.get(name) is None`: missing or null. */
function isNone(raw: Record<string, unknown>, name: string): boolean {
  return raw[name] === undefined || raw[name] === null;
}

/** `Member`: `role` is required, and one of `user_id` / `user_email` (a before-validator). */
export const memberCheck = model(
  {
    user_id: optional(str),
    user_email: optional(str),
    role: required(literal(['admin', 'user'] as const)),
  },
  raw => {
    if (!isPlainObject(raw)) {
      return 'input needs to be a dictionary';
    }
    return isNone(raw, 'user_id') && isNone(raw, 'user_email')
      ? 'Either user id or user email must be provided'
      : undefined;
  },
);

/** A validated member, before LiteLLM fills in missing ids. */
export type MemberRequest = {
  user_id: string | null | undefined;
  user_email: string | null | undefined;
  role: 'admin' | 'user';
};

/** `POST /team/new`. */
export const newTeamSchema = pydanticSchema(
  model({
    team_alias: optional(str),
    team_id: optional(str),
    organization_id: optional(str),
    admins: py.withDefault(list(anything), []),
    members: py.withDefault(list(anything), []),
    members_with_roles: py.withDefault(list(memberCheck), []),
    metadata: optional(dict),
    tpm_limit: optional(int),
    rpm_limit: optional(int),
    max_budget: optional(float),
    budget_duration: optional(str),
    models: py.withDefault(list(str), []),
    blocked: py.withDefault(bool, false),
    model_aliases: optional(dict),
    tags: optional(list(anything)),
    guardrails: optional(list(str)),
  }),
);
/** Parsed `/team/new` body. */
export type NewTeamRequest = z.infer<typeof newTeamSchema>;

/** `POST /team/update`: `team_id` is a required `str`, everything else `Optional[...] = None`. */
export const updateTeamSchema = pydanticSchema(
  model({
    team_id: required(str),
    team_alias: optional(str),
    organization_id: optional(str),
    metadata: optional(dict),
    tpm_limit: optional(int),
    rpm_limit: optional(int),
    max_budget: optional(float),
    models: optional(list(str)),
    blocked: optional(bool),
    budget_duration: optional(str),
    tags: optional(list(anything)),
    model_aliases: optional(dict),
    guardrails: optional(list(str)),
  }),
);
/** Parsed `/team/update` body. */
export type UpdateTeamRequest = z.infer<typeof updateTeamSchema>;

/** `POST /team/member_add`: `member` is `Union[List[Member], Member]` and required. */
export const memberAddSchema = pydanticSchema(
  model({
    member: required(
      py.union<MemberRequest | MemberRequest[]>([
        ['list[Member]', list(memberCheck)],
        ['Member', memberCheck],
      ]),
    ),
    team_id: required(str),
    max_budget_in_team: optional(float),
  }),
);

/** `POST /team/member_delete`: one of `user_id` / `user_email` (a before-validator). */
export const memberDeleteSchema = pydanticSchema(
  model(
    {
      user_id: optional(str),
      user_email: optional(str),
      team_id: required(str),
    },
    raw =>
      isPlainObject(raw) && isNone(raw, 'user_id') && isNone(raw, 'user_email')
        ? 'Either user id or user email must be provided'
        : undefined,
  ),
);

/** `POST /team/delete`. */
export const deleteTeamSchema = pydanticSchema(model({ team_ids: required(list(str)) }));
