/** Store queries as plain functions `(db, params)`, a file per area. Tools, HTTP routes and ingestion call these. */
export * from './assets';
export * from './relations';
export * from './state';
export * from './readings';
export * from './alarms';
export * from './planning';
export * from './audit';
export * from './actions';
export * from './dead-letters';
export * from './keys';
