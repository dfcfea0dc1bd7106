// Work done a few pieces at a time (child processes on a two-core machine).

/** Runs `tasks` with at most `limit` of them at a time; results in the order given. */
export async function inPool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/** A piece of work that may give more work (a step's reference run gives its kills). */
export type Task = () => Promise<Task[] | void>;

/** Runs tasks `limit` at a time; the work a task gives is done next. Rejects with the first failure. */
export function drain(limit: number, first: Task[]): Promise<void> {
  const queue = [...first];
  let running = 0;
  return new Promise((done, fail) => {
    const pump = () => {
      if (queue.length === 0 && running === 0) return done();
      while (running < limit && queue.length > 0) {
        const task = queue.shift()!;
        running++;
        task().then((more) => {
          running--;
          if (more) queue.unshift(...more);
          pump();
        }, fail);
      }
    };
    pump();
  });
}
