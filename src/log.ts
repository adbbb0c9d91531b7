import { pino } from 'pino';

/** The structured logger every component receives (pino's interface). */
export type Logger = pino.Logger;

/** Field paths whose values must never reach a log line. */
const redactPaths = [
  'masterKey',
  'apiKey',
  'token',
  'secret',
  'password',
  'authorization',
  '*.masterKey',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  'headers.authorization',
];

/**
 * Creates the root logger. JSON lines on stderr (stdout belongs to command output such as
 * `plan --json`); `level` follows `LOG_LEVEL`.
 */
export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    { level: options.level, redact: { paths: redactPaths, censor: '[redacted]' }, base: undefined },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
