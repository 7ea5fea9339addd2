/** Energy tariffs: time-of-use bands and a demand charge. */
import { doublePrecision, integer, jsonb, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
import { twins } from './twins';

export interface StoredTariffBand {
  from?: string;
  to?: string;
  days?: 'all' | 'weekdays' | 'weekends';
  default?: boolean;
  price_per_kwh: number;
}

export const tariffs = pgTable(
  'tariffs',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    currency: text('currency').notNull(),
    energy: jsonb('energy').$type<StoredTariffBand[]>().notNull(),
    demandChargePerKwMonth: doublePrecision('demand_charge_per_kw_month'),
    demandWindowMinutes: integer('demand_window_minutes').notNull().default(15),
    /** Asset key of the meter the tariff bills. */
    meter: text('meter'),
  },
  (t) => [unique('tariffs_twin_key').on(t.twinId, t.key)],
);
