// A cap on the requests in flight to one server. Small enough to keep here: the package depends on
// @pulumi/pulumi, got and zod only, so users install nothing else.

/** Runs at most `max` of the functions given to it at once, the others in the order they came. */
export function inFlightLimit(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        Promise.resolve().then(fn).then(resolve, reject).finally(release);
      };
      if (running < max) start();
      else waiting.push(start);
    });
}
