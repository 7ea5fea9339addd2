/**
 * The offline model: deterministic, network-free, and the embedded default. See model.ts for how it reads a call.
 */
export { createOfflineModel, OfflineChatModel } from './model';
export { route, type RouteDecision } from './route';
export { linkText, type Links, type Catalog } from './link';
export { parseTimes, type TimeWindow } from './times';
export { intentOf, peopleCheck } from './intent';
