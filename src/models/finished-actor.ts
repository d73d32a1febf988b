/** Reading xstate's `xstate.done.actor.*` / `xstate.error.actor.*` events, which name the child. */
import type { EventObject } from 'xstate';

/** The id of the child a done or error event is about ('' for any other event). */
export function finishedActorId(event: EventObject): string {
  return 'actorId' in event && typeof event.actorId === 'string' ? event.actorId : '';
}
