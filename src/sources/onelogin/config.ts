/**
 * Configuration of the `onelogin` source. Every field also accepts the environment's string
 * form, so `config/sources.ts` can hand the `ONELOGIN_*` variables over as read.
 */
import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import { blankToUndefined, isHttpUrl } from '../config-values.js';

/**
 * OneLogin user `status` codes whose holders may use LiteLLM: 1 Active, 4 Password expired,
 * 5 Awaiting password reset, 7 Password pending, 8 Security questions required — people in good
 * standing who may not be able to sign in right now. 0 Unactivated, 2 Suspended and 3 Locked
 * are inactive. (Codes per a secondary source, idp-apis.md §H, UNVERIFIED against OneLogin.)
 */
export const defaultActiveStatuses = [1, 4, 5, 7, 8] as const;

const requiredText = (what: string) =>
  z.preprocess(blankToUndefined, z.string(`not set (${what})`).trim().min(1));

/** Configuration of one `onelogin` source. */
export const oneloginSourceConfigSchema = z
  .object({
    /** `https://<subdomain>.onelogin.com` (or `https://api.<region>.onelogin.com`, or a simulator). */
    baseUrl: z.preprocess(
      blankToUndefined,
      z
        .string('not set (the OneLogin API URL, e.g. https://example.onelogin.com)')
        .trim()
        .refine(isHttpUrl, 'expected the OneLogin API URL, e.g. https://example.onelogin.com')
        .transform(value => value.replace(/\/+$/, '')),
    ),
    /** API credential client id (Developers → API Credentials, "Read users" or higher). */
    clientId: requiredText('the client id of a OneLogin API credential'),
    /** That credential's client secret (secret). */
    clientSecret: requiredText('the client secret of that credential'),
    scope: scopeConfigSchema,
    /** Which `status` codes count as active. @defaultValue {@link defaultActiveStatuses} */
    activeStatuses: z.preprocess(
      value =>
        typeof value === 'string'
          ? value
              .split(',')
              .map(part => part.trim())
              .filter(part => part !== '')
          : value,
      z
        .array(z.coerce.number().int().min(0, 'expected status codes such as 1,4,5'))
        .min(1, 'expected at least one status code')
        .default([...defaultActiveStatuses]),
    ),
    /** Share of the account's hourly API budget (5,000 calls) this worker may use. @defaultValue 0.5 */
    rateLimitShare: z.preprocess(
      blankToUndefined,
      z.coerce
        .number('expected a number between 0 and 1, e.g. 0.5')
        .gt(0, 'expected a share above 0')
        .max(1, 'expected a share of at most 1')
        .default(0.5),
    ),
    /** An incremental run older than this since the last full read does a full read. */
    fullResyncHours: z.preprocess(
      blankToUndefined,
      z.coerce.number('expected a number of hours').gt(0).default(24),
    ),
    /** Role member lists read in parallel. @defaultValue 4 */
    concurrency: z.coerce.number().int().min(1).max(16).default(4),
    /** Timeout of one HTTP exchange. @defaultValue 30000 */
    requestTimeoutMs: z.coerce.number().int().min(1).default(30_000),
  })
  .superRefine((config, context) => {
    if (isScopeConfigEmpty(config.scope)) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'no role selected: set ids, namePrefix or nameRegex, or set all to true',
      });
    }
  });

/** The validated configuration of one `onelogin` source. */
export type OneLoginSourceConfig = z.infer<typeof oneloginSourceConfigSchema>;

/** What a caller may pass before defaults (tests, config files). */
export type OneLoginSourceConfigInput = z.input<typeof oneloginSourceConfigSchema>;
