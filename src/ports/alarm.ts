/** An object's single timer (a Durable Object alarm): armed for one moment, or none. */
export interface Alarm {
  set(at: number | null): Promise<void>;
}
