import { createInterface } from 'node:readline/promises';
import { hashPassword } from './passwords';

/**
 * `npm run hash-password -- <name>`: reads a password from stdin and prints the `OPERATORS` entry for it, so
 * the configuration holds only its hash.
 */
const name = process.argv[2];
if (!name || !/^[\w.@-]{1,64}$/.test(name)) {
  console.error('usage: npm run hash-password -- <operator name>   (then type the password)');
  process.exit(2);
}
const lines = createInterface({ input: process.stdin, terminal: false });
const password = (await lines[Symbol.asyncIterator]().next()).value as string | undefined;
lines.close();
if (!password) {
  console.error('no password given on stdin');
  process.exit(2);
}
console.log(`${name}:${await hashPassword(password)}`);
