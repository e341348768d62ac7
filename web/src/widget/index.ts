// The embeddable script: defines <helpdesk-chat> and, when loaded with data-tenant, adds one to the
// page:  <script src="https://…/widget/helpdesk-chat.js" data-tenant="acme" data-api="https://api…"></script>
// (with data-identity="<token>" for a visitor the site signed in)
import { HelpdeskChat } from "./chat";

if (!customElements.get("helpdesk-chat")) customElements.define("helpdesk-chat", HelpdeskChat);

const script = document.currentScript as HTMLScriptElement | null;
const tenant = script?.dataset.tenant;
if (script && tenant && !document.querySelector("helpdesk-chat")) {
  const element = document.createElement("helpdesk-chat");
  element.setAttribute("tenant", tenant);
  element.setAttribute("api", script.dataset.api ?? new URL(script.src, location.href).origin);
  if (script.dataset.lang) element.setAttribute("lang", script.dataset.lang);
  // a visitor the site signed in: a token its server signed with one of the tenant's identity keys
  if (script.dataset.identity) element.setAttribute("identity", script.dataset.identity);
  const mount = () => document.body.append(element);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
}

export { HelpdeskChat };
