// The Pulumi program's entry point (Pulumi.yaml `main: stacks/index.ts`): the stack's name picks the
// cluster definition — or the bootstrap stack — and its outputs are the stack outputs.
import * as pulumi from '@pulumi/pulumi';
import { clusters, environments } from '../clusters';
import { runProgram } from './program';

export = (): object => runProgram(pulumi.getStack(), clusters, environments);
