/**
 * Emulated time. It starts at the wall clock and runs `timeScale` times faster than it; `advance()` jumps it
 * forward. Everything time-based in the emulator (token-bucket refill, terminating → terminated, the 60-minute
 * retention of terminated connections, timestamps on the wire) reads this clock, so one factor speeds it all up.
 */
export class Clock {
  readonly #timeScale: number;
  #realStart = Date.now();
  #emulatedStart = this.#realStart;
  #offsetMs = 0;

  constructor(timeScale = 1) {
    if (!(Number.isFinite(timeScale) && timeScale > 0)) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.#timeScale = timeScale;
  }

  get timeScale(): number {
    return this.#timeScale;
  }

  /** Emulated milliseconds since the epoch. */
  now(): number {
    return this.#emulatedStart + (Date.now() - this.#realStart) * this.#timeScale + this.#offsetMs;
  }

  /** Moves emulated time forward by `ms` (e.g. past the 60-minute retention of terminated connections). */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new RangeError(`advance() needs a non-negative number, got ${ms}`);
    this.#offsetMs += ms;
  }

  /** Restarts emulated time at the wall clock. */
  reset(): void {
    this.#realStart = Date.now();
    this.#emulatedStart = this.#realStart;
    this.#offsetMs = 0;
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the format of Client VPN connection times. */
export const formatConnectionTime = (ms: number): string =>
  new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** `YYYY-MM-DDTHH:MM:SS` in UTC, the format of Client VPN endpoint creation and deletion times. */
export const formatEndpointTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
