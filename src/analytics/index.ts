/**
 * Twinpilot analytics: pure functions over arrays that the experts' tools cite as evidence. Nothing here touches a
 * database or imports the rest of the project. Bad input throws AnalyticsInputError (code + every problem listed).
 *
 * - anomaly: AnomalyDetector (streaming, per stream), scoreAnomalies (a whole series)
 * - health: healthIndex (0–100 with contributions)
 * - trend: remainingLife (Theil–Sen after a change point; time to alarm with interval), theilSen, slopeChangePoint
 * - forecast: forecast (Holt–Winters with a daily season, intervals)
 * - production: simulateProduction (discrete-event, scenarios), replicate (intervals over seeds)
 * - maintenance: recommendMaintenanceWindows (ranked windows before the predicted alarm)
 * - energy: energyCost (time-of-use + demand charge), loadShiftSaving (EUR/month of moving a load), periodAt
 */
export { AnalyticsInputError, type AnalyticsErrorCode, type AnalyticsProblem } from './errors';
export { checkSeries, type Series, DAY, HOUR, MINUTE } from './series';
export { AnomalyDetector, scoreAnomalies, type AnomalyDetectorOptions, type AnomalyCause } from './anomaly';
export { healthIndex, type HealthInput, type HealthProperty, type HealthResult, type HealthContribution, type OpenAlarm, type Zone } from './health';
export { remainingLife, theilSen, slopeChangePoint, bucketMedians, type RulOptions, type RulResult, type TrendLine } from './trend';
export { forecast, type ForecastOptions, type ForecastPoint, type ForecastResult } from './forecast';
export { simulateProduction, seededRandom } from './production';
export { replicate, type ReplicationResult, type OrderSpread } from './replications';
export type * from './production-types';
export { expandShifts, type CrewInterval } from './production-calendar';
export { energyCost, loadShiftSaving, periodAt, type Tariff, type TariffPeriod, type EnergyCost, type LoadShift, type ShiftSaving } from './energy';
export { recommendMaintenanceWindows, type MaintenanceRequest, type MaintenanceWindow, type MaintenanceRecommendation } from './maintenance';
