// `npm run plan -- --stack <name>`: the offline plan of one stack, printed.
import { clusters, environments } from '../clusters';
import { PlatformError } from '../lib';
import { formatPlan, planStack } from './plan';

async function main(argv: readonly string[]): Promise<number> {
  const i = argv.indexOf('--stack');
  const stack = i >= 0 ? argv[i + 1] : undefined;
  if (stack === undefined) {
    console.error('usage: npm run plan -- --stack <bootstrap|prod|stage|admin|e2e>');
    return 2;
  }
  const started = process.hrtime.bigint();
  try {
    const plan = await planStack({ stack, clusters, environments });
    console.log(formatPlan(plan));
    console.log(`\nplanned in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s`);
    return 0;
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    console.error(`plan of stack ${stack} failed:\n${e.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
