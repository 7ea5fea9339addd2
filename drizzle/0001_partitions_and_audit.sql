-- Custom migration (hand-written): daily partitions of readings, the append-only audit trigger, and rollup rebuilds.
-- Objects are created unqualified, so they land in the schema the store migrates (search_path); see src/store/migrate.ts.

-- Anything outside the daily partitions lands here, so an insert is never refused for lack of a partition.
CREATE TABLE IF NOT EXISTS "readings_default" PARTITION OF "readings" DEFAULT;
--> statement-breakpoint
-- Creates the UTC-day partitions readings_pYYYYMMDD covering [from_day, to_day]; returns how many it created.
-- Rows that already sit in the default partition for a new day are moved into it, so creating a partition late
-- (after a backfill) still works.
CREATE OR REPLACE FUNCTION readings_ensure_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  parent regclass := to_regclass('readings');
  nsp text;
  d date;
  part text;
  lo timestamptz;
  hi timestamptz;
  created integer := 0;
BEGIN
  IF parent IS NULL THEN
    RAISE EXCEPTION 'table readings not found on search_path';
  END IF;
  SELECT n.nspname INTO nsp FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
  d := from_day;
  WHILE d <= to_day LOOP
    part := 'readings_p' || to_char(d, 'YYYYMMDD');
    IF to_regclass(format('%I.%I', nsp, part)) IS NULL THEN
      lo := (d::timestamp AT TIME ZONE 'UTC');
      hi := ((d + 1)::timestamp AT TIME ZONE 'UTC');
      PERFORM pg_advisory_xact_lock(hashtext(nsp || '.' || part));
      IF to_regclass(format('%I.%I', nsp, part)) IS NULL THEN
        IF EXISTS (SELECT 1 FROM readings_default WHERE ts >= lo AND ts < hi) THEN
          EXECUTE format('CREATE TABLE %I.%I (LIKE %I.readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', nsp, part, nsp);
          EXECUTE format('WITH moved AS (DELETE FROM %I.readings_default WHERE ts >= $1 AND ts < $2 RETURNING *) INSERT INTO %I.%I SELECT * FROM moved', nsp, nsp, part) USING lo, hi;
          EXECUTE format('ALTER TABLE %I.readings ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)', nsp, nsp, part, lo, hi);
        ELSE
          EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.readings FOR VALUES FROM (%L) TO (%L)', nsp, part, nsp, lo, hi);
        END IF;
        created := created + 1;
      END IF;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END;
$$;
--> statement-breakpoint
SELECT readings_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 8, (now() AT TIME ZONE 'UTC')::date + 7);
--> statement-breakpoint
-- Recomputes the per-minute rollups of [from_ts, to_ts) from the raw readings (for bulk loads that bypass the
-- store's writer, which keeps rollups current in the same statement). Returns the number of rollup rows written.
CREATE OR REPLACE FUNCTION rollups_rebuild(from_ts timestamptz, to_ts timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  DELETE FROM rollups_1m WHERE minute >= date_trunc('minute', from_ts) AND minute < to_ts;
  INSERT INTO rollups_1m (twin_id, asset_id, property, minute, min, max, sum, count, last, last_ts)
  SELECT twin_id, asset_id, property, date_bin('1 minute', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS minute,
         min(value), max(value), sum(value), count(*)::integer,
         (array_agg(value ORDER BY ts DESC))[1], max(ts)
    FROM readings
   WHERE ts >= date_trunc('minute', from_ts) AND ts < to_ts
   GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;
--> statement-breakpoint
-- The audit trail is append-only: the database refuses UPDATE, DELETE and TRUNCATE whatever the application does.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
