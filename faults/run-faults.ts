import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/app-config';
import { StackError } from '../stack/service';
import { runFaultSuite } from './fault-suite';
import { parseFaultSuiteOptions, USAGE } from './options';
import { formatReport } from './report';

/** `npm run faults`: exit code 0 when every invariant held, 1 when one broke, 2 when the suite could not run. */
async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseFaultSuiteOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const result = await runFaultSuite(options, (line) => console.log(line));
  console.log(formatReport(result));
  mkdirSync(path.dirname(options.jsonFile), { recursive: true });
  writeFileSync(options.jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`result: ${path.relative(process.cwd(), options.jsonFile)}`);
  return result.passed ? 0 : 1;
}

// A reader that went away (a closed pipe) must not end the run halfway and leave the shop's processes behind.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof StackError || error instanceof ConfigError ? error.message : error);
    process.exit(2);
  },
);
