// `npm run gate -- --cluster prod --service orders-api`: the release gate from this repository.
import { gateMain } from '../../lib/addons/slo/gate-cli';

const args = process.argv.slice(2);
// `npm run gate -- gate ...` and `npm run gate -- ...` both work.
gateMain(args[0] === 'gate' ? args.slice(1) : args, process.env, (line) => console.log(line)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { console.error(e); process.exitCode = 2; },
);
