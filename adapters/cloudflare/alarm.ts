/** A Durable Object's alarm as the Alarm port. */
import type { Alarm } from "../../src/ports/alarm.ts";

export function durableAlarm(storage: DurableObjectStorage): Alarm {
  let armed: number | null | undefined;
  return {
    async set(at) {
      if (at === armed) return;
      armed = at;
      if (at === null) await storage.deleteAlarm();
      // "Due already" means now; workerd refuses a time that is not in the future.
      else await storage.setAlarm(Math.max(at, Date.now() + 1));
    },
  };
}
