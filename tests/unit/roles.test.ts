import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { can, effectiveProjectRole, wouldLeaveNoOwner } from "@/lib/auth/roles";

describe("roles", () => {
  it("org owners own every project; readers only have their project role", () => {
    assert.equal(effectiveProjectRole("owner", null), "owner");
    assert.equal(effectiveProjectRole("owner", "member"), "owner");
    assert.equal(effectiveProjectRole("reader", null), null);
    assert.equal(effectiveProjectRole("reader", "member"), "member");
    assert.equal(effectiveProjectRole("reader", "owner"), "owner");
    // Not in the org: a leftover project membership grants nothing.
    assert.equal(effectiveProjectRole(null, "owner"), null);
  });

  it("readers see but cannot change", () => {
    assert.equal(can.viewOrg("reader"), true);
    for (const check of [can.manageOrg, can.createProject, can.archiveProject, can.viewAuditLog]) {
      assert.equal(check("reader"), false);
      assert.equal(check("owner"), true);
      assert.equal(check(null), false);
    }
    assert.equal(can.viewProject("member"), true);
    assert.equal(can.manageProject("member"), false);
    assert.equal(can.manageProject("owner"), true);
    assert.equal(can.viewProject(null), false);
  });

  it("the last owner cannot be removed or demoted", () => {
    assert.equal(wouldLeaveNoOwner(1, true), true);
    assert.equal(wouldLeaveNoOwner(2, true), false);
    assert.equal(wouldLeaveNoOwner(1, false), false);
  });
});
