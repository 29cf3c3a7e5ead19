import { synthServiceRepo } from '@example/platform-constructs';
import { checkout, environments } from './services';

const { files, exemptions } = synthServiceRepo({ environments, services: [checkout()] }, 'dist');
console.log(`wrote ${files.length} files`);
for (const e of exemptions) console.log(`policy exemption in force: ${e}`);
