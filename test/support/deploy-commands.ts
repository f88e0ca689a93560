import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** What the docs' placeholders stand for, so their commands can be synthesized as written. */
const PLACEHOLDERS: Record<string, string> = {
  '<org>/<name>': 'example-org/client-vpn-revoker',
  '<MemberAccountTrustedRoleArns>':
    'arn:aws:iam::111122223333:role/ClientVpnRevoker-RevokerRole,arn:aws:iam::111122223333:role/ClientVpnRevoker-SweeperRole',
};

/** Every `npx cdk deploy` command in the shell blocks of the README and docs/, continuation lines joined. */
export function deployCommands(): { file: string; command: string }[] {
  const files = ['README.md', 'docs/configuration.md', 'docs/operations.md', 'docs/incident-response.md'];
  return files.flatMap((file) =>
    [...read(`../../${file}`).matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].flatMap(([, block]) =>
      (block ?? '')
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('npx cdk deploy'))
        .map((command) => ({ file, command })),
    ),
  );
}

/** The stack names and `-c key=value` context of a deploy command, placeholders filled in. */
export function parseDeploy(command: string) {
  let filled = command;
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS))
    filled = filled.replaceAll(placeholder, value);
  expect(filled, 'a placeholder PLACEHOLDERS does not know').not.toMatch(/<[^>]+>/);
  const words = filled.split(/\s+/).slice(3);
  const context: Record<string, string> = {};
  const stacks: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '-c') {
      const [key = '', ...value] = (words[++i] ?? '').split('=');
      context[key] = value.join('=');
    } else if (!word.startsWith('-')) stacks.push(word);
  }
  return { stacks, context };
}
