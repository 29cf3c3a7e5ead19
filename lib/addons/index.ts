export * from './edge';
export * from './monitoring';
