// The console's queue over a fake API, for the component tests of its filters and views: it records each list
// (`GET /tickets`) and search query, each saved view's tickets read, and each view saved.
import { render } from "preact";
import { ApiClient } from "../src/api/client";
import type { Ticket, TicketField, TicketForm } from "../src/api/types";
import { Queue } from "../src/console/queue";
import { shown } from "./helpers";

export interface FakeQueue {
  route?: string;
  tickets?: Ticket[]; // what every list, search and saved view answers
  fields?: TicketField[];
  forms?: TicketForm[];
  views?: unknown[]; // the saved views `GET /views` lists
  users?: { id: string; name: string; email: string; role: string; active: boolean }[];
  groups?: { id: string; name: string; members: string[] }[];
  myGroups?: string[]; // the signed-in agent's groups
  limited?: boolean; // the agent sees only their groups' tickets
}

export function mountQueue({ route = "/", tickets = [], fields = [], forms = [], views = [], users = [], groups = [],
  myGroups = [], limited = false }: FakeQueue = {}) {
  const lists: URLSearchParams[] = [];
  const searches: URLSearchParams[] = [];
  const viewTickets: string[] = [];
  const saved: Record<string, unknown>[] = [];
  const page = { items: tickets, next_cursor: null };
  const fetch = (async (url: string, init?: RequestInit) => {
    const u = new URL(url);
    if (u.pathname === "/tickets") {
      lists.push(u.searchParams);
      return Response.json(page);
    }
    if (u.pathname === "/tickets/search") {
      searches.push(u.searchParams);
      return Response.json({ items: tickets.map((t) => ({ ticket: t, score: 1, snippets: [] })), next_cursor: null });
    }
    if (u.pathname === "/users") {
      return Response.json({ items: users.filter((user) => user.role === u.searchParams.get("role")), next_cursor: null });
    }
    if (u.pathname === "/groups") return Response.json(groups);
    if (u.pathname === "/ticket-fields") return Response.json({ fields, forms, version: 1 });
    if (u.pathname === "/views" && init?.method === "POST") {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      saved.push(body);
      return Response.json({ id: "v1", owner_id: "ada", scope: "personal", order: "newest", ...body }, { status: 201 });
    }
    if (u.pathname === "/views") return Response.json(views);
    if (u.pathname === "/views/counts") return Response.json([]);
    if (u.pathname.startsWith("/views/")) {
      viewTickets.push(u.pathname);
      return Response.json(page);
    }
    return Response.json([]); // no organisations
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={myGroups} route={route}
    limited={limited} />, host);
  const q = <T extends Element>(selector: string) => host.querySelector<T>(selector);
  /** The element once it is shown. */
  const found = <T extends Element>(selector: string) => shown<T>(host, selector);
  return { host, q, found, lists, searches, viewTickets, saved };
}
