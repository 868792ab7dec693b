// Benchmarks (not tests): each prints its figures; nothing here asserts timings.
import { runStackScaleBench } from "./stack-scale.bench.js";
import { runTaskWaitBench } from "./task-wait.bench.js";

async function main(): Promise<void> {
  console.log(`pulumi-srm benchmarks, node ${process.version}, ${new Date().toISOString()}`);
  await runTaskWaitBench();
  await runStackScaleBench();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
