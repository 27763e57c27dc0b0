import { availableParallelism } from "node:os";
import { Piscina } from "piscina";

/** Too many password checks waiting: the answer is "try again shortly", not an ever longer queue. */
export class PasswordWorkBusy extends Error {}

/**
 * bcrypt off the event loop: a few worker threads (one core is left for page views) with a bounded
 * queue, so a flood of sign-ins slows sign-ins, not every page.
 */
const pool = new Piscina({
  filename: new URL("./bcrypt-worker.mjs", import.meta.url).href,
  minThreads: 0,
  maxThreads: Math.max(1, availableParallelism() - 1),
  maxQueue: 64,
  idleTimeout: 30_000,
});

async function run<T>(task: object, name: "hash" | "compare"): Promise<T> {
  try {
    return (await pool.run(task, { name })) as T;
  } catch (error) {
    if (pool.queueSize >= pool.options.maxQueue) throw new PasswordWorkBusy();
    throw error;
  }
}

export const hashInWorker = (password: string, cost: number) => run<string>({ password, cost }, "hash");
export const compareInWorker = (password: string, hash: string) => run<boolean>({ password, hash }, "compare");

/** Stops the threads (on shutdown). */
export const closePasswordWorkers = () => pool.close();
