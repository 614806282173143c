import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createApiKey, listApiKeys, revokeApiKey, updateApiKey } from "@/lib/keys/api-keys";
import { createServiceAccount, deleteServiceAccount, listServiceAccounts } from "@/lib/keys/service-accounts";
import {
  addProjectMember, changeProjectMemberRole, createProject, listProjectMembers, listVisibleProjects,
  removeProjectMember, renameProject, setProjectArchived,
} from "@/lib/projects/projects";
import { changeMemberRole, leaveOrg, listOrgMembers, listUserOrgs, removeMember, renameOrg } from "@/lib/orgs/orgs";
import { acceptInvitation, createInvitation, findInvitation, listPendingInvitations, revokeInvitation } from "@/lib/orgs/invitations";
import { listAuditEvents } from "@/lib/audit/audit";
import { getProjectAccess } from "@/lib/auth/access";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

for (const kind of KINDS) {
  describe(`access control on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
    });
    after(() => t.drop());

    it("sign-up gives a Personal organization with a Default project, owned", async () => {
      const u = await signUp("new");
      const orgs = await listUserOrgs(u.userId);
      assert.deepEqual(orgs.map((o) => [o.name, o.role]), [["Personal", "owner"]]);
      const projects = await listVisibleProjects(u.actor, u.orgId);
      assert.deepEqual(projects.map((p) => p.name), ["Default project"]);
      assert.equal((await getProjectAccess(u.actor, u.projectId)).role, "owner");
      await rejectsWith(signUp("new").then(() => import("@/lib/users/create-user")).then((m) => m.createUserWithPassword({ email: u.email, password: "another-pass-1" })), "conflict");
    });

    it("nobody sees or changes another organization's objects (every console service)", async () => {
      const a = await signUp("alice");
      const mallory = await signUp("mallory");
      const key = await createApiKey(a.actor, a.projectId, { name: "k", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      const sa = await createServiceAccount(a.actor, a.projectId, "svc");
      const { invitation } = await createInvitation(a.actor, a.orgId, { email: "x@example.com", role: "reader", projects: [] });
      const m = mallory.actor;
      const attempts: [string, () => Promise<unknown>][] = [
        ["listApiKeys", () => listApiKeys(m, a.projectId)],
        ["createApiKey", () => createApiKey(m, a.projectId, { name: "evil", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null })],
        ["updateApiKey", () => updateApiKey(m, a.projectId, key.key.id, { name: "evil", permissions: { mode: "all" } })],
        ["revokeApiKey", () => revokeApiKey(m, a.projectId, key.key.id)],
        // forged: the attacker's own project id with the victim's key id
        ["revokeApiKey (own project, victim key)", () => revokeApiKey(m, mallory.projectId, key.key.id)],
        ["listServiceAccounts", () => listServiceAccounts(m, a.projectId)],
        ["createServiceAccount", () => createServiceAccount(m, a.projectId, "evil")],
        ["deleteServiceAccount", () => deleteServiceAccount(m, a.projectId, sa.id)],
        ["deleteServiceAccount (own project)", () => deleteServiceAccount(m, mallory.projectId, sa.id)],
        ["listProjectMembers", () => listProjectMembers(m, a.projectId)],
        ["addProjectMember", () => addProjectMember(m, a.projectId, mallory.email, "owner")],
        ["changeProjectMemberRole", () => changeProjectMemberRole(m, a.projectId, a.userId, "member")],
        ["removeProjectMember", () => removeProjectMember(m, a.projectId, a.userId)],
        ["renameProject", () => renameProject(m, a.projectId, "pwned")],
        ["archiveProject", () => setProjectArchived(m, a.projectId, true)],
        ["listVisibleProjects", () => listVisibleProjects(m, a.orgId)],
        ["createProject", () => createProject(m, a.orgId, "evil")],
        ["renameOrg", () => renameOrg(m, a.orgId, "pwned")],
        ["listOrgMembers", () => listOrgMembers(m, a.orgId)],
        ["changeMemberRole", () => changeMemberRole(m, a.orgId, mallory.userId, "owner")],
        ["removeMember", () => removeMember(m, a.orgId, a.userId)],
        ["leaveOrg", () => leaveOrg(m, a.orgId)],
        ["createInvitation", () => createInvitation(m, a.orgId, { email: mallory.email, role: "owner", projects: [] })],
        ["listPendingInvitations", () => listPendingInvitations(m, a.orgId)],
        ["revokeInvitation", () => revokeInvitation(m, a.orgId, invitation.id)],
        ["revokeInvitation (own org)", () => revokeInvitation(m, mallory.orgId, invitation.id)],
        ["listAuditEvents", () => listAuditEvents(m, a.orgId)],
        ["getProjectAccess", () => getProjectAccess(m, a.projectId)],
      ];
      for (const [name, attempt] of attempts) {
        await rejectsWith(attempt(), "not_found").catch((err) => assert.fail(`${name}: ${(err as Error).message}`));
      }
      // Nothing changed.
      assert.equal((await listApiKeys(a.actor, a.projectId)).length, 1);
      assert.equal((await listServiceAccounts(a.actor, a.projectId)).length, 1);
      assert.equal((await listVisibleProjects(a.actor, a.orgId))[0].name, "Default project");
      assert.equal((await listPendingInvitations(a.actor, a.orgId)).length, 1);
    });

    it("an invited reader joins, sees only granted projects, and cannot change anything", async () => {
      const owner = await signUp("owner");
      const other = await createProject(owner.actor, owner.orgId, "Secret project");
      const readerUser = await signUp("reader");
      const { token } = await createInvitation(owner.actor, owner.orgId, {
        email: readerUser.email,
        role: "reader",
        projects: [{ projectId: owner.projectId, role: "member" }],
      });
      assert.ok(await findInvitation(token));
      assert.equal(await findInvitation("x".repeat(43)), null);
      assert.equal(await findInvitation("<script>"), null);
      // The wrong person cannot use the link.
      const stranger = await signUp("stranger");
      await rejectsWith(acceptInvitation(stranger.actor, token), "forbidden");
      await rejectsWith(acceptInvitation(readerUser.actor, "malformed"), "invalid");
      const joined = await acceptInvitation(readerUser.actor, token);
      assert.deepEqual(joined, { orgId: owner.orgId, projectIds: [owner.projectId] });
      await rejectsWith(acceptInvitation(readerUser.actor, token), "conflict");
      assert.equal(await findInvitation(token), null);

      const r = readerUser.actor;
      assert.deepEqual((await listVisibleProjects(r, owner.orgId)).map((p) => p.name), ["Default project"]);
      await rejectsWith(listApiKeys(r, other.id), "not_found");
      assert.equal((await getProjectAccess(r, owner.projectId)).role, "member");
      await listApiKeys(r, owner.projectId); // can see
      for (const attempt of [
        () => createApiKey(r, owner.projectId, { name: "nope", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null }),
        () => createServiceAccount(r, owner.projectId, "nope"),
        () => renameProject(r, owner.projectId, "nope"),
        () => setProjectArchived(r, owner.projectId, true),
        () => createProject(r, owner.orgId, "nope"),
        () => renameOrg(r, owner.orgId, "nope"),
        () => createInvitation(r, owner.orgId, { email: "z@example.com", role: "owner", projects: [] }),
        () => changeMemberRole(r, owner.orgId, r.userId, "owner"),
        () => listAuditEvents(r, owner.orgId),
      ]) {
        await rejectsWith(attempt(), "forbidden");
      }
      // Promoted to project owner, they can manage keys of that project only.
      await changeProjectMemberRole(owner.actor, owner.projectId, r.userId, "owner");
      await createApiKey(r, owner.projectId, { name: "mine", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      // Removal from the org removes project access too.
      await removeMember(owner.actor, owner.orgId, r.userId);
      await rejectsWith(listApiKeys(r, owner.projectId), "not_found");
    });

    it("the last owner can neither leave nor be demoted", async () => {
      const o = await signUp("solo");
      await rejectsWith(leaveOrg(o.actor, o.orgId), "conflict");
      await rejectsWith(changeMemberRole(o.actor, o.orgId, o.userId, "reader"), "conflict");
      const second = await signUp("second");
      const { token } = await createInvitation(o.actor, o.orgId, { email: second.email, role: "owner", projects: [] });
      await acceptInvitation(second.actor, token);
      await changeMemberRole(o.actor, o.orgId, o.userId, "reader");
      await rejectsWith(changeMemberRole(second.actor, o.orgId, second.userId, "reader"), "conflict");
      await leaveOrg(o.actor, o.orgId);
      assert.deepEqual((await listOrgMembers(second.actor, o.orgId)).map((x) => x.role), ["owner"]);
    });

    it("the audit log records who did what, filterable and paginated", async () => {
      const o = await signUp("audit");
      const k = await createApiKey(o.actor, o.projectId, { name: "audited", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      await revokeApiKey(o.actor, o.projectId, k.key.id);
      await renameOrg(o.actor, o.orgId, "Renamed");
      const all = await listAuditEvents(o.actor, o.orgId);
      assert.deepEqual(all.events.map((e) => e.action), ["org.renamed", "api_key.revoked", "api_key.created", "project.created", "org.created"]);
      assert.equal(all.events[0].actorEmail, o.email);
      assert.ok(!JSON.stringify(all.events).includes(k.secret), "audit log must not contain secrets");
      const keysOnly = await listAuditEvents(o.actor, o.orgId, { action: "api_key." });
      assert.deepEqual(keysOnly.events.map((e) => e.action), ["api_key.revoked", "api_key.created"]);
      const page1 = await listAuditEvents(o.actor, o.orgId, { limit: 2 });
      const page2 = await listAuditEvents(o.actor, o.orgId, { limit: 2, cursor: page1.nextCursor! });
      const page3 = await listAuditEvents(o.actor, o.orgId, { limit: 2, cursor: page2.nextCursor! });
      assert.deepEqual([...page1.events, ...page2.events, ...page3.events].map((e) => e.id), all.events.map((e) => e.id));
      assert.equal(page3.nextCursor, null);
    });
  });
}

describe("sign-in throttling", () => {
  let t: TestDatabase;
  before(async () => {
    t = await openTestDatabase("pglite");
    await migrate(t.db.sql);
    useDatabase(t.db);
  });
  after(() => t.drop());

  it("locks an account after 10 failed attempts, even for the right password", async () => {
    const { authorizeCredentials } = await import("@/lib/auth/options");
    const u = await signUp("throttle");
    assert.equal((await authorizeCredentials(u.email, "test-password-42", "10.0.0.1"))?.id, u.userId);
    assert.equal(await authorizeCredentials(u.email.toUpperCase(), "test-password-42", "10.0.0.1").then((x) => x?.id), u.userId);
    for (let i = 0; i < 10; i++) assert.equal(await authorizeCredentials(u.email, `wrong-${i}`, `10.0.1.${i}`), null);
    await assert.rejects(authorizeCredentials(u.email, "test-password-42", "10.0.2.1"), /Too many sign-in attempts/);
    // Unknown accounts answer like wrong passwords; malformed input is refused without lookups.
    assert.equal(await authorizeCredentials("nobody@example.com", "whatever-123", "10.0.0.9"), null);
    assert.equal(await authorizeCredentials("not an email", "x", "10.0.0.9"), null);
    assert.equal(await authorizeCredentials(u.email, "x".repeat(10_000), "10.0.0.9"), null);
  });
});
