import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { call, expect, type Answer } from "./https-client.js";

interface JobInfo {
  status: string;
  messages: { id: string; default_message: string }[];
  start_time: string | null;
  end_time: string | null;
  progress: number;
}

describe("simulator: vCenter appliance reconciliation", () => {
  let sim: Simulator;
  const basic = (s: Simulator) => ({
    username: s.credentials.applianceUsername,
    password: s.credentials.appliancePassword,
  });
  const spec = (s: Simulator) => ({
    ignore_warnings: false,
    sso_admin_user_name: s.credentials.ssoUsername,
    sso_admin_user_password: s.credentials.ssoPassword,
  });
  const apiLogin = async (s: Simulator) => {
    const answer = await call(s.caCert, "POST", `${s.applianceUrl}/api/session`, { basic: basic(s) });
    expect(answer.status).to.equal(201);
    return answer.json as string;
  };
  const restLogin = async (s: Simulator) => {
    const answer = await call(s.caCert, "POST", `${s.applianceUrl}/rest/com/vmware/cis/session`, {
      basic: basic(s),
    });
    expect(answer.status).to.equal(200);
    return (answer.json as { value: string }).value;
  };
  const apiJob = (s: Simulator, token: string, method = "GET", body?: unknown): Promise<Answer> =>
    call(s.caCert, method, `${s.applianceUrl}/api/appliance/recovery/reconciliation/job`, {
      headers: { "vmware-api-session-id": token },
      body,
    });
  const restJob = (s: Simulator, token: string, method = "GET", body?: unknown): Promise<Answer> =>
    call(s.caCert, method, `${s.applianceUrl}/rest/appliance/recovery/reconciliation/job`, {
      headers: { "vmware-api-session-id": token },
      body,
    });
  const waitJob = async (s: Simulator, token: string): Promise<JobInfo> => {
    for (;;) {
      const info = (await apiJob(s, token)).json as JobInfo;
      if (info.status === "SUCCEEDED" || info.status === "FAILED") return info;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("logs in both ways and refuses wrong credentials in each error form", async () => {
    const token = await apiLogin(sim);
    expect(token).to.be.a("string").with.length.greaterThan(10);
    expect(await restLogin(sim)).to.be.a("string");
    const badApi = await call(sim.caCert, "POST", `${sim.applianceUrl}/api/session`, {
      basic: { username: "root", password: "nope" },
    });
    expect(badApi.status).to.equal(401);
    expect(badApi.json).to.have.property("error_type", "UNAUTHENTICATED");
    const badRest = await call(sim.caCert, "POST", `${sim.applianceUrl}/rest/com/vmware/cis/session`, {
      basic: { username: "root", password: "nope" },
    });
    expect(badRest.status).to.equal(401);
    expect(badRest.json).to.have.property("type", "com.vmware.vapi.std.errors.unauthenticated");
  });

  it("answers 404 for the job before any ran, and 401 without a token", async () => {
    const token = await apiLogin(sim);
    const none = await apiJob(sim, token);
    expect(none.status).to.equal(404);
    expect(none.json).to.have.property("error_type", "NOT_FOUND");
    expect((await restJob(sim, token)).status).to.equal(404);
    expect((await apiJob(sim, "bogus")).status).to.equal(401);
  });

  it("runs a job through /api: 201 RUNNING, FEATURE_IN_USE meanwhile, then SUCCEEDED", async () => {
    sim.faults.set({ taskDurationMs: 1_000 });
    const token = await apiLogin(sim);
    const created = await apiJob(sim, token, "POST", spec(sim));
    expect(created.status).to.equal(201);
    expect((created.json as JobInfo).status).to.equal("RUNNING");
    const busy = await apiJob(sim, token, "POST", spec(sim));
    expect(busy.status).to.equal(400);
    expect(busy.json).to.have.property("error_type", "FEATURE_IN_USE");
    const done = await waitJob(sim, token);
    expect(done.status).to.equal("SUCCEEDED");
    expect(done.end_time).to.be.a("string");
    expect(done.progress).to.equal(100);
  });

  it("runs a job through the legacy /rest form ({spec} in, {value} out)", async () => {
    // The job must still run when the second POST arrives, however slow the machine is.
    sim.faults.set({ taskDurationMs: 60_000 });
    const token = await restLogin(sim);
    const created = await restJob(sim, token, "POST", { spec: spec(sim) });
    expect(created.status).to.equal(200);
    expect((created.json as { value: JobInfo }).value.status).to.equal("RUNNING");
    const busy = await restJob(sim, token, "POST", { spec: spec(sim) });
    expect(busy.json).to.have.property("type", "com.vmware.vapi.std.errors.feature_in_use");
    const got = await restJob(sim, token);
    expect((got.json as { value: JobInfo }).value.status).to.be.oneOf(["RUNNING", "SUCCEEDED"]);
    const bare = await restJob(sim, token, "POST", spec(sim));
    expect(bare.status).to.equal(400);
    expect(bare.json).to.have.property("type", "com.vmware.vapi.std.errors.invalid_argument");
  });

  it("fails the job with messages on wrong SSO credentials, never echoing the password", async () => {
    const token = await apiLogin(sim);
    const wrong = { ...spec(sim), sso_admin_user_password: "Wrong-Sso-Pw-4c1d!" };
    expect((await apiJob(sim, token, "POST", wrong)).status).to.equal(201);
    const done = await waitJob(sim, token);
    expect(done.status).to.equal("FAILED");
    expect(done.messages[0].default_message).to.match(/incorrect user name or password/);
    expect(JSON.stringify(done)).not.to.contain("Wrong-Sso-Pw-4c1d!");
  });

  it("fails the job when a task failure is injected", async () => {
    sim.faults.failNextTasks(1, "Inventory service unavailable");
    const token = await apiLogin(sim);
    await apiJob(sim, token, "POST", spec(sim));
    const done = await waitJob(sim, token);
    expect(done.status).to.equal("FAILED");
    expect(done.messages[0].default_message).to.equal("Inventory service unavailable");
  });

  it("refuses reconciliation before a restore (NOT_ALLOWED_IN_CURRENT_STATE) and bad specs (INVALID_ARGUMENT)", async () => {
    const token = await apiLogin(sim);
    const bad = await apiJob(sim, token, "POST", { sso_admin_user_name: "x" });
    expect(bad.status).to.equal(400);
    expect(bad.json).to.have.property("error_type", "INVALID_ARGUMENT");
    sim.model.appliance.restoreCompleted = false;
    const refused = await apiJob(sim, token, "POST", spec(sim));
    expect(refused.status).to.equal(400);
    expect(refused.json).to.have.property("error_type", "NOT_ALLOWED_IN_CURRENT_STATE");
  });

  it("answers 404 on every /api path when the appliance is rest-only, while /rest works", async () => {
    const legacy = await startSimulator({ applianceApi: "rest-only" });
    try {
      const api = await call(legacy.caCert, "POST", `${legacy.applianceUrl}/api/session`, {
        basic: basic(legacy),
      });
      expect(api.status).to.equal(404);
      const token = await restLogin(legacy);
      expect((await apiJob(legacy, token, "POST", spec(legacy))).status).to.equal(404);
      expect((await restJob(legacy, token, "POST", { spec: spec(legacy) })).status).to.equal(200);
    } finally {
      await legacy.close();
    }
  });

  it("ends appliance sessions on DELETE", async () => {
    const token = await apiLogin(sim);
    const out = await call(sim.caCert, "DELETE", `${sim.applianceUrl}/api/session`, {
      headers: { "vmware-api-session-id": token },
    });
    expect(out.status).to.equal(204);
    expect((await apiJob(sim, token)).status).to.equal(401);
  });
});
