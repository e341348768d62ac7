import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Ticket } from "../src/api/types";
import { assigneeFilters, assigneeQuery, VIEWS } from "../src/console/queue";
import { describeFilters, filtersOf } from "../src/console/views";
import { mountQueue } from "./fake-queue";
import { listedTicket } from "./ticket-fixture";

const view = (id: string) => VIEWS.find((v) => v.id === id)!;
const USERS = [
  { id: "ada", name: "Ada", email: "ada@acme.example", role: "admin", active: true },
  { id: "bob", name: "Bob", email: "bob@acme.example", role: "agent", active: false },
  { id: "cy", name: "Cy", email: "cy@acme.example", role: "agent", active: true },
];
const GROUPS = [{ id: "billing", name: "Billing", members: ["ada"] }];

beforeEach(() => {
  window.location.hash = "";
});

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

const choose = (el: HTMLSelectElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
};

function ticket(id: string, fields: Partial<Ticket>): Ticket {
  return { ...listedTicket(id, `Ticket ${id}`), ...fields } as Ticket;
}

function mount(route = "/", tickets: Ticket[] = [], limited = false, myGroups: string[] = []) {
  return mountQueue({ route, tickets, limited, myGroups, users: USERS, groups: GROUPS });
}

describe("who has a ticket, in the queue", () => {
  it("names each ticket's group and assignee from the directory, deactivated people included", async () => {
    const { host, found } = mount("/?view=all", [
      ticket("a", { group: "billing", assignee_id: "bob" }),
      ticket("b", { group: null, assignee_id: null }),
      ticket("c", { group: "gone", assignee_id: "zed" }),
    ]);
    await found("[data-testid=ticket-row]");
    await vi.waitFor(() => expect(host.querySelector("[data-testid=ticket-assignee]")!.textContent).toBe("Bob"));
    const cells = (id: string) => [...host.querySelectorAll(`[data-testid=${id}]`)].map((c) => c.textContent);
    expect(cells("ticket-group")).toEqual(["Billing", "—", "gone"]); // a group the directory lacks: its id
    expect(cells("ticket-assignee")).toEqual(["Bob", "unassigned", "zed"]);
    expect([...host.querySelectorAll("th")].map((th) => th.textContent)).toContain("Assignee");
  });

  it("filters by group and assignee, and 'unassigned' asks for the tickets nobody has", async () => {
    const { found, lists } = mount("/?view=all");
    const group = await found<HTMLSelectElement>("[data-testid=filter-group]");
    await vi.waitFor(() => expect(group.options.length).toBe(2));
    const assignee = await found<HTMLSelectElement>("[data-testid=filter-assignee]");
    // active people only (Bob is deactivated), me marked
    expect([...assignee.options].map((o) => o.textContent)).toEqual(["anyone", "unassigned", "Ada (me)", "Cy"]);
    choose(group, "billing");
    await vi.waitFor(() => expect(lists.at(-1)?.get("group")).toBe("billing"));
    choose(assignee, "cy");
    await vi.waitFor(() => expect(lists.some((q) => q.get("assignee") === "cy" && q.get("group") === "billing")).toBe(true));
    choose(assignee, "(unassigned)");
    await vi.waitFor(() => expect(lists.at(-1)?.get("unassigned")).toBe("true"));
    expect(lists.at(-1)?.get("assignee")).toBeNull();
  });

  it("the Unassigned view asks for unsolved tickets nobody has, without an assignee filter to contradict it", async () => {
    const { host, found, lists } = mount("/?view=unassigned", [ticket("a", { status: "open" })]);
    await found("[data-testid=ticket-row]");
    expect(lists[0]!.get("unassigned")).toBe("true");
    expect(lists[0]!.get("unsolved")).toBe("true"); // the server leaves out what is solved: every page is full
    expect([...host.querySelectorAll("[data-testid=ticket-subject]")].map((a) => a.textContent)).toEqual(["Ticket a"]);
    expect(host.querySelector("[data-testid=filter-assignee]")).toBeNull();
    expect(host.querySelector("[data-testid=view-unassigned]")!.getAttribute("aria-current")).toBe("page");
  });

  it("My groups asks the server for the unsolved tickets of the agent's groups, and saves as such", async () => {
    const { host, found, lists } = mount("/?view=groups", [ticket("a", { status: "open", group: "billing" })]);
    await found("[data-testid=ticket-row]");
    expect(lists[0]!.get("my_groups")).toBe("true");
    expect(host.querySelector("[data-testid=view-groups]")!.getAttribute("title")).toBe("Unsolved tickets in your groups");
    expect(lists[0]!.get("unsolved")).toBe("true");
    (host.querySelector("[data-testid=save-view]") as HTMLButtonElement).click();
    await found("[data-testid=view-filters]");
    expect(host.querySelector("[data-testid=view-filters]")!.textContent).toBe("unsolved, in my groups");
  });

  it("the Following view lists the tickets the agent follows, and can be saved as a view", async () => {
    const { host, found, lists, searches } = mount("/?view=following", [ticket("a", { followers: ["ada"] })]);
    await found("[data-testid=ticket-row]");
    expect(lists[0]!.get("follower")).toBe("me");
    expect(lists.filter((q) => q.get("follower") === "me").length).toBeGreaterThanOrEqual(1);
    expect(host.querySelector("[data-testid=view-following]")!.getAttribute("aria-current")).toBe("page");
    (host.querySelector("[data-testid=save-view]") as HTMLButtonElement).click(); // a saved copy keeps "follower: me"
    await found("[data-testid=view-filters]");
    expect(host.querySelector("[data-testid=view-filters]")!.textContent).toBe("followed by me");

    const words = host.querySelector<HTMLInputElement>("form[role=search] input")!; // a search within the view
    words.value = "printer";
    words.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    host.querySelector<HTMLFormElement>("form[role=search]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(searches.some((q) => q.get("q") === "printer")).toBe(true));
    expect(searches.find((q) => q.get("q") === "printer")!.get("follower")).toBe("me");
  });

  it("the Problems view asks for unsolved tickets holding incidents, saves as such and searches within them", async () => {
    const problem = ticket("p", { links: [{ type: "child", ticket_id: "a" }] });
    const { host, found, lists, searches } = mount("/?view=problems", [problem]);
    await found("[data-testid=ticket-row]");
    expect([lists[0]!.get("link_type"), lists[0]!.get("unsolved")]).toEqual(["child", "true"]);
    expect(host.querySelector("[data-testid=view-problems]")!.getAttribute("title")).toBe("Unsolved tickets with incidents linked to them");
    expect(host.querySelector("td.card-title")!.textContent).toContain("problem · 1 ticket");
    (host.querySelector("[data-testid=save-view]") as HTMLButtonElement).click();
    await found("[data-testid=view-filters]");
    expect(host.querySelector("[data-testid=view-filters]")!.textContent).toBe("unsolved, problems");

    const words = host.querySelector<HTMLInputElement>("form[role=search] input")!;
    words.value = "sync";
    words.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    host.querySelector<HTMLFormElement>("form[role=search]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(searches.some((q) => q.get("q") === "sync")).toBe(true));
    expect(searches.find((q) => q.get("q") === "sync")!.get("link_type")).toBe("child");
    expect(describeFilters({ link_type: "parent" })).toBe("incidents");
  });

  it("a view's own assignee wins; saved, 'me' stays 'me' and nobody is 'unassigned'", () => {
    expect(assigneeQuery(view("mine"), "ada", "cy")).toEqual({ assignee: "ada", unassigned: undefined });
    expect(assigneeQuery(view("all"), "ada", "cy")).toEqual({ assignee: "cy", unassigned: undefined });
    expect(assigneeQuery(view("all"), "ada", "")).toEqual({ assignee: undefined, unassigned: undefined });
    expect(assigneeFilters(view("mine"), "")).toEqual({ assignee: "me" });
    expect(assigneeFilters(view("all"), "(unassigned)")).toEqual({ unassigned: true });
    const saved = filtersOf({ ...assigneeFilters(view("all"), "(unassigned)"), group: "billing" });
    expect(saved).toEqual({ unassigned: true, group: "billing" });
    expect(describeFilters({ ...saved, status: "open" })).toBe("unassigned, group: billing, status: open");
    expect(describeFilters({ unassigned: false, group: "billing" })).toBe("group: billing");
  });

  it("an agent limited to their groups is told why the queue holds only some tickets", async () => {
    const limited = mount("/?view=all", [], true, ["billing"]);
    await vi.waitFor(() => expect(limited.host.querySelector("[data-testid=limited-hint]")!.textContent)
      .toContain("You see the tickets of your groups (Billing) and the ones assigned to you."));
    const alone = mount("/?view=all", [], true, []);
    await vi.waitFor(() => expect(alone.host.querySelector("[data-testid=limited-hint]")!.textContent)
      .toContain("You see only the tickets assigned to you"));
    const everyTicket = mount("/?view=all");
    await everyTicket.found("[data-testid=queue-empty]");
    expect(everyTicket.host.querySelector("[data-testid=limited-hint]")).toBeNull();
  });
});
