import { synthServiceRepo } from 'platform-constructs';
import { checkout, environments } from './services';

const files = synthServiceRepo({ environments, services: [checkout()] }, 'dist');
console.log(`wrote ${files.length} files`);
