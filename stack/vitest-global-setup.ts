import { down, up } from './stack';
import { stackHome } from './stack-home';

/**
 * Brings the local stack up before integration and e2e tests, and afterwards stops only the services this
 * run started: a stack a developer already had running is left as it was.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const home = stackHome();
  const outcomes = await up(home, { progress: (service, line) => console.log(`[stack:${service}] ${line}`) });
  const started = Object.entries(outcomes)
    .filter(([, outcome]) => outcome !== 'already running')
    .map(([service]) => service as keyof typeof outcomes);
  return async () => {
    if (started.length > 0 && process.env.KEEP_STACK !== 'true') await down(home, { services: started });
  };
}
