import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, pathsOf, SrmCaller, type TaskBody } from "./https-client.js";

interface ListBody<T> {
  list: T[];
  _meta: { total: number; offset: number; limit: number; links: Record<string, { href: string }> };
}

describe("simulator: filter_property and filter on lists", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  const spec = { name: "f", content: "c", callout_type: "PROMPT", timeout_seconds: 0, position: 0 };
  beforeEach(async () => {
    sim = await startSimulator({ taskQueuedMs: 0, taskDurationMs: 10 });
    caller = await new SrmCaller(sim).login();
  });
  afterEach(async () => {
    await sim.close();
  });

  const startTasks = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const answer = await caller.request("POST", pathsOf(sim).steps("Tier1-Apps", "recovery"), {
        body: { ...spec, name: `f${i}` },
      });
      expect(answer.status).to.equal(202);
      ids.push((answer.json as TaskBody).id);
    }
    return ids;
  };

  it("GET /tasks answers only the tasks whose id is one of the filter values", async () => {
    const ids = await startTasks(5);
    const query = `filter_property=id&filter=${ids[1]}&filter=${ids[3]}&filter=no-such-task`;
    const answer = await caller.get<ListBody<TaskBody>>(`/tasks?${query}`);
    expect(answer.status).to.equal(200);
    expect(answer.json.list.map((t) => t.id)).to.have.members([ids[1], ids[3]]);
    expect(answer.json._meta.total).to.equal(2);
    // Paging applies to the matches, and the links keep the filter.
    const paged = await caller.get<ListBody<TaskBody>>(`/tasks?${query}&limit=1&offset=0`);
    expect(paged.json.list).to.have.length(1);
    expect(paged.json._meta.links.next!.href)
      .to.include(`filter=${ids[3]}`)
      .and.include("filter_property=id");
  });

  it("reaches nested fields with dots", async () => {
    sim.faults.failNextTasks(1, "Datastore busy");
    const [failed] = await startTasks(2);
    await caller.waitTask(failed!);
    const answer = await caller.get<ListBody<TaskBody>>(
      `/tasks?filter_property=error.message&filter=${encodeURIComponent("Datastore busy")}`,
    );
    expect(answer.json.list.map((t) => t.id)).to.deep.equal([failed]);
  });

  it("filters other lists too (plans by name)", async () => {
    const answer = await caller.get<ListBody<{ id: string; name: string }>>(
      `${pathsOf(sim).plans}?filter_property=name&filter=Tier2-DB`,
    );
    expect(answer.status).to.equal(200);
    expect(answer.json.list.map((p) => p.name)).to.deep.equal(["Tier2-DB"]);
  });

  for (const query of ["filter_property=id", "filter=abc", "filter_property=&filter=abc"]) {
    it(`answers a malformed filter (${query}) with a 400 ResponseError`, async () => {
      const answer = await caller.get<{ error_code: string; message: string; op_id: string }>(
        `/tasks?${query}`,
      );
      expect(answer.status).to.equal(400);
      expect(answer.json.error_code).to.equal("INVALID_QUERY");
      expect(answer.json.message).to.include("filter_property").and.include("filter");
      expect(answer.json.op_id).to.be.a("string").and.have.length.above(0);
    });
  }

  it("with the ignoreFilters fault answers every item, as a server without the filter would", async () => {
    const ids = await startTasks(3);
    sim.faults.set({ ignoreFilters: true });
    const answer = await caller.get<ListBody<TaskBody>>(`/tasks?filter_property=id&filter=${ids[0]}`);
    expect(answer.json.list.map((t) => t.id)).to.include.members(ids);
  });
});
