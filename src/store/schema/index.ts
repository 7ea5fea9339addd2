/** The store's tables, one file per aggregate. Import tables from here (`import { assets } from '../store/schema'`). */
export * from './twins';
export * from './assets';
export * from './relations';
export * from './readings';
export * from './alarms';
export * from './orders';
export * from './work-orders';
export * from './crews';
export * from './tariffs';
export * from './actions';
export * from './audit';
export * from './dead-letters';
export * from './commands';
export * from './api-keys';
export * from './evals';
export * from './threads';
