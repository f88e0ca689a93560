import { putRunbookEvent } from './commands/request.ts';
import { revoke } from './commands/revoke.ts';
import { sessions } from './commands/sessions.ts';
import type { CliDeps } from './deps.ts';
import { AwsSetupError, EXIT, type ExitCode, UsageError } from './exit-codes.ts';
import { json } from './format.ts';
import { COMMAND_HELP, GLOBAL_HELP } from './help.ts';
import { type Command, parseCommandLine } from './options.ts';

/**
 * The CLI as a function: parse and validate everything, then run one command; every failure becomes an
 * exit code and a message on stderr (and, with --json, an `{ "error" }` document on stdout).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const wantsJson = argv.includes('--json');
  const fail = (code: ExitCode, kind: string, message: string, hint = '') => {
    deps.stderr(`client-vpn-revoker: ${message}\n${hint}`);
    if (wantsJson) deps.stdout(json({ error: { kind, exitCode: code, message } }));
    return code;
  };
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const topic = argv[0] && argv[0] in COMMAND_HELP ? argv[0] : undefined;
    return fail(
      EXIT.badInput,
      'bad-input',
      error.message,
      `Try 'client-vpn-revoker ${topic ? `${topic} ` : ''}--help'.\n`,
    );
  }
  try {
    switch (command.name) {
      case 'help':
        deps.stdout(command.topic ? COMMAND_HELP[command.topic] : GLOBAL_HELP);
        return EXIT.done;
      case 'revoke':
        return await revoke(command, deps);
      case 'sessions':
        return await sessions(command, deps);
      case 'request':
      case 'lift':
        return await putRunbookEvent(command, deps);
    }
  } catch (error) {
    if (error instanceof AwsSetupError) return fail(EXIT.noAwsSetup, 'no-aws-setup', error.message);
    if (error instanceof UsageError) return fail(EXIT.badInput, 'bad-input', error.message);
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fail(EXIT.unexpected, 'unexpected', `unexpected error: ${message}`);
  }
}
