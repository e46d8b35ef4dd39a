/**
 * KO #1 for Meta: replays a lead whose webhook never came or whose event was given up after its
 * retry window (an expired token, Graph down for days). Through runAction: the lock, a French
 * answer, never an exception.
 */
import { EVENTS } from '../domain/schema';
import { done, refused, type ActionResult } from '../shared/types';
import { runAction, textArg } from './actions';
import { applyOnce, findEvent, GIVEN_UP, isDone } from './journal';
import { processLeadgen } from './intake';
import { FR } from '../ui/strings.fr';

/** Given-up Meta leads replayed per call without an id (each costs a Graph call). */
const REPLAY_ALL_MAX = 50;

/**
 * One Meta lead by its leadgen id (fetched from Graph, then recorded and texted once), or, with no
 * id, every Meta lead given up after its retry window (at most 50 a call). A lead already recorded
 * is never recorded twice.
 */
export function replayMetaLead(leadgenId?: unknown): ActionResult<{ status: string; replayed?: number; failed?: number }> {
  const id = textArg(leadgenId, 40);
  if (id !== '' && !/^\d{1,25}$/.test(id)) return refused(FR.metaActions.badLeadgenId, 'leadgenId');
  return runAction((ctx) => {
    if (id === '') {
      const events = ctx.table(EVENTS);
      const rows = events.findRowsMatching('last_error', `${GIVEN_UP}.*`);
      const given = events.readRowsAt(rows).filter((e) => e.source === 'facebook' && !isDone(e));
      let replayed = 0;
      let failed = 0;
      for (const event of given.slice(0, REPLAY_ALL_MAX)) {
        const result = applyOnce(ctx, { source: 'facebook', eventId: event.event_id, type: 'leadgen', payload: '' }, 'replay', () => processLeadgen(ctx, event.event_id));
        if (result.status === 'failed') failed++;
        else replayed++;
      }
      return done(FR.metaActions.replayedAll(replayed, failed, given.length - replayed - failed), { status: failed ? 'failed' : 'processed', replayed, failed });
    }
    const known = findEvent(ctx, 'facebook', id);
    if (known && isDone(known)) return done(FR.metaActions.alreadyDone(known.status), { status: known.status });
    const result = applyOnce(ctx, { source: 'facebook', eventId: id, type: 'leadgen', payload: '' }, 'replay', () => processLeadgen(ctx, id));
    if (result.status === 'failed') return refused(FR.metaActions.notApplied(ctx.redact(result.reason ?? '')), 'leadgenId');
    return result.status === 'ignored' ? done(FR.metaActions.notApplied(result.reason ?? ''), { status: result.status }) : done(FR.metaActions.applied, { status: result.status });
  });
}
