import { down, up } from './stack';
import { stackHome } from './stack-home';
import { registerNamespaces } from './temporal';
import { TEST_NAMESPACES } from './testing/test-namespaces';

/**
 * Brings the local stack up before integration and e2e tests, and afterwards stops only the services this
 * run started: a stack a developer already had running is left as it was. Registers the tests' own Temporal
 * namespaces too.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const home = stackHome();
  const outcomes = await up(home, { progress: (service, line) => console.log(`[stack:${service}] ${line}`) });
  const started = Object.entries(outcomes)
    .filter(([, outcome]) => outcome !== 'already running')
    .map(([service]) => service as keyof typeof outcomes);
  await registerNamespaces(home, Object.values(TEST_NAMESPACES));
  return async () => {
    if (started.length > 0 && process.env.KEEP_STACK !== 'true') await down(home, { services: started });
  };
}
