import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSummaryTable } from '../../../../test/factories/summary-table.js';
import { buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { writeSummaryDocument } from '../../../documents/index.js';
import { createServiceContext } from '../../../services/context.js';
import { importSummaryTable } from '../../../services/import.js';

interface Period {
  code: string;
  dueOn: string | null;
  dueSetByHand: boolean;
  inSchedule: boolean;
  dueOnDayOff: boolean;
  dueDayOffReason: string | null;
  phase: string;
  phaseLabel: string;
}
interface Schedule {
  scheduled: boolean;
  kinds: { kind: string }[];
  periods: Period[];
}

describeEachDatabase('the schedule of a plan', (database) => {
  // early in the year after the plan's: its periods are over, the fourth quarter's and the year's reports not yet due
  const clock = new Date('2031-01-05T02:00:00Z');
  let app: FastifyInstance;
  let office: Session;
  let reporter: Session;
  let planId = 0;
  const schedule = async (session: Session = office): Promise<Schedule> =>
    (await session.inject({ method: 'GET', url: `/api/plans/${planId}/schedule` })).json();
  const period = (view: Schedule, code: string) => view.periods.find((entry) => entry.code === code)!;

  beforeAll(async () => {
    const db = database().db;
    await importSummaryTable(
      createServiceContext(db),
      { id: 'test', source: 'test' },
      { bytes: await writeSummaryDocument(buildSummaryTable(), 'json'), fileName: 'plan.json' },
    );
    planId = (await db.selectFrom('plans').select('id').executeTakeFirstOrThrow()).id;
    app = await buildTestApp(db, { now: () => clock });
    office = await signInAs(app, db, 'supervisor');
    reporter = await signInAs(app, db, 'unit_reporter', '市水务局');
  });
  afterAll(async () => {
    await app.close();
  });

  it('before a schedule is set, says so, and its 全年 period without a due date has not closed', async () => {
    for (const view of [await schedule(), await schedule(reporter)]) {
      expect(view.scheduled).toBe(false);
      expect(view.kinds).toEqual([]);
      expect(view.periods).toEqual([
        expect.objectContaining({
          code: '2030-Y',
          dueOn: null,
          inSchedule: false,
          dueOnDayOff: false,
          dueDayOffReason: null,
          phase: 'no_due_date',
          phaseLabel: '截止日期未定',
        }),
      ]);
    }
  });

  it('marks a due date set by hand on a day off: a holiday by its name, a weekend day not worked by its weekday', async () => {
    const calendar = await office.inject({
      method: 'PUT',
      url: '/api/calendar/2030',
      payload: {
        days: [
          ...['2030-10-01', '2030-10-02', '2030-10-03', '2030-10-04', '2030-10-05', '2030-10-06', '2030-10-07'].map((day) => ({
            day,
            kind: 'holiday',
            name: '国庆节',
          })),
          { day: '2030-10-12', kind: 'workday', name: '国庆节调休' },
        ],
      },
    });
    expect(calendar.statusCode).toBe(200);
    const set = await office.inject({
      method: 'PUT',
      url: `/api/plans/${planId}/schedule`,
      payload: { kinds: [{ kind: 'quarter' }, { kind: 'year' }] },
    });
    expect(set.statusCode).toBe(200);
    const scheduled: Schedule = set.json();
    expect(scheduled.scheduled).toBe(true);
    // the rules move their dates off days off
    expect(scheduled.periods.every((entry) => entry.inSchedule && entry.dueOn !== null && !entry.dueOnDayOff)).toBe(true);

    const patch = async (code: string, dueOn: string) => {
      const response = await office.inject({ method: 'PATCH', url: `/api/plans/${planId}/periods/${code}`, payload: { dueOn } });
      expect(response.statusCode).toBe(200);
      return period(response.json(), code);
    };
    expect(await patch('2030-Q3', '2030-10-03')).toMatchObject({
      dueOn: '2030-10-03',
      dueSetByHand: true,
      dueOnDayOff: true,
      dueDayOffReason: '国庆节',
    });
    expect(await patch('2030-Q2', '2030-07-14')).toMatchObject({ dueOnDayOff: true, dueDayOffReason: '周日' });
    // a Saturday worked in exchange for the holiday is a working day
    expect(await patch('2030-Q1', '2030-10-12')).toMatchObject({ dueOnDayOff: false, dueDayOffReason: null });
    // the marks are read by everyone, not only in the answer to the change
    expect(period(await schedule(reporter), '2030-Q3')).toMatchObject({ dueOnDayOff: true, dueDayOffReason: '国庆节' });
  });

  it('tells where each period stands today', async () => {
    const view = await schedule();
    expect(period(view, '2030-Q3').phase).toBe('closed');
    expect(period(view, '2030-Q4')).toMatchObject({ phase: 'reporting', phaseLabel: '报送中' });
    expect(period(view, '2030-Y').phase).toBe('reporting');
  });
});
