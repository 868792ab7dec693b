// The registry boundary: whatever an implementation returns must survive the host's protobuf conversion.
import { withoutUndefined } from "../../provider/dynamic/registry.js";
import { expect } from "./helpers.js";

describe("resources: registry results", () => {
  it("drops undefined members deeply and turns undefined list items into null, keeping everything else", () => {
    const when = new Date(0);
    const result = withoutUndefined({
      id: "x",
      outs: { taskId: undefined, stepId: 7, nested: { a: undefined, b: [1, undefined, { c: undefined }] } },
      when,
    });
    expect(result).to.deep.equal({ id: "x", outs: { stepId: 7, nested: { b: [1, null, {}] } }, when });
    expect(result.when).to.equal(when);
  });
});
