/** Up to this width the open conversation takes the whole screen (a phone). */
export const PHONE_MAX_PX = 480;

export const CSS = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
  --accent: #1f4fd1; --header: #18213a; --mine: #dbe6ff; --mine-line: #b5c8f5; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; padding: 6px 12px; }
button:disabled { opacity: .6; cursor: default; }
button.secondary { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid #f5a400; outline-offset: 2px; }
.launcher { display: flex; gap: 8px; align-items: center; border-radius: 24px; padding: 10px 16px; box-shadow: 0 4px 14px rgba(0,0,0,.25); margin-left: auto; }
.launcher span[aria-hidden] { font-weight: 700; }
.launcher .unread { background: #a4161a; color: #fff; border-radius: 10px; min-width: 20px; padding: 0 6px; font-size: 12px; line-height: 20px; text-align: center; }
.panel { position: absolute; right: 0; bottom: 56px; width: min(380px, calc(100vw - 40px)); height: min(560px, calc(100vh - 100px)); display: flex; flex-direction: column; background: #fff; border: 1px solid #c8ccd4; border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.25); overflow: hidden; }
header { display: flex; align-items: center; justify-content: space-between; padding: 8px 12px; background: var(--header); color: #fff; }
h2 { font-size: 16px; margin: 0; }
.close { background: none; border: none; color: #fff; font-size: 22px; line-height: 1; padding: 0 6px; }
.log { flex: 1; overflow-y: auto; padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; background: #f6f7f9; }
.msg { max-width: 88%; padding: 6px 10px; border-radius: 10px; background: #fff; border: 1px solid #d5d9e0; }
.msg.user { align-self: flex-end; background: var(--mine); border-color: var(--mine-line); }
.msg.agent { border-left: 4px solid #1e6b34; }
.who { display: block; font-size: 12px; font-weight: 700; color: #4a5263; }
.text { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.sources { font-size: 13px; margin-top: 4px; }
.sources ul { margin: 2px 0 0; padding-left: 18px; }
a { color: var(--accent); }
.ticket { font-size: 13px; font-weight: 700; margin: 4px 0 0; }
.feedback { font-size: 12px; color: #4a5263; margin-top: 6px; padding-top: 4px; border-top: 1px solid #e4e7ec; }
.feedback .ask { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
.feedback .ask span { margin-right: 2px; }
.feedback button { font-size: 12px; line-height: 1.2; padding: 3px 10px; min-height: 24px; border-radius: 12px; }
.status { margin: 0; padding: 0 12px; font-size: 13px; color: #4a5263; min-height: 0; }
.email { padding: 8px 12px; border-top: 1px solid #d5d9e0; display: flex; flex-direction: column; gap: 4px; }
.email label { font-weight: 600; font-size: 14px; }
.hint { font-size: 12px; color: #4a5263; }
.row, .composer { display: flex; gap: 6px; }
.composer { padding: 8px 12px; border-top: 1px solid #d5d9e0; }
input { flex: 1; font: inherit; padding: 6px 8px; border: 1px solid #767e8c; border-radius: 6px; min-width: 0; color: #1d2330; background: #fff; }
.confirm { display: flex; gap: 6px; padding: 6px 12px 0; }
.attach { padding: 6px 10px; font-weight: 700; }
.files { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
button.link { background: none; border: none; color: var(--accent); text-decoration: underline; padding: 0; border-radius: 0; text-align: left; overflow-wrap: anywhere; }
.foot { padding: 0 12px 10px; }
@supports (height: 100dvh) { .panel { height: min(560px, calc(100dvh - 100px)); } }
/* A phone: the conversation takes the whole screen (the page's own bits around a small box cannot be used anyway),
   and fields are 16 px, under which iOS zooms the page into the field a visitor taps. */
@media (max-width: ${PHONE_MAX_PX}px) {
  .panel { position: fixed; inset: 0; width: auto; height: auto; border: none; border-radius: 0; }
  input { font-size: 16px; }
}
`;
