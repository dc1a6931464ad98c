/** A Durable Object's alarm as the Alarm port. */
import type { Alarm } from "../../src/ports/alarm.ts";

export function durableAlarm(storage: DurableObjectStorage): Alarm {
  let armed: number | null | undefined;
  return {
    async set(at) {
      if (at === armed) return;
      armed = at;
      if (at === null) await storage.deleteAlarm();
      else await storage.setAlarm(at);
    },
  };
}
