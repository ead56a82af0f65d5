import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';

/**
 * What a summary table shows changes with the reports of a period, and a period's own dates and labels; a server
 * that keeps a finished answer must learn with one cheap read whether it still holds. So the database keeps:
 *
 * - `report_revisions`: one counter per period and unit, bumped by the database on every write to that unit's
 *   reports of that period and their versions. Counters only grow, so the sum of a set of them changes whenever any
 *   of them does; one counter per unit rather than per period keeps concurrent submissions of different units from
 *   waiting on one row's lock.
 * - periods join the structure (0006): adding a period, or changing its dates, label or 序时进度, bumps the
 *   structure revision, since every table and tree of the plan names its periods.
 *
 * Triggers, as in 0006, so that no write path, present or future, can forget to bump them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_revisions')
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull())
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_revisions_pk', ['period_id', 'organisation_id'])
    .execute();
  // a unit's counters across a plan's periods, for the reads scoped to one unit
  await db.schema.createIndex('report_revisions_unit_idx').on('report_revisions').columns(['organisation_id', 'period_id']).execute();
  // the counters of the reports already there, so that the first bump of each differs from every earlier state
  await sql`
    insert into report_revisions (period_id, organisation_id, revision)
    select period_id, organisation_id, 1 from reports group by period_id, organisation_id`.execute(db);

  // the one statement every trigger runs: from a SELECT (with its WHERE, which SQLite needs before ON CONFLICT)
  const bumpFrom = (select: string) => `
    insert into report_revisions (period_id, organisation_id, revision) ${select}
    on conflict (period_id, organisation_id) do update set revision = report_revisions.revision + 1`;
  const bumpNew = bumpFrom('select new.period_id, new.organisation_id, 1 where true');
  const bumpOld = bumpFrom('select old.period_id, old.organisation_id, 1 where true');
  const bumpOldIfMoved = bumpFrom(
    'select old.period_id, old.organisation_id, 1 where old.period_id <> new.period_id or old.organisation_id <> new.organisation_id',
  );
  const bumpOfVersion = bumpFrom('select r.period_id, r.organisation_id, 1 from reports r where r.id = new.report_id');

  if (isPostgres(db)) {
    await sql
      .raw(
        `create function report_revision_bump() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then ${bumpNew};
          elsif tg_op = 'UPDATE' then ${bumpNew}; ${bumpOldIfMoved};
          else ${bumpOld};
          end if;
          return null;
        end
        $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create function report_version_revision_bump() returns trigger language plpgsql as $$
        begin
          ${bumpOfVersion};
          return null;
        end
        $$`,
      )
      .execute(db);
    // emptying the reports at once changes every counter
    await sql`
      create function report_revisions_bump_all() returns trigger language plpgsql as $$
      begin
        update report_revisions set revision = revision + 1;
        return null;
      end
      $$`.execute(db);
    const triggers = [
      'reports_report_revision after insert or update or delete on reports for each row execute function report_revision_bump()',
      'report_versions_report_revision after insert on report_versions for each row execute function report_version_revision_bump()',
      'reports_report_revision_truncate after truncate on reports for each statement execute function report_revisions_bump_all()',
      'periods_structure_revision after insert or update or delete on periods for each statement execute function structure_revision_bump()',
      'periods_structure_revision_truncate after truncate on periods for each statement execute function structure_revision_bump()',
    ];
    for (const trigger of triggers) await sql.raw(`create trigger ${trigger}`).execute(db);
  } else {
    const triggers = [
      `reports_report_revision_insert after insert on reports begin ${bumpNew}; end`,
      `reports_report_revision_update after update on reports begin ${bumpNew}; ${bumpOldIfMoved}; end`,
      `reports_report_revision_delete after delete on reports begin ${bumpOld}; end`,
      `report_versions_report_revision_insert after insert on report_versions begin ${bumpOfVersion}; end`,
      ...['insert', 'update', 'delete'].map(
        (event) =>
          `periods_structure_revision_${event} after ${event} on periods begin update structure_revision set revision = revision + 1 where id = 1; end`,
      ),
    ];
    for (const trigger of triggers) await sql.raw(`create trigger ${trigger}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const trigger of [
      'reports_report_revision on reports',
      'reports_report_revision_truncate on reports',
      'report_versions_report_revision on report_versions',
    ]) {
      await sql.raw(`drop trigger ${trigger}`).execute(db);
    }
    await sql`drop trigger periods_structure_revision on periods`.execute(db);
    await sql`drop trigger periods_structure_revision_truncate on periods`.execute(db);
    for (const fn of ['report_revision_bump', 'report_version_revision_bump', 'report_revisions_bump_all']) {
      await sql.raw(`drop function ${fn}()`).execute(db);
    }
  } else {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger reports_report_revision_${event}`).execute(db);
      await sql.raw(`drop trigger periods_structure_revision_${event}`).execute(db);
    }
    await sql`drop trigger report_versions_report_revision_insert`.execute(db);
  }
  await db.schema.dropTable('report_revisions').execute();
}
