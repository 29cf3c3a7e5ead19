// `npm run graph -- --cluster prod`: the cluster's charts, workloads, Services, routes and network
// allows as SVG (Graphviz dot), to dist/<cluster>/graph.svg or --out. Reads what `npm run synth` wrote.
import { graphMain } from '../../lib/synth/review';

process.exitCode = graphMain(process.argv.slice(2), { print: (t) => process.stdout.write(t), error: (t) => console.error(t) });
