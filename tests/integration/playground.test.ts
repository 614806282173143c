import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { setProjectArchived } from "@/lib/projects/projects";
import { getProjectApiSettings, updateProjectApiSettings } from "@/lib/admin/project-api-settings";
import { playgroundAccess } from "@/lib/playground/caller";
import { deletePreset, getPresetConfig, listPresets, MAX_PRESET_BYTES, renamePreset, savePreset, updatePresetConfig } from "@/lib/playground/presets";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

const CONFIG = {
  version: 1, model: "stories260K", system: "Be brief.", messages: [{ role: "user", content: "Hi" }],
  parameters: { temperature: 0, topP: 1, maxCompletionTokens: 16, frequencyPenalty: 0, presencePenalty: 0, seed: 42, stop: [] },
  responseFormat: { type: "text" }, tools: [], toolChoice: "auto", parallelToolCalls: true,
};

for (const kind of KINDS) {
  describe(`playground access and presets on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
    });
    after(() => t.drop());

    async function ownerWithMember() {
      const owner = await signUp("owner");
      const member = await signUp("member");
      const { token } = await createInvitation(owner.actor, owner.orgId, { email: member.email, role: "reader", projects: [{ projectId: owner.projectId, role: "member" }] });
      await acceptInvitation(member.actor, token);
      return { owner, member };
    }

    it("members use the playground unless the project turns it off; owners always can; outsiders never see it", async () => {
      const { owner, member } = await ownerWithMember();
      const outsider = await signUp("outsider");
      assert.equal((await getProjectApiSettings(owner.actor, owner.projectId)).playgroundForMembers, true);
      assert.deepEqual((await playgroundAccess(member.userId, owner.projectId)).verdict, { allowed: true, role: "member" });
      await rejectsWith(playgroundAccess(outsider.userId, owner.projectId), "not_found");

      await updateProjectApiSettings(owner.actor, { projectId: owner.projectId, allowedModels: [], storeBodies: false, playgroundForMembers: false });
      assert.equal((await getProjectApiSettings(owner.actor, owner.projectId)).playgroundForMembers, false);
      const denied = (await playgroundAccess(member.userId, owner.projectId)).verdict;
      assert.equal(denied.allowed, false);
      assert.match(!denied.allowed ? denied.reason : "", /does not let members use the playground/);
      assert.deepEqual((await playgroundAccess(owner.userId, owner.projectId)).verdict, { allowed: true, role: "owner" });
      await rejectsWith(listPresets(member.actor, owner.projectId), "forbidden");
      await rejectsWith(savePreset(member.actor, owner.projectId, { name: "x", config: CONFIG }), "forbidden");
      // A member cannot change the setting back.
      await rejectsWith(updateProjectApiSettings(member.actor, { projectId: owner.projectId, allowedModels: [], storeBodies: false, playgroundForMembers: true }), "forbidden");

      await setProjectArchived(owner.actor, owner.projectId, true);
      const archived = (await playgroundAccess(owner.userId, owner.projectId)).verdict;
      assert.equal(archived.allowed, false);
      assert.match(!archived.allowed ? archived.reason : "", /archived/);
    });

    it("presets: saved and shared within the project; renamed and deleted by their author or a project owner", async () => {
      const { owner, member } = await ownerWithMember();
      const outsider = await signUp("outsider");
      const mine = await savePreset(member.actor, owner.projectId, { name: "  Weather tools  ", config: CONFIG });
      assert.equal(mine.name, "Weather tools");
      const byOwner = await savePreset(owner.actor, owner.projectId, { name: "Owner's", config: { ...CONFIG, model: "other" } });

      const seen = await listPresets(owner.actor, owner.projectId);
      assert.deepEqual(seen.map((p) => [p.name, p.mine]).sort(), [["Owner's", true], ["Weather tools", false]]);
      assert.deepEqual((await getPresetConfig(owner.actor, owner.projectId, mine.id))?.config, CONFIG);
      // Another project's id with this preset's id finds nothing; outsiders get not_found.
      assert.equal(await getPresetConfig(outsider.actor, outsider.projectId, mine.id), null);
      await rejectsWith(getPresetConfig(outsider.actor, owner.projectId, mine.id), "not_found");
      await rejectsWith(deletePreset(outsider.actor, outsider.projectId, mine.id), "not_found");

      await rejectsWith(renamePreset(member.actor, owner.projectId, byOwner.id, "mine now"), "forbidden");
      await rejectsWith(deletePreset(member.actor, owner.projectId, byOwner.id), "forbidden");
      assert.equal((await renamePreset(owner.actor, owner.projectId, mine.id, "Renamed by owner")).name, "Renamed by owner");
      await updatePresetConfig(member.actor, owner.projectId, mine.id, { ...CONFIG, system: "Changed" });
      assert.equal(((await getPresetConfig(member.actor, owner.projectId, mine.id))?.config as { system: string }).system, "Changed");

      await rejectsWith(renamePreset(member.actor, owner.projectId, mine.id, "   "), "invalid");
      const big = await rejectsWith(savePreset(member.actor, owner.projectId, { name: "big", config: { ...CONFIG, system: "x".repeat(MAX_PRESET_BYTES) } }), "invalid");
      assert.match(big.message, /too large to save/);
      await rejectsWith(savePreset(member.actor, owner.projectId, { name: "list", config: [1, 2] }), "invalid");
      await rejectsWith(savePreset(member.actor, owner.projectId, { name: "wrong shape", config: { ...CONFIG, messages: [{ role: "wizard", content: "x" }] } }), "invalid");

      await deletePreset(member.actor, owner.projectId, mine.id);
      await deletePreset(owner.actor, owner.projectId, byOwner.id);
      assert.deepEqual(await listPresets(owner.actor, owner.projectId), []);
    });
  });
}
