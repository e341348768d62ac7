import { describe, expect, it } from "vitest";
import { ApiClient, ApiError } from "../src/api/client";
import type { Group, User } from "../src/api/types";
import { allUsers, assigneeChoices, assignmentError, seesTicket, toggled } from "../src/console/directory";

const at = "2026-01-01T00:00:00Z";
const user = (id: string, name: string, role: User["role"], active = true): User =>
  ({ id, name, role, active, email: `${id}@acme.example`, tenant_id: "acme", created_at: at, updated_at: at });
const group = (id: string, members: string[]): Group => ({ id, name: id, members, tenant_id: "acme", created_at: at, updated_at: at });

const users = [user("bob", "Bob", "agent"), user("ada", "Ada", "admin"), user("cy", "Cy", "agent", false), user("dana", "Dana", "customer")];
const groups = [group("billing", ["bob", "cy"]), group("support", ["ada", "bob"])];

describe("assignee choices", () => {
  it("are the active staff, by name, when the ticket has no group", () => {
    expect(assigneeChoices(users, groups, null, null).map((c) => c.id)).toEqual(["ada", "bob"]);
  });

  it("are only the active members of the ticket's group", () => {
    expect(assigneeChoices(users, groups, "billing", null).map((c) => c.id)).toEqual(["bob"]);
    expect(assigneeChoices(users, groups, "support", "bob").map((c) => [c.id, c.outside])).toEqual([["ada", false], ["bob", false]]);
  });

  it("keep the current assignee when not allowed, marked as outside", () => {
    const choices = assigneeChoices(users, groups, "billing", "ada");
    expect(choices.map((c) => [c.id, c.outside])).toEqual([["bob", false], ["ada", true]]);
    expect(choices[1]?.label).toBe("Ada <ada@acme.example> (not in billing)");
    expect(assigneeChoices(users, groups, null, "ghost").at(-1)?.label).toBe("ghost (unknown)");
    expect(assigneeChoices(users, groups, null, "cy").at(-1)?.label).toBe("Cy <cy@acme.example> (not assignable)");
  });
});

describe("assignment errors", () => {
  const error = new ApiError(422, "invalid_assignment", "assignee 'ada' is not a member", { field: "assignee_id" });
  it("belong to the field the server names", () => {
    expect(assignmentError(error, "assignee_id")).toBe(error);
    expect(assignmentError(error, "group")).toBeNull();
    expect(assignmentError(new ApiError(422, "invalid_input", "x", { field: "group" }), "group")).toBeNull();
    expect(assignmentError(new Error("x"), "group")).toBeNull();
    expect(assignmentError(null, "group")).toBeNull();
  });
});

describe("toggled", () => {
  it("adds an absent id and removes a present one", () => {
    expect(toggled(["a"], "b")).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a")).toEqual(["b"]);
  });
});

describe("allUsers", () => {
  it("follows the cursor to the last page", async () => {
    const seen: string[] = [];
    const pages: Record<string, unknown> = {
      "": { items: [users[0]], next_cursor: "c1" },
      c1: { items: [users[1]], next_cursor: null },
    };
    const fetch = async (url: string | URL | Request) => {
      const u = new URL(String(url), "http://x");
      seen.push(u.search);
      return new Response(JSON.stringify(pages[u.searchParams.get("cursor") ?? ""]), { status: 200 });
    };
    const api = new ApiClient({ fetch: fetch as typeof globalThis.fetch });
    expect((await allUsers(api, { active: true })).map((u) => u.id)).toEqual(["bob", "ada"]);
    expect(seen).toEqual(["?active=true&limit=100", "?active=true&limit=100&cursor=c1"]);
  });
});

describe("history of assignee changes", () => {
  it("names the people instead of their ids", async () => {
    const { describeEvent } = await import("../src/console/ticket");
    const event = { seq: 4, type: "assignee_changed", actor: "ada", at, data: { from: null, to: "u1" } } as unknown as Parameters<typeof describeEvent>[0];
    expect(describeEvent(event, (id) => (id === "u1" ? "Bruno" : id))).toBe("assignee: — → Bruno");
    expect(describeEvent(event)).toBe("assignee: — → u1");
  });
});

describe("who may open a ticket (whom a mention mails)", () => {
  it("is an admin or an agent with access to every ticket, in groups or not", () => {
    expect(seesTicket(user("ada", "Ada", "admin"), groups, { group: "sales" })).toBe(true);
    expect(seesTicket(users[0]!, groups, { group: "sales" })).toBe(true); // bob: billing and support, every ticket
    expect(seesTicket(users[0]!, groups, { group: null })).toBe(true);
  });

  it("is, for an agent limited to their groups, the ticket's group or its assignee", () => {
    const bob: User = { ...users[0]!, ticket_access: "groups" };
    expect(seesTicket(bob, groups, { group: "sales" })).toBe(false);
    expect(seesTicket(bob, groups, { group: "billing" })).toBe(true);
    expect(seesTicket(bob, groups, { group: null })).toBe(false);
    expect(seesTicket(bob, groups, { group: "sales", assignee_id: "bob" })).toBe(true);
    const otto: User = { ...user("otto", "Otto", "agent"), ticket_access: "groups" };
    expect(seesTicket(otto, groups, { group: null })).toBe(false); // in no group: only what is assigned to him
    expect(seesTicket(otto, groups, { group: null, assignee_id: "otto" })).toBe(true);
  });
});
